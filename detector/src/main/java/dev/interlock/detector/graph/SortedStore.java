package dev.interlock.detector.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Where the cross-canister detectors ({@link CallGraph}, the ledger reconciliation) keep their
 * state: a map with ordered string keys. Offline it is a {@link TreeMap}; in the service a Kafka
 * Streams key-value store (RocksDB, changelogged), so that the state survives restarts and moves
 * with its partition. One entry per fact (a call, a link, a block), never one blob per canister
 * or account, so that a busy key costs one small write per event.
 *
 * Keys are built from {@link #part(String)} components (length-prefixed, so that no id can fake
 * a boundary) and {@link #time(long)} stamps (fixed width, so that string order is time order).
 * The character that follows any prefix used in a range is therefore a digit, which is what
 * {@link #upTo(String)} relies on.
 */
public interface SortedStore<V> {
    V get(String key);

    /** Stores a non-null value. */
    void put(String key, V value);

    void delete(String key);

    /** Entries with {@code from <= key < to}, in key order; a snapshot the caller may modify the store after. */
    List<Map.Entry<String, V>> range(String from, String to);

    /** The smallest key with {@code from <= key < to}, or null. */
    String firstKey(String from, String to);

    static <V> SortedStore<V> inMemory() {
        TreeMap<String, V> map = new TreeMap<>();
        return new SortedStore<>() {
            @Override
            public V get(String key) {
                return map.get(key);
            }

            @Override
            public void put(String key, V value) {
                map.put(key, value);
            }

            @Override
            public void delete(String key) {
                map.remove(key);
            }

            @Override
            public List<Map.Entry<String, V>> range(String from, String to) {
                return SortedStore.snapshot(map, from, to);
            }

            @Override
            public String firstKey(String from, String to) {
                String k = map.ceilingKey(from);
                return k != null && k.compareTo(to) < 0 ? k : null;
            }
        };
    }

    /**
     * The entries of {@code map} with {@code from <= key < to}, copied: a TreeMap's own entries change when another
     * entry is deleted (its successor's key and value move into the deleted node), so a caller that deletes while it
     * walks a range must not hold them.
     */
    static <V> List<Map.Entry<String, V>> snapshot(java.util.NavigableMap<String, V> map, String from, String to) {
        if (from.compareTo(to) >= 0) {
            return List.of();
        }
        List<Map.Entry<String, V>> out = new ArrayList<>();
        for (Map.Entry<String, V> e : map.subMap(from, to).entrySet()) {
            out.add(new java.util.AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** One key component: {@code <length>:<text>} (null as empty). */
    static String part(String s) {
        String t = s == null ? "" : s;
        return t.length() + ":" + t;
    }

    /** A time (ns, non-negative) as 20 digits. */
    static String time(long nanos) {
        String digits = Long.toString(Math.max(0, nanos));
        return "0".repeat(20 - digits.length()) + digits;
    }

    /** The {@link #time(long)} stamp at {@code offset} of a key. */
    static long timeAt(String key, int offset) {
        return Long.parseLong(key.substring(offset, offset + 20));
    }

    /** Exclusive upper bound of every key that starts with {@code prefix} followed by a digit. */
    static String upTo(String prefix) {
        return prefix + '~';
    }

    /**
     * Forgets what expired: the time index lives under {@code indexPrefix} + {@link #time(long)} +
     * target key; a target is deleted when its own expiry ({@code expiryOf}) has passed too, so
     * that re-stamping an entry (a later expiry) only leaves a stale index entry behind.
     *
     * @return the number of entries deleted
     */
    static <V> int sweep(SortedStore<V> store, String indexPrefix, long clock, ToLongFunction<V> expiryOf) {
        if (clock == Long.MAX_VALUE) {
            throw new IllegalArgumentException("clock");
        }
        int deleted = 0;
        int skip = indexPrefix.length() + 20;
        for (Map.Entry<String, V> index : store.range(indexPrefix, indexPrefix + time(clock + 1))) {
            String target = index.getKey().substring(skip);
            V value = store.get(target);
            if (value != null && expiryOf.applyAsLong(value) <= clock) {
                store.delete(target);
                deleted++;
            }
            store.delete(index.getKey());
        }
        return deleted;
    }
}
