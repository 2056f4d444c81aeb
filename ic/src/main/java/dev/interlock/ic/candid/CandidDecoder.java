package dev.interlock.ic.candid;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes a Candid message ({@code DIDL}, type table, argument types, values) by its wire types,
 * with limits against hostile input: nesting depth, type-table size, integer size, and a work
 * quota that also bounds vectors of zero-size elements (a {@code vec null} of 2^60 elements costs
 * no bytes). Every failure names the byte offset and what was wrong.
 */
public final class CandidDecoder {
    private static final byte[] MAGIC = {'D', 'I', 'D', 'L'};

    /** Decoder limits; {@link #DEFAULT} suits ledger replies. */
    public record Limits(int maxDepth, int maxTypeTable, int maxIntegerBytes, long maxWork) {
        public static final Limits DEFAULT = new Limits(128, 10_000, 128, 20_000_000);
    }

    /** A decoded message: the argument types (resolved against the type table) and values. */
    public record Message(List<CandidType> table, List<CandidType> argTypes, List<CandidValue> values) {
    }

    private final byte[] b;
    private final Limits limits;
    private int pos;
    private long work;
    private List<CandidType> table;

    private CandidDecoder(byte[] bytes, Limits limits) {
        this.b = bytes;
        this.limits = limits;
    }

    public static Message decode(byte[] bytes) {
        return decode(bytes, Limits.DEFAULT);
    }

    public static Message decode(byte[] bytes, Limits limits) {
        return new CandidDecoder(bytes, limits).message();
    }

