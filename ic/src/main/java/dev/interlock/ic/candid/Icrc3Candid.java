package dev.interlock.ic.candid;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import dev.interlock.ic.Value;

/**
 * The ICRC-3 Candid types ({@code ICRC3Value}, {@code GetBlocksArgs}, {@code GetBlocksResult}) and
 * the conversion of a decoded ICRC-3 value to {@link Value}.
 */
public final class Icrc3Candid {
    public static final long BLOB = CandidType.idOf("Blob");
    public static final long TEXT = CandidType.idOf("Text");
    public static final long NAT = CandidType.idOf("Nat");
    public static final long INT = CandidType.idOf("Int");
    public static final long ARRAY = CandidType.idOf("Array");
    public static final long MAP = CandidType.idOf("Map");

    private Icrc3Candid() {
    }

    /**
     * A type table holding ICRC3Value at index 0:
     * {@code variant { Blob : blob; Text : text; Nat : nat; Int : int; Array : vec ICRC3Value;
     * Map : vec record { text; ICRC3Value } }}.
     */
    public static List<CandidType> valueTable() {
        return List.of(
                CandidType.Variant.of(
                        new CandidType.Field(BLOB, new CandidType.Ref(1)),
                        new CandidType.Field(TEXT, CandidType.TEXT),
                        new CandidType.Field(NAT, CandidType.NAT),
                        new CandidType.Field(INT, CandidType.INT),
                        new CandidType.Field(ARRAY, new CandidType.Ref(2)),
                        new CandidType.Field(MAP, new CandidType.Ref(3))),
                new CandidType.Vec(CandidType.NAT8),
                new CandidType.Vec(new CandidType.Ref(0)),
                new CandidType.Vec(new CandidType.Ref(4)),
                new CandidType.Record(List.of(new CandidType.Field(0, CandidType.TEXT),
                        new CandidType.Field(1, new CandidType.Ref(0)))));
    }

    /** One {@code GetBlocksArgs} item: a range of block indices. */
    public record Range(BigInteger start, BigInteger length) {
    }

    /** A block of a {@code GetBlocksResult}. */
    public record Block(BigInteger id, Value block) {
    }

    /** Ranges held by an archive, fetched by calling {@code callback} (a query {@code func}) with {@code args}. */
    public record Archived(List<Range> args, CandidValue.Func callback) {
    }

    /** {@code icrc3_get_blocks}' result. */
    public record GetBlocksResult(BigInteger logLength, List<Block> blocks, List<Archived> archived) {
    }

    private static final long LOG_LENGTH = CandidType.idOf("log_length");
    private static final long BLOCKS = CandidType.idOf("blocks");
    private static final long ARCHIVED_BLOCKS = CandidType.idOf("archived_blocks");
    private static final long ID = CandidType.idOf("id");
    private static final long BLOCK_FIELD = CandidType.idOf("block");
    private static final long ARGS = CandidType.idOf("args");
    private static final long CALLBACK = CandidType.idOf("callback");
    private static final long START = CandidType.idOf("start");
    private static final long LENGTH = CandidType.idOf("length");
    /** Index of {@code GetBlocksResult} in {@link #getBlocksTable()}. */
    public static final int GET_BLOCKS_RESULT = 5;
    /** Index of {@code GetBlocksArgs} ({@code vec record { start; length }}) in {@link #getBlocksTable()}. */
    public static final int GET_BLOCKS_ARGS = 10;

    /**
     * The value table extended with {@code GetBlocksArgs} and the recursive {@code GetBlocksResult}, whose
     * archive callbacks are {@code func (GetBlocksArgs) -> (GetBlocksResult) query}.
     */
    public static List<CandidType> getBlocksTable() {
        List<CandidType> t = new ArrayList<>(valueTable());
        t.add(CandidType.Record.of(new CandidType.Field(LOG_LENGTH, CandidType.NAT), new CandidType.Field(BLOCKS, new CandidType.Ref(6)),
                new CandidType.Field(ARCHIVED_BLOCKS, new CandidType.Ref(8))));                       // 5
        t.add(new CandidType.Vec(new CandidType.Ref(7)));                                                // 6
        t.add(CandidType.Record.of(new CandidType.Field(ID, CandidType.NAT), new CandidType.Field(BLOCK_FIELD, new CandidType.Ref(0)))); // 7
        t.add(new CandidType.Vec(new CandidType.Ref(9)));                                                // 8
        t.add(CandidType.Record.of(new CandidType.Field(ARGS, new CandidType.Ref(10)), new CandidType.Field(CALLBACK, new CandidType.Ref(12)))); // 9
        t.add(new CandidType.Vec(new CandidType.Ref(11)));                                               // 10
        t.add(CandidType.Record.of(new CandidType.Field(START, CandidType.NAT), new CandidType.Field(LENGTH, CandidType.NAT))); // 11
        t.add(new CandidType.Func(List.of(new CandidType.Ref(10)), List.of(new CandidType.Ref(5)), List.of(1))); // 12 (query)
        return t;
    }

