package dev.interlock.ic.candid;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.interlock.ic.Leb128;

/**
 * Encodes arguments as a Candid message. Constructor types go into the type table (equal ones
 * once); recursive types are not needed for the requests Interlock sends and are not supported.
 */
public final class CandidEncoder {
    private final List<CandidType> table = new ArrayList<>();
    private final ByteArrayOutputStream types = new ByteArrayOutputStream();
    /** While an explicit table is written, its entries may refer only to primitives and to each other. */
    private boolean writingExplicitTable;

    private CandidEncoder() {
    }

    /**
     * Encodes with an explicit type table whose entries may refer to each other ({@link CandidType.Ref}),
     * as recursive types need; argument types may refer into it.
     */
    public static byte[] encode(List<CandidType> table, List<CandidType> argTypes, List<CandidValue> values) {
        CandidEncoder e = new CandidEncoder();
        e.table.addAll(table);
        e.writingExplicitTable = true;
        for (CandidType entry : table) {
            e.entry(entry);
        }
        e.writingExplicitTable = false;
        return e.finish(argTypes, values);
    }

    public static byte[] encode(List<CandidType> argTypes, List<CandidValue> values) {
        if (argTypes.size() != values.size()) {
            throw new IllegalArgumentException(argTypes.size() + " argument types for " + values.size() + " values");
        }
        return new CandidEncoder().finish(argTypes, values);
    }