    private Message message() {
        if (b.length < 4 || !Arrays.equals(Arrays.copyOf(b, 4), MAGIC)) {
            throw fail("not a Candid message (magic bytes DIDL missing)");
        }
        pos = 4;
        readTable();
        long count = leb("argument count");
        if (count > remaining() + 1_000_000L) {
            throw fail("argument count " + count + " is implausible");
        }
        List<CandidType> types = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            types.add(typeRef());
        }
        List<CandidValue> values = new ArrayList<>();
        for (CandidType t : types) {
            values.add(value(t, 0));
        }
        if (pos != b.length) {
            throw fail((b.length - pos) + " trailing bytes after the last argument");
        }
        return new Message(List.copyOf(table), List.copyOf(types), List.copyOf(values));
    }

    private void readTable() {
        long n = leb("type table length");
        if (n > limits.maxTypeTable() || n > remaining()) {
            throw fail("type table of " + n + " entries exceeds the limit or the message");
        }
        CandidType[] entries = new CandidType[(int) n];
        table = Arrays.asList(entries);
        for (int i = 0; i < n; i++) {
            long op = sleb("type opcode");
            entries[i] = switch ((int) op) {
                case -18 -> new CandidType.Opt(typeRef());
                case -19 -> new CandidType.Vec(typeRef());
                case -20 -> new CandidType.Record(fields(i));
                case -21 -> new CandidType.Variant(fields(i));
                case -22 -> func();
                case -23 -> service();
                default -> throw fail("type table entry " + i + ": " + op + " is not a type constructor");
            };
        }
        // References must point into the table.
        for (CandidType t : entries) {
            checkRefs(t, (int) n);
        }
    }

    private List<CandidType.Field> fields(int entry) {
        long count = leb("field count");
        if (count > remaining()) {
            throw fail("type table entry " + entry + " declares " + count + " fields, more than the message holds");
        }
        List<CandidType.Field> out = new ArrayList<>();
        long previous = -1;
        for (long i = 0; i < count; i++) {
            long id = leb("field id");
            if (id > 0xffffffffL || id <= previous) {
                throw fail("type table entry " + entry + ": field ids must increase and fit 32 bits (" + id + ")");
            }
            previous = id;
            out.add(new CandidType.Field(id, typeRef()));
        }
        return out;
    }

    private CandidType func() {
        List<CandidType> args = refs("func argument count");
        List<CandidType> results = refs("func result count");
        long modes = leb("func annotation count");
        if (modes > remaining()) {
            throw fail("func annotations exceed the message");
        }
        List<Integer> m = new ArrayList<>();
        for (long i = 0; i < modes; i++) {
            int mode = u8();
            if (mode < 1 || mode > 3) {
                throw fail("func annotation " + mode + " is not query (1), oneway (2) or composite_query (3)");
            }
            m.add(mode);
        }
        return new CandidType.Func(args, results, m);
    }

    private CandidType service() {
        long count = leb("service method count");
        if (count > remaining()) {
            throw fail("service declares more methods than the message holds");
        }
        List<CandidType.Method> methods = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            methods.add(new CandidType.Method(text(), typeRef()));
        }
        return new CandidType.Service(methods);
    }

    private List<CandidType> refs(String what) {
        long count = leb(what);
        if (count > remaining()) {
            throw fail(what + " " + count + " exceeds the message");
        }
        List<CandidType> out = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            out.add(typeRef());
        }
        return out;
    }

    private CandidType typeRef() {
        long v = sleb("type reference");
        if (v >= 0) {
            if (v >= table.size()) {
                throw fail("type reference " + v + " is outside the type table of " + table.size());
            }
            return new CandidType.Ref((int) v);
        }
        CandidType.Prim p = CandidType.Prim.of(v);
        if (p == null) {
            throw fail("type " + v + " is not a primitive type (constructors belong in the type table)");
        }
        return new CandidType.Primitive(p);
    }

    private void checkRefs(CandidType t, int n) {
        if (t instanceof CandidType.Ref r && (r.index() < 0 || r.index() >= n)) {
            throw fail("type reference " + r.index() + " is outside the type table");
        }
    }

    private CandidType resolve(CandidType t) {
        int hops = 0;
        while (t instanceof CandidType.Ref r) {
            t = table.get(r.index());
            if (++hops > table.size()) {
                throw fail("type reference cycle without a constructor");
            }
        }
        return t;
    }

    private CandidValue value(CandidType type, int depth) {
        if (depth > limits.maxDepth()) {
            throw fail("nesting deeper than " + limits.maxDepth());
        }
        charge(1);
        CandidType t = resolve(type);
        if (t instanceof CandidType.Primitive p) {
            return primitive(p.prim());
        }
        if (t instanceof CandidType.Opt o) {
            int flag = u8();
            return switch (flag) {
                case 0 -> new CandidValue.Opt(null);
                case 1 -> new CandidValue.Opt(value(o.inner(), depth + 1));
                default -> throw fail("opt flag " + flag + " is neither 0 nor 1");
            };
        }
        if (t instanceof CandidType.Vec v) {
            long len = leb("vector length");
            CandidType element = resolve(v.element());
            if (element instanceof CandidType.Primitive p && p.prim() == CandidType.Prim.NAT8) {
                if (len > remaining()) {
                    throw fail("blob of " + len + " bytes exceeds the message");
                }
                charge(len / 64);
                byte[] out = Arrays.copyOfRange(b, pos, pos + (int) len);
                pos += (int) len;
                return new CandidValue.Blob(out);
            }
            if (zeroSize(element, new HashSet<>())) {
                charge(len); // no bytes to bound it: the work quota does
            } else if (len > remaining()) {
                throw fail("vector of " + len + " elements exceeds the message");
            }
            List<CandidValue> items = new ArrayList<>((int) Math.min(len, 1024));
            for (long i = 0; i < len; i++) {
                items.add(value(v.element(), depth + 1));
            }
            return new CandidValue.Vec(items);
        }
        if (t instanceof CandidType.Record r) {
            Map<Long, CandidValue> fields = new LinkedHashMap<>();
            for (CandidType.Field f : r.fields()) {
                fields.put(f.id(), value(f.type(), depth + 1));
            }
            return new CandidValue.Record(fields);
        }
        if (t instanceof CandidType.Variant v) {
            long index = leb("variant index");
            if (index >= v.fields().size()) {
                throw fail("variant index " + index + " is outside its " + v.fields().size() + " alternatives");
            }
            CandidType.Field f = v.fields().get((int) index);
            return new CandidValue.Variant(f.id(), value(f.type(), depth + 1));
        }
        if (t instanceof CandidType.Func) {
            reference("func");
            byte[] canister = principalBytes();
            return new CandidValue.Func(canister, text());
        }
        if (t instanceof CandidType.Service) {
            reference("service");
            return new CandidValue.Service(principalBytes());
        }
        throw fail("cannot decode a value of " + t);
    }

    private CandidValue primitive(CandidType.Prim p) {
        return switch (p) {
            case NULL -> new CandidValue.Null();
            case BOOL -> {
                int v = u8();
                if (v > 1) {
                    throw fail("bool byte " + v + " is neither 0 nor 1");
                }
                yield new CandidValue.Bool(v == 1);
            }
            case NAT -> new CandidValue.Big(bigLeb());
            case INT -> new CandidValue.Big(bigSleb());
            case NAT8 -> new CandidValue.Fixed(p, u8());
            case NAT16 -> new CandidValue.Fixed(p, le(2) & 0xffffL);
            case NAT32 -> new CandidValue.Fixed(p, le(4) & 0xffffffffL);
            case NAT64, INT64 -> new CandidValue.Fixed(p, le(8));
            case INT8 -> new CandidValue.Fixed(p, (byte) le(1));
            case INT16 -> new CandidValue.Fixed(p, (short) le(2));
            case INT32 -> new CandidValue.Fixed(p, (int) le(4));
            case FLOAT32 -> new CandidValue.Float(java.lang.Float.intBitsToFloat((int) le(4)));
            case FLOAT64 -> new CandidValue.Float(Double.longBitsToDouble(le(8)));
            case TEXT -> new CandidValue.Text(text());
            case RESERVED -> new CandidValue.Reserved();
            case EMPTY -> throw fail("a value of type empty cannot exist");
            case PRINCIPAL -> new CandidValue.Principal(principalBytes());
        };
    }

    private void reference(String what) {
        int flag = u8();
        if (flag != 1) {
            throw fail(what + " reference flag " + flag + ": only transparent references (1) are supported");
        }
    }

    private byte[] principalBytes() {
        int flag = u8();
        if (flag != 1) {
            throw fail("principal flag " + flag + ": only transparent principals (1) are supported");
        }
        long len = leb("principal length");
        if (len > 29 || len > remaining()) {
            throw fail("principal of " + len + " bytes (at most 29)");
        }
        byte[] out = Arrays.copyOfRange(b, pos, pos + (int) len);
        pos += (int) len;
        return out;
    }

    private boolean zeroSize(CandidType t, Set<Integer> seen) {
        if (t instanceof CandidType.Ref r) {
            return seen.add(r.index()) && zeroSize(table.get(r.index()), seen);
        }
        if (t instanceof CandidType.Primitive p) {
            return p.prim() == CandidType.Prim.NULL || p.prim() == CandidType.Prim.RESERVED;
        }
        if (t instanceof CandidType.Record r) {
            for (CandidType.Field f : r.fields()) {
                if (!zeroSize(f.type(), seen)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private String text() {
        long len = leb("text length");
        if (len > remaining()) {
            throw fail("text of " + len + " bytes exceeds the message");
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, pos, (int) len)).toString();
            pos += (int) len;
            charge(len / 64);
            return s;
        } catch (CharacterCodingException e) {
            throw fail("text is not valid UTF-8");
        }
    }

    private long le(int n) {
        need(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[pos + i] & 0xff);
        }
        pos += n;
        return v;
    }

    private int u8() {
        need(1);
        return b[pos++] & 0xff;
    }

    /** An unsigned LEB128 that must fit in 63 bits (lengths, counts, ids, indexes). */
    private long leb(String what) {
        long v = 0;
        int shift = 0;
        while (true) {
            int x = u8();
            if (shift >= 63 && (x & 0x7f) != 0) {
                throw fail(what + " does not fit 63 bits");
            }
            if (shift < 63) {
                v |= (long) (x & 0x7f) << shift;
            }
            if ((x & 0x80) == 0) {
                return v;
            }
            shift += 7;
            if (shift > 7 * 10) {
                throw fail(what + " is an overlong LEB128");
            }
        }
    }

    private long sleb(String what) {
        long v = 0;
        int shift = 0;
        int x;
        do {
            x = u8();
            if (shift < 64) {
                v |= (long) (x & 0x7f) << shift;
            }
            shift += 7;
            if (shift > 7 * 10) {
                throw fail(what + " is an overlong SLEB128");
            }
        } while ((x & 0x80) != 0);
        if (shift < 64 && (x & 0x40) != 0) {
            v |= -1L << shift;
        }
        return v;
    }

    private BigInteger bigLeb() {
        BigInteger v = BigInteger.ZERO;
        int shift = 0;
        int bytes = 0;
        int x;
        do {
            x = u8();
            if (++bytes > limits.maxIntegerBytes()) {
                throw fail("integer longer than " + limits.maxIntegerBytes() + " bytes");
            }
            v = v.or(BigInteger.valueOf(x & 0x7f).shiftLeft(shift));
            shift += 7;
        } while ((x & 0x80) != 0);
        return v;
    }

    private BigInteger bigSleb() {
        int start = pos;
        BigInteger v = bigLeb();
        if ((b[pos - 1] & 0x40) != 0) {
            v = v.subtract(BigInteger.ONE.shiftLeft(7 * (pos - start)));
        }
        return v;
    }

    private void charge(long units) {
        work += Math.max(0, units);
        if (work > limits.maxWork()) {
            throw fail("decoding work exceeds the limit of " + limits.maxWork());
        }
    }

    private int remaining() {
        return b.length - pos;
    }

    private void need(int n) {
        if (remaining() < n) {
            throw fail("message ends early (" + n + " more bytes needed)");
        }
    }

    private CandidException fail(String what) {
        return new CandidException("Candid, at byte " + pos + ": " + what);
    }
}
