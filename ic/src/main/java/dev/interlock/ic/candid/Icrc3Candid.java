package dev.interlock.ic.candid;

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
        List<CandidType.Field> alternatives = new ArrayList<>(List.of(
                new CandidType.Field(BLOB, new CandidType.Ref(1)),
                new CandidType.Field(TEXT, CandidType.TEXT),
                new CandidType.Field(NAT, CandidType.NAT),
                new CandidType.Field(INT, CandidType.INT),
                new CandidType.Field(ARRAY, new CandidType.Ref(2)),
                new CandidType.Field(MAP, new CandidType.Ref(3))));
        alternatives.sort((a, b) -> Long.compare(a.id(), b.id()));
        return List.of(
                new CandidType.Variant(alternatives),
                new CandidType.Vec(CandidType.NAT8),
                new CandidType.Vec(new CandidType.Ref(0)),
                new CandidType.Vec(new CandidType.Ref(4)),
                new CandidType.Record(List.of(new CandidType.Field(0, CandidType.TEXT),
                        new CandidType.Field(1, new CandidType.Ref(0)))));
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
            for (CandidValue e : entries.items()) {
                CandidValue.Record pair = (CandidValue.Record) e;
                String key = ((CandidValue.Text) pair.fields().get(0L)).value();
                out.add(new Value.Entry(key, toValue(pair.fields().get(1L), path + "." + key, depth + 1)));
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