    /** The Candid encoding of {@code icrc3_get_blocks}' argument. */
    public static byte[] encodeGetBlocksArgs(List<Range> ranges) {
        return CandidEncoder.encode(getBlocksTable(), List.of(new CandidType.Ref(GET_BLOCKS_ARGS)), List.of(rangesValue(ranges)));
    }

    /** The Candid encoding of a {@code GetBlocksResult} (what a ledger or a fake replica replies). */
    public static byte[] encodeGetBlocksResult(GetBlocksResult r) {
        List<CandidValue> blocks = new ArrayList<>();
        for (Block b : r.blocks()) {
            blocks.add(rec(ID, new CandidValue.Big(b.id()), BLOCK_FIELD, fromValue(b.block())));
        }
        List<CandidValue> archived = new ArrayList<>();
        for (Archived a : r.archived()) {
            archived.add(rec(ARGS, rangesValue(a.args()), CALLBACK, a.callback()));
        }
        CandidValue result = rec(LOG_LENGTH, new CandidValue.Big(r.logLength()), BLOCKS, new CandidValue.Vec(blocks),
                ARCHIVED_BLOCKS, new CandidValue.Vec(archived));
        return CandidEncoder.encode(getBlocksTable(), List.of(new CandidType.Ref(GET_BLOCKS_RESULT)), List.of(result));
    }

    private static CandidValue rangesValue(List<Range> ranges) {
        List<CandidValue> items = new ArrayList<>();
        for (Range r : ranges) {
            items.add(rec(START, new CandidValue.Big(r.start()), LENGTH, new CandidValue.Big(r.length())));
        }
        return new CandidValue.Vec(items);
    }

