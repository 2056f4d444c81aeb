package dev.interlock.ic.candid;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a decoded value as an expected type, by the specification's subtyping rules: record
 * fields the reader does not know are ignored and missing ones are null when optional;
 * {@code nat} reads as {@code int}; {@code reserved} accepts anything; an {@code opt} whose value
 * does not fit its expected type reads as {@code null} (the special opt rule), and a value of a
 * non-opt type is read into an expected opt. Anything else is an error naming the path.
 */
public final class CandidCoercion {
    private final List<CandidType> wireTable;

    private CandidCoercion(List<CandidType> wireTable) {
        this.wireTable = wireTable;
    }

    /** The message's arguments read as {@code expected}; extra arguments are ignored, missing opt ones are null. */
    public static List<CandidValue> read(CandidDecoder.Message m, List<CandidType> expected) {
        CandidCoercion c = new CandidCoercion(m.table());
        List<CandidValue> out = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            if (i < m.values().size()) {
                out.add(c.coerce(m.values().get(i), m.argTypes().get(i), expected.get(i), "arg" + i));
            } else if (nullable(expected.get(i))) {
                out.add(nothing(expected.get(i)));
            } else {
                throw new CandidException("argument " + i + " is missing and not optional");
            }
        }
        return out;
    }

    private CandidType wire(CandidType t) {
        while (t instanceof CandidType.Ref r) {
            t = wireTable.get(r.index());
        }
        return t;
    }

    private CandidValue coerce(CandidValue v, CandidType wireType, CandidType expected, String path) {
        CandidType w = wire(wireType);
        if (expected instanceof CandidType.Primitive ep) {
            return primitive(v, w, ep.prim(), path);
        }
        if (expected instanceof CandidType.Opt eo) {
            if (isPrim(w, CandidType.Prim.NULL) || isPrim(w, CandidType.Prim.RESERVED)) {
                return new CandidValue.Opt(null);
            }
            if (w instanceof CandidType.Opt wo) {
                CandidValue inner = ((CandidValue.Opt) v).value();
                if (inner == null) {
                    return new CandidValue.Opt(null);
                }
                try {
                    return new CandidValue.Opt(coerce(inner, wo.inner(), eo.inner(), path + "?"));
                } catch (CandidException e) {
                    return new CandidValue.Opt(null); // the special opt rule
                }
            }
            try {
                return new CandidValue.Opt(coerce(v, w, eo.inner(), path + "?"));
            } catch (CandidException e) {
                return new CandidValue.Opt(null);
            }
        }
        if (expected instanceof CandidType.Vec ev) {
            if (!(w instanceof CandidType.Vec wv)) {
                throw mismatch(path, "vec", w);
            }
            if (v instanceof CandidValue.Blob blob) {
                if (ev.element() instanceof CandidType.Primitive p && p.prim() == CandidType.Prim.NAT8) {
                    return blob;
                }
                throw mismatch(path, "vec of " + ev.element(), w);
            }
            List<CandidValue> items = new ArrayList<>();
            List<CandidValue> source = ((CandidValue.Vec) v).items();
            for (int i = 0; i < source.size(); i++) {
                items.add(coerce(source.get(i), wv.element(), ev.element(), path + "[" + i + "]"));
            }
            return new CandidValue.Vec(items);
        }
        if (expected instanceof CandidType.Record er) {
            if (!(w instanceof CandidType.Record wr)) {
                throw mismatch(path, "record", w);
            }
            Map<Long, CandidType> wireFields = new LinkedHashMap<>();
            wr.fields().forEach(f -> wireFields.put(f.id(), f.type()));
            Map<Long, CandidValue> values = ((CandidValue.Record) v).fields();
            Map<Long, CandidValue> out = new LinkedHashMap<>();
            for (CandidType.Field f : er.fields()) {
                if (wireFields.containsKey(f.id())) {
                    out.put(f.id(), coerce(values.get(f.id()), wireFields.get(f.id()), f.type(), path + "." + f.id()));
                } else if (nullable(f.type())) {
                    out.put(f.id(), nothing(f.type()));
                } else {
                    throw new CandidException(path + ": required field " + f.id() + " is missing");
                }
            }
            return new CandidValue.Record(out);
        }
        if (expected instanceof CandidType.Variant ev) {
            if (!(w instanceof CandidType.Variant wv)) {
                throw mismatch(path, "variant", w);
            }
            CandidValue.Variant value = (CandidValue.Variant) v;
            CandidType wirePayload = wv.fields().stream().filter(f -> f.id() == value.id()).findFirst().orElseThrow()
                    .type();
            for (CandidType.Field f : ev.fields()) {
                if (f.id() == value.id()) {
                    return new CandidValue.Variant(f.id(), coerce(value.value(), wirePayload, f.type(),
                            path + "#" + f.id()));
                }
            }
            throw new CandidException(path + ": variant alternative " + value.id() + " is unknown to the reader");
        }
        if (expected instanceof CandidType.Func && w instanceof CandidType.Func
                || expected instanceof CandidType.Service && w instanceof CandidType.Service) {
            return v;
        }
        if (expected instanceof CandidType.Ref) {
            throw new CandidException(path + ": expected types must not use type-table references");
        }
        throw mismatch(path, expected.toString(), w);
    }

    private CandidValue primitive(CandidValue v, CandidType w, CandidType.Prim expected, String path) {
        if (expected == CandidType.Prim.RESERVED) {
            return new CandidValue.Reserved();
        }
        if (!(w instanceof CandidType.Primitive wp)) {
            throw mismatch(path, expected.name().toLowerCase(), w);
        }
        if (wp.prim() == expected || (expected == CandidType.Prim.INT && wp.prim() == CandidType.Prim.NAT)) {
            return v;
        }
        throw mismatch(path, expected.name().toLowerCase(), w);
    }

    private static boolean nullable(CandidType t) {
        return t instanceof CandidType.Opt || (t instanceof CandidType.Primitive p
                && (p.prim() == CandidType.Prim.NULL || p.prim() == CandidType.Prim.RESERVED));
    }

    private static CandidValue nothing(CandidType t) {
        if (t instanceof CandidType.Opt) {
            return new CandidValue.Opt(null);
        }
        return ((CandidType.Primitive) t).prim() == CandidType.Prim.NULL ? new CandidValue.Null()
                : new CandidValue.Reserved();
    }

    private static boolean isPrim(CandidType t, CandidType.Prim p) {
        return t instanceof CandidType.Primitive wp && wp.prim() == p;
    }

    private static CandidException mismatch(String path, String expected, CandidType got) {
        return new CandidException(path + ": expected " + expected + ", the message has " + describe(got));
    }

    private static String describe(CandidType t) {
        return t instanceof CandidType.Primitive p ? p.prim().name().toLowerCase() : t.getClass().getSimpleName().toLowerCase();
    }
}
