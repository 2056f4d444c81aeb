package dev.interlock.ic.candid;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A decoded Candid value. Numbers keep their exact width: fixed-size ones as long, nat/int as BigInteger. */
public sealed interface CandidValue {
    record Null() implements CandidValue {
    }

    record Bool(boolean value) implements CandidValue {
    }

    /** nat, int: unbounded. */
    record Big(BigInteger value) implements CandidValue {
    }

    /** nat8..nat32, int8..int64: exact; nat64 as unsigned bits in a long (see {@link #unsigned()}). */
    record Fixed(CandidType.Prim type, long bits) implements CandidValue {
        public BigInteger unsigned() {
            return type == CandidType.Prim.NAT64 && bits < 0 ? BigInteger.valueOf(bits).add(BigInteger.ONE.shiftLeft(64))
                    : BigInteger.valueOf(bits);
        }
    }

    record Float(double value) implements CandidValue {
    }

    record Text(String value) implements CandidValue {
    }

    record Reserved() implements CandidValue {
    }

    /** opt: value null when absent. */
    record Opt(CandidValue value) implements CandidValue {
    }

    record Vec(List<CandidValue> items) implements CandidValue {
    }

    /** vec nat8, kept as bytes. */
    record Blob(byte[] bytes) implements CandidValue {
        @Override
        public boolean equals(Object o) {
            return o instanceof Blob b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    /** Fields by id (see {@link CandidType#idOf(String)}), in id order. */
    record Record(Map<Long, CandidValue> fields) implements CandidValue {
        public CandidValue get(String name) {
            return fields.get(CandidType.idOf(name));
        }
    }

    record Variant(long id, CandidValue value) implements CandidValue {
        public boolean is(String name) {
            return id == CandidType.idOf(name);
        }
    }

    record Principal(byte[] bytes) implements CandidValue {
        @Override
        public boolean equals(Object o) {
            return o instanceof Principal p && Arrays.equals(bytes, p.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    /** A func reference: the canister that serves it and the method (archive callbacks are these). */
    record Func(byte[] canister, String method) implements CandidValue {
    }

    record Service(byte[] canister) implements CandidValue {
    }
}
