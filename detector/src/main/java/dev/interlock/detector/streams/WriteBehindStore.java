package dev.interlock.detector.streams;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.interlock.detector.graph.SortedStore;

/**
 * A cross-canister stage's {@link SortedStore} held in memory and written to its Kafka Streams store
 * (RocksDB, changelogged) just before each commit, through the task's {@link CommitHook}: the stages
 * look up, scan and sweep their entries on every event, which in memory costs a tree lookup, and each
 * entry changed since the last commit is written once. Loaded whole from the store when the processor
 * starts (after a restart or a partition move the store has been restored from its changelog first),
 * so it holds what the store holds: entries are bounded by the stages' own retention and sweeps.
 *
 * <p>Keys compare as Java strings, as in the offline stages' {@link SortedStore#inMemory()}; their
 * components are ASCII, so that is also the order they have in RocksDB.
 */
final class WriteBehindStore<V> implements SortedStore<V>, CommitHook.Listener {
    private final KeyValueStore<String, V> store;
    private final TreeMap<String, V> map = new TreeMap<>();
    /** Changed since the last commit: the new value, or null for a deletion. */
    private final Map<String, V> dirty = new HashMap<>();
    /**
     * Keys put since the last commit that the store did not hold at it: deleted again before the next commit,
     * they are written neither as a value nor as a tombstone (no changelog record for what came and went).
     */
    private final java.util.Set<String> fresh = new java.util.HashSet<>();

    WriteBehindStore(KeyValueStore<String, V> store) {
        this.store = store;
        try (KeyValueIterator<String, V> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, V> kv = it.next();
                map.put(kv.key, kv.value);
            }
        }
    }

    @Override
    public V get(String key) {
        return map.get(key);
    }

    @Override
    public void put(String key, V value) {
        boolean changedBefore = dirty.containsKey(key);
        V before = map.put(key, value);
        dirty.put(key, value);
        if (before == null && !changedBefore) {
            fresh.add(key); // absent from memory and not deleted since the last commit: absent from the store too
        }
    }

    @Override
    public void delete(String key) {
        if (map.remove(key) != null) {
            if (fresh.remove(key)) {
                dirty.remove(key);
            } else {
                dirty.put(key, null);
            }
        }
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

    /** Entries in memory (for metrics and tests). */
    int size() {
        return map.size();
    }

    @Override
    public void beforeCommit() {
        for (Map.Entry<String, V> e : dirty.entrySet()) {
            store.put(e.getKey(), e.getValue()); // a null value deletes
        }
        dirty.clear();
        fresh.clear();
    }

    @Override
    public void discard() {
        // a dirty close: the store goes back to the last commit and the processor is built again from it
        dirty.clear();
        fresh.clear();
        map.clear();
    }
}
