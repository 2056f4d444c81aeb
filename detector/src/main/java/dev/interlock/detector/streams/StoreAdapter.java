package dev.interlock.detector.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.interlock.detector.graph.SortedStore;

/**
 * A Kafka Streams key-value store (RocksDB, changelogged) as the plain-Java {@link SortedStore} the
 * cross-canister detectors use. String keys are compared as UTF-8 bytes, which orders the ASCII
 * prefixes, digits and length fields of their keys as the in-memory map does.
 */
final class StoreAdapter<V> implements SortedStore<V> {
    private final KeyValueStore<String, V> store;

    StoreAdapter(KeyValueStore<String, V> store) {
        this.store = store;
    }

    @Override
    public V get(String key) {
        return store.get(key);
    }

    @Override
    public void put(String key, V value) {
        store.put(key, value);
    }

    @Override
    public void delete(String key) {
        store.delete(key);
    }

    @Override
    public List<Map.Entry<String, V>> range(String from, String to) {
        List<Map.Entry<String, V>> out = new ArrayList<>();
        if (from.compareTo(to) >= 0) {
            return out;
        }
        // KeyValueStore#range includes its upper bound: leave it out.
        try (KeyValueIterator<String, V> it = store.range(from, to)) {
            while (it.hasNext()) {
                KeyValue<String, V> kv = it.next();
                if (!kv.key.equals(to)) {
                    out.add(Map.entry(kv.key, kv.value));
                }
            }
        }
        return out;
    }

    @Override
    public String firstKey(String from, String to) {
        if (from.compareTo(to) >= 0) {
            return null;
        }
        try (KeyValueIterator<String, V> it = store.range(from, to)) {
            while (it.hasNext()) {
                String key = it.next().key;
                if (!key.equals(to)) {
                    return key;
                }
            }
        }
        return null;
    }
}
