package dev.interlock.ic;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The ICRC-3 {@code Value}: {@code variant { Blob; Text; Nat; Int; Array : vec Value;
 * Map : vec record { text; Value } }}. Map entries keep the order they were written in; the
 * hash ({@link ValueHash}) does not depend on it.
 */
public sealed interface Value {
    record Blob(byte[] bytes) implements Value {
        public Blob {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Blob b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Blob(" + HexFormat.of().formatHex(bytes) + ")";
        }
    }

    record Text(String value) implements Value {
        public Text {
            Objects.requireNonNull(value);
        }
    }

    record Nat(BigInteger value) implements Value {
        public Nat {
            if (value.signum() < 0) {
                throw new IllegalArgumentException("Nat must be non-negative, got " + value);
            }
        }
    }

    record Int(BigInteger value) implements Value {
        public Int {
            Objects.requireNonNull(value);
        }
    }

    record Array(List<Value> items) implements Value {
        public Array {
            items = List.copyOf(items);
        }
    }

    record Entry(String key, Value value) {
    }

    record Map(List<Entry> entries) implements Value {
        public Map {
            entries = List.copyOf(entries);
        }

        /** The value of the first entry with this key, or null. */
        public Value get(String key) {
            for (Entry e : entries) {
                if (e.key().equals(key)) {
                    return e.value();
                }
            }
            return null;
        }

        public java.util.Map<String, Value> asMap() {
            java.util.Map<String, Value> m = new LinkedHashMap<>();
            entries.forEach(e -> m.putIfAbsent(e.key(), e.value()));
            return m;
        }
    }

    static Blob blob(byte[] bytes) {
        return new Blob(bytes);
    }

    static Text text(String s) {
        return new Text(s);
    }

    static Nat nat(long n) {
        return new Nat(BigInteger.valueOf(n));
    }

    static Nat nat(BigInteger n) {
        return new Nat(n);
    }

    static Int integer(long n) {
        return new Int(BigInteger.valueOf(n));
    }

    static Array array(Value... items) {
        return new Array(Arrays.asList(items));
    }

    /** Builds a Map in insertion order: {@code Value.map().put("a", x).build()}. */
    static MapBuilder map() {
        return new MapBuilder();
    }

    /** An ICRC-1 account as ICRC-3 writes it: [owner] or [owner, subaccount] exactly as given. */
    static Array account(Account a) {
        byte[] sub = a.rawSubaccount();
        return sub == null ? array(blob(a.owner().bytes())) : array(blob(a.owner().bytes()), blob(sub));
    }

    final class MapBuilder {
        private final List<Entry> entries = new ArrayList<>();

        public MapBuilder put(String key, Value v) {
            entries.add(new Entry(key, v));
            return this;
        }

        /** Adds the entry only when the value is not null. */
        public MapBuilder putIfPresent(String key, Value v) {
            if (v != null) {
                entries.add(new Entry(key, v));
            }
            return this;
        }

        public Map build() {
            return new Map(entries);
        }
    }

    /** UTF-8 bytes of a Text, for hashing. */
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