    private byte[] finish(List<CandidType> argTypes, List<CandidValue> values) {
        CandidEncoder e = this;
        List<Long> refs = new ArrayList<>();
        for (CandidType t : argTypes) {
            refs.add(e.ref(t));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'D', 'I', 'D', 'L'});
        out.writeBytes(Leb128.unsigned(BigInteger.valueOf(e.table.size())));
        out.writeBytes(e.types.toByteArray());
        out.writeBytes(Leb128.unsigned(BigInteger.valueOf(refs.size())));
        refs.forEach(r -> out.writeBytes(Leb128.signed(BigInteger.valueOf(r))));
        for (int i = 0; i < values.size(); i++) {
            e.write(argTypes.get(i), values.get(i), out);
        }
        return out.toByteArray();
    }

    private void entry(CandidType t) {
        ByteArrayOutputStream entry = new ByteArrayOutputStream();
        constructor(t, entry);
        types.writeBytes(entry.toByteArray());
    }

    /** The type's reference: its primitive opcode, or its index in the table (added once). */
    private long ref(CandidType t) {
        if (t instanceof CandidType.Primitive p) {
            return p.prim().opcode;
        }
        if (t instanceof CandidType.Ref r) {
            return r.index();
        }
        int existing = table.indexOf(t);
        if (existing >= 0) {
            return existing;
        }
        if (writingExplicitTable) {
            throw new IllegalArgumentException("entries of an explicit type table may refer only to primitives and "
                    + "to other entries (Ref), not to " + t);
        }
        ByteArrayOutputStream entry = new ByteArrayOutputStream();
        constructor(t, entry);
        table.add(t);
        types.writeBytes(entry.toByteArray());
        return table.size() - 1;
    }

    private void constructor(CandidType t, ByteArrayOutputStream entry) {
        if (t instanceof CandidType.Opt o) {
            sleb(entry, -18);
            sleb(entry, ref(o.inner()));
        } else if (t instanceof CandidType.Vec v) {
            sleb(entry, -19);
            sleb(entry, ref(v.element()));
        } else if (t instanceof CandidType.Record r) {
            sleb(entry, -20);
            fields(entry, r.fields());
        } else if (t instanceof CandidType.Variant v) {
            sleb(entry, -21);
            fields(entry, v.fields());
        } else if (t instanceof CandidType.Func f) {
            sleb(entry, -22);
            entry.writeBytes(Leb128.unsigned(BigInteger.valueOf(f.args().size())));
            f.args().forEach(a -> sleb(entry, ref(a)));
            entry.writeBytes(Leb128.unsigned(BigInteger.valueOf(f.results().size())));
            f.results().forEach(r -> sleb(entry, ref(r)));
            entry.writeBytes(Leb128.unsigned(BigInteger.valueOf(f.modes().size())));
            f.modes().forEach(entry::write);
        } else {
            throw new IllegalArgumentException("cannot encode the type " + t);
        }
    }

    private void fields(ByteArrayOutputStream out, List<CandidType.Field> fields) {
        out.writeBytes(Leb128.unsigned(BigInteger.valueOf(fields.size())));
        long previous = -1;
        for (CandidType.Field f : fields) {
            if (f.id() <= previous) {
                throw new IllegalArgumentException("fields must be sorted by id");
            }
            previous = f.id();
            out.writeBytes(Leb128.unsigned(BigInteger.valueOf(f.id())));
            sleb(out, ref(f.type()));
        }
    }

    private static void sleb(ByteArrayOutputStream out, long v) {
        out.writeBytes(Leb128.signed(BigInteger.valueOf(v)));
    }

    private void write(CandidType t, CandidValue v, ByteArrayOutputStream out) {
        if (t instanceof CandidType.Ref r) {
            write(table.get(r.index()), v, out);
            return;
        }
        if (t instanceof CandidType.Primitive p) {
            switch (p.prim()) {
                case NULL, RESERVED -> {
                }
                case BOOL -> out.write(((CandidValue.Bool) v).value() ? 1 : 0);
                case NAT -> out.writeBytes(Leb128.unsigned(((CandidValue.Big) v).value()));
                case INT -> out.writeBytes(Leb128.signed(((CandidValue.Big) v).value()));
                case NAT8, INT8 -> le(out, ((CandidValue.Fixed) v).bits(), 1);
                case NAT16, INT16 -> le(out, ((CandidValue.Fixed) v).bits(), 2);
                case NAT32, INT32 -> le(out, ((CandidValue.Fixed) v).bits(), 4);
                case NAT64, INT64 -> le(out, ((CandidValue.Fixed) v).bits(), 8);
                case TEXT -> text(out, ((CandidValue.Text) v).value());
                case PRINCIPAL -> {
                    byte[] bytes = ((CandidValue.Principal) v).bytes();
                    out.write(1);
                    out.writeBytes(Leb128.unsigned(BigInteger.valueOf(bytes.length)));
                    out.writeBytes(bytes);
                }
                default -> throw new IllegalArgumentException("cannot encode a value of " + p.prim());
            }
        } else if (t instanceof CandidType.Opt o) {
            CandidValue inner = ((CandidValue.Opt) v).value();
            out.write(inner == null ? 0 : 1);
            if (inner != null) {
                write(o.inner(), inner, out);
            }
        } else if (t instanceof CandidType.Vec vec) {
            if (v instanceof CandidValue.Blob blob) {
                out.writeBytes(Leb128.unsigned(BigInteger.valueOf(blob.bytes().length)));
                out.writeBytes(blob.bytes());
            } else {
                List<CandidValue> items = ((CandidValue.Vec) v).items();
                out.writeBytes(Leb128.unsigned(BigInteger.valueOf(items.size())));
                items.forEach(i -> write(vec.element(), i, out));
            }
        } else if (t instanceof CandidType.Record r) {
            CandidValue.Record rec = (CandidValue.Record) v;
            for (CandidType.Field f : r.fields()) {
                CandidValue fv = rec.fields().get(f.id());
                if (fv == null) {
                    throw new IllegalArgumentException("record value lacks field " + f.id());
                }
                write(f.type(), fv, out);
            }
        } else if (t instanceof CandidType.Variant var) {
            CandidValue.Variant value = (CandidValue.Variant) v;
            for (int i = 0; i < var.fields().size(); i++) {
                if (var.fields().get(i).id() == value.id()) {
                    out.writeBytes(Leb128.unsigned(BigInteger.valueOf(i)));
                    write(var.fields().get(i).type(), value.value(), out);
                    return;
                }
            }
            throw new IllegalArgumentException("variant has no alternative " + value.id());
        } else if (t instanceof CandidType.Func) {
            // A transparent reference: 1, the service (1, its principal), the method name.
            CandidValue.Func f = (CandidValue.Func) v;
            out.write(1);
            out.write(1);
            out.writeBytes(Leb128.unsigned(BigInteger.valueOf(f.canister().length)));
            out.writeBytes(f.canister());
            text(out, f.method());
        } else {
            throw new IllegalArgumentException("cannot encode " + t);
        }
    }

    private static void text(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(Leb128.unsigned(BigInteger.valueOf(bytes.length)));
        out.writeBytes(bytes);
    }

    private static void le(ByteArrayOutputStream out, long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }
}
