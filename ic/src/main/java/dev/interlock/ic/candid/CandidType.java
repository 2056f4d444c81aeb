package dev.interlock.ic.candid;

import java.util.List;

/**
 * A Candid type as it appears on the wire: primitives by opcode, constructors with their
 * component types, and references into the type table (which makes recursive types possible).
 */
public sealed interface CandidType {
    /** Primitive opcodes (negative SLEB128 values, see the Candid specification). */
    enum Prim {
        NULL(-1), BOOL(-2), NAT(-3), INT(-4), NAT8(-5), NAT16(-6), NAT32(-7), NAT64(-8), INT8(-9), INT16(-10),
        INT32(-11), INT64(-12), FLOAT32(-13), FLOAT64(-14), TEXT(-15), RESERVED(-16), EMPTY(-17), PRINCIPAL(-24);

        final int opcode;

        Prim(int opcode) {
            this.opcode = opcode;
        }

        static Prim of(long opcode) {
            for (Prim p : values()) {
                if (p.opcode == opcode) {
                    return p;
                }
            }
            return null;
        }
    }

    record Primitive(Prim prim) implements CandidType {
    }

    record Opt(CandidType inner) implements CandidType {
    }

    record Vec(CandidType element) implements CandidType {
    }

    record Field(long id, CandidType type) {
    }

    /** Fields sorted by id, as the wire requires. */
    record Record(List<Field> fields) implements CandidType {
        /** A record of these fields in wire order (sorted by id). */
        public static Record of(Field... fields) {
            return new Record(sortedById(fields));
        }
    }

    record Variant(List<Field> fields) implements CandidType {
        /** A variant of these alternatives in wire order (sorted by id). */
        public static Variant of(Field... fields) {
            return new Variant(sortedById(fields));
        }
    }

    private static List<Field> sortedById(Field... fields) {
        List<Field> f = new java.util.ArrayList<>(List.of(fields));
        f.sort((a, b) -> Long.compareUnsigned(a.id(), b.id()));
        return List.copyOf(f);
    }

    record Func(List<CandidType> args, List<CandidType> results, List<Integer> modes) implements CandidType {
    }

    record Method(String name, CandidType type) {
    }

    record Service(List<Method> methods) implements CandidType {
    }

    /** Index into the message's type table. */
    record Ref(int index) implements CandidType {
    }

    CandidType NAT = new Primitive(Prim.NAT);
    CandidType INT = new Primitive(Prim.INT);
    CandidType TEXT = new Primitive(Prim.TEXT);
    CandidType NULL = new Primitive(Prim.NULL);
    CandidType NAT8 = new Primitive(Prim.NAT8);
    CandidType NAT64 = new Primitive(Prim.NAT64);
    CandidType BOOL = new Primitive(Prim.BOOL);
    CandidType PRINCIPAL = new Primitive(Prim.PRINCIPAL);
    CandidType RESERVED = new Primitive(Prim.RESERVED);

    /** The field id of a field name: idl_hash, h = h * 223 + byte (mod 2^32) over its UTF-8 bytes. */
    static long idOf(String name) {
        long h = 0;
        for (byte b : name.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h = (h * 223 + (b & 0xff)) & 0xffffffffL;
        }
        return h;
    }
}