    private static CandidValue.Record rec(Object... idsAndValues) {
        java.util.Map<Long, CandidValue> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < idsAndValues.length; i += 2) {
            m.put((Long) idsAndValues[i], (CandidValue) idsAndValues[i + 1]);
        }
        return new CandidValue.Record(m);
    }

    /**
     * Reads a {@code GetBlocksResult} reply. Fields are found by their hashed ids, so a ledger that adds
     * fields still reads; a missing or mistyped field is an error naming it.
     */
    public static GetBlocksResult readGetBlocksResult(byte[] reply, CandidDecoder.Limits limits) {
        CandidDecoder.Message m = CandidDecoder.decode(reply, limits);
        if (m.values().isEmpty()) {
            throw new CandidException("GetBlocksResult: the reply has no value");
        }
        CandidValue.Record r = as(m.values().get(0), CandidValue.Record.class, "GetBlocksResult");
        BigInteger logLength = as(field(r, LOG_LENGTH, "log_length"), CandidValue.Big.class, "log_length").value();
        List<Block> blocks = new ArrayList<>();
        List<CandidValue> items = as(field(r, BLOCKS, "blocks"), CandidValue.Vec.class, "blocks").items();
        for (int i = 0; i < items.size(); i++) {
            String where = "blocks[" + i + "]";
            CandidValue.Record b = as(items.get(i), CandidValue.Record.class, where);
            BigInteger id = as(field(b, ID, where + ".id"), CandidValue.Big.class, where + ".id").value();
            blocks.add(new Block(id, toValue(field(b, BLOCK_FIELD, where + ".block"), where + ".block", 0)));
        }
        List<Archived> archived = new ArrayList<>();
        List<CandidValue> arch = as(field(r, ARCHIVED_BLOCKS, "archived_blocks"), CandidValue.Vec.class, "archived_blocks").items();
        for (int i = 0; i < arch.size(); i++) {
            String where = "archived_blocks[" + i + "]";
            CandidValue.Record a = as(arch.get(i), CandidValue.Record.class, where);
            List<Range> ranges = new ArrayList<>();
            for (CandidValue rv : as(field(a, ARGS, where + ".args"), CandidValue.Vec.class, where + ".args").items()) {
                CandidValue.Record rr = as(rv, CandidValue.Record.class, where + ".args[]");
                ranges.add(new Range(as(field(rr, START, "start"), CandidValue.Big.class, where + ".start").value(),
                        as(field(rr, LENGTH, "length"), CandidValue.Big.class, where + ".length").value()));
            }
            archived.add(new Archived(ranges, as(field(a, CALLBACK, where + ".callback"), CandidValue.Func.class,
                    where + ".callback")));
        }
        return new GetBlocksResult(logLength, blocks, archived);
    }

    /** An entry of {@code icrc3_get_archives}: an archive canister and the blocks it holds, {@code start..end} inclusive. */
    public record ArchiveInfo(byte[] canister, BigInteger start, BigInteger end) {
    }

    /** An entry of {@code icrc3_supported_block_types}. */
    public record BlockType(String blockType, String url) {
    }

    private static final long FROM = CandidType.idOf("from");
    private static final long CANISTER_ID = CandidType.idOf("canister_id");
    private static final long END = CandidType.idOf("end");
    private static final long BLOCK_TYPE = CandidType.idOf("block_type");
    private static final long URL = CandidType.idOf("url");

    /** 0 GetArchivesArgs {@code record { from : opt principal }}, 1 opt principal, 2 GetArchivesResult, 3 its entry. */
    private static List<CandidType> archivesTable() {
        return List.of(CandidType.Record.of(new CandidType.Field(FROM, new CandidType.Ref(1))),
                new CandidType.Opt(CandidType.PRINCIPAL),
                new CandidType.Vec(new CandidType.Ref(3)),
                CandidType.Record.of(new CandidType.Field(CANISTER_ID, CandidType.PRINCIPAL), new CandidType.Field(START, CandidType.NAT),
                        new CandidType.Field(END, CandidType.NAT)));
    }

    /** The argument of {@code icrc3_get_archives}: archives after {@code from} (null: from the first). */
    public static byte[] encodeGetArchivesArgs(byte[] from) {
        return CandidEncoder.encode(archivesTable(), List.of(new CandidType.Ref(0)),
                List.of(rec(FROM, new CandidValue.Opt(from == null ? null : new CandidValue.Principal(from)))));
    }

    public static byte[] encodeGetArchivesResult(List<ArchiveInfo> archives) {
        List<CandidValue> items = new ArrayList<>();
        for (ArchiveInfo a : archives) {
            items.add(rec(CANISTER_ID, new CandidValue.Principal(a.canister()), START, new CandidValue.Big(a.start()), END,
                    new CandidValue.Big(a.end())));
        }
        return CandidEncoder.encode(archivesTable(), List.of(new CandidType.Ref(2)), List.of(new CandidValue.Vec(items)));
    }

    public static List<ArchiveInfo> readGetArchivesResult(byte[] reply, CandidDecoder.Limits limits) {
        CandidDecoder.Message m = CandidDecoder.decode(reply, limits);
        if (m.values().isEmpty()) {
            throw new CandidException("GetArchivesResult: the reply has no value");
        }
        List<ArchiveInfo> out = new ArrayList<>();
        List<CandidValue> items = as(m.values().get(0), CandidValue.Vec.class, "GetArchivesResult").items();
        for (int i = 0; i < items.size(); i++) {
            String where = "GetArchivesResult[" + i + "]";
            CandidValue.Record r = as(items.get(i), CandidValue.Record.class, where);
            out.add(new ArchiveInfo(as(field(r, CANISTER_ID, where + ".canister_id"), CandidValue.Principal.class, where + ".canister_id")
                    .bytes(), as(field(r, START, where + ".start"), CandidValue.Big.class, where + ".start").value(),
                    as(field(r, END, where + ".end"), CandidValue.Big.class, where + ".end").value()));
        }
        return out;
    }

    /** 0 {@code vec record { block_type : text; url : text }}, 1 its entry. */
    private static List<CandidType> blockTypesTable() {
        return List.of(new CandidType.Vec(new CandidType.Ref(1)),
                CandidType.Record.of(new CandidType.Field(BLOCK_TYPE, CandidType.TEXT), new CandidType.Field(URL, CandidType.TEXT)));
    }

    public static byte[] encodeSupportedBlockTypes(List<BlockType> types) {
        List<CandidValue> items = new ArrayList<>();
        for (BlockType t : types) {
            items.add(rec(BLOCK_TYPE, new CandidValue.Text(t.blockType()), URL, new CandidValue.Text(t.url())));
        }
        return CandidEncoder.encode(blockTypesTable(), List.of(new CandidType.Ref(0)), List.of(new CandidValue.Vec(items)));
    }

    public static List<BlockType> readSupportedBlockTypes(byte[] reply, CandidDecoder.Limits limits) {
        CandidDecoder.Message m = CandidDecoder.decode(reply, limits);
        if (m.values().isEmpty()) {
            throw new CandidException("supported block types: the reply has no value");
        }
        List<BlockType> out = new ArrayList<>();
        List<CandidValue> items = as(m.values().get(0), CandidValue.Vec.class, "supported block types").items();
        for (int i = 0; i < items.size(); i++) {
            String where = "supported block types[" + i + "]";
            CandidValue.Record r = as(items.get(i), CandidValue.Record.class, where);
            out.add(new BlockType(as(field(r, BLOCK_TYPE, where + ".block_type"), CandidValue.Text.class, where).value(),
                    as(field(r, URL, where + ".url"), CandidValue.Text.class, where).value()));
        }
        return out;
    }

    private static CandidValue field(CandidValue.Record r, long id, String name) {
        CandidValue v = r.fields().get(id);
        if (v == null) {
            throw new CandidException("GetBlocksResult: field " + name + " is missing");
        }
        return v;
    }

    private static <T extends CandidValue> T as(CandidValue v, Class<T> type, String where) {
        if (!type.isInstance(v)) {
            throw new CandidException(where + " is " + (v == null ? "missing" : v.getClass().getSimpleName()) + ", not "
                    + type.getSimpleName());
        }
        return type.cast(v);
    }

    /** Converts a decoded ICRC3Value; the message names the path of anything that is not one. */
    public static Value toValue(CandidValue v) {
        return toValue(v, "$", 0);
    }

    private static Value toValue(CandidValue v, String path, int depth) {
        if (depth > 64) {
            throw new CandidException(path + ": ICRC-3 value nested deeper than 64");
        }
        if (!(v instanceof CandidValue.Variant var)) {
            throw new CandidException(path + ": an ICRC-3 value is a variant");
        }
        CandidValue x = var.value();
        if (var.id() == BLOB && x instanceof CandidValue.Blob b) {
            return Value.blob(b.bytes());
        }
        if (var.id() == TEXT && x instanceof CandidValue.Text t) {
            return Value.text(t.value());
        }
        if (var.id() == NAT && x instanceof CandidValue.Big n) {
            return Value.nat(n.value());
        }
        if (var.id() == INT && x instanceof CandidValue.Big n) {
            return new Value.Int(n.value());
        }
        if (var.id() == ARRAY && x instanceof CandidValue.Vec items) {
            List<Value> out = new ArrayList<>();
            for (int i = 0; i < items.items().size(); i++) {
                out.add(toValue(items.items().get(i), path + "[" + i + "]", depth + 1));
            }
            return new Value.Array(out);
        }
        if (var.id() == MAP && x instanceof CandidValue.Vec entries) {
            List<Value.Entry> out = new ArrayList<>();
            for (int i = 0; i < entries.items().size(); i++) {
                CandidValue e = entries.items().get(i);
                if (!(e instanceof CandidValue.Record pair) || !(pair.fields().get(0L) instanceof CandidValue.Text key)
                        || pair.fields().get(1L) == null) {
                    throw new CandidException(path + "[" + i + "]: a Map entry is not a (text, value) pair: " + e);
                }
                out.add(new Value.Entry(key.value(), toValue(pair.fields().get(1L), path + "." + key.value(), depth + 1)));
            }
            return new Value.Map(out);
        }
        throw new CandidException(path + ": alternative " + var.id() + " with " + x + " is not an ICRC-3 value");
    }

    /** The Candid form of a {@link Value} (for fake replicas and tests). */
    public static CandidValue fromValue(Value v) {
        if (v instanceof Value.Blob b) {
            return new CandidValue.Variant(BLOB, new CandidValue.Blob(b.bytes()));
        }
        if (v instanceof Value.Text t) {
            return new CandidValue.Variant(TEXT, new CandidValue.Text(t.value()));
        }
        if (v instanceof Value.Nat n) {
            return new CandidValue.Variant(NAT, new CandidValue.Big(n.value()));
        }
        if (v instanceof Value.Int i) {
            return new CandidValue.Variant(INT, new CandidValue.Big(i.value()));
        }
        if (v instanceof Value.Array a) {
            return new CandidValue.Variant(ARRAY, new CandidValue.Vec(a.items().stream().map(Icrc3Candid::fromValue)
                    .toList()));
        }
        Value.Map m = (Value.Map) v;
        List<CandidValue> entries = new ArrayList<>();
        for (Value.Entry e : m.entries()) {
            java.util.Map<Long, CandidValue> pair = new java.util.LinkedHashMap<>();
            pair.put(0L, new CandidValue.Text(e.key()));
            pair.put(1L, fromValue(e.value()));
            entries.add(new CandidValue.Record(pair));
        }
        return new CandidValue.Variant(MAP, new CandidValue.Vec(entries));
    }
}
