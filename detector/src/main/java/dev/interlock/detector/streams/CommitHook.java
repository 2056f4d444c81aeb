package dev.interlock.detector.streams;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A state store that stores nothing: it tells its processor that the task is about to commit, so the
 * processor can write the state it changed since the last commit in one go (write-behind) instead of
 * serialising a canister's state on every event.
 *
 * <p>Kafka Streams flushes every caching store of a task ({@link CachedStateStore#flushCache()}) in
 * {@code StreamTask.prepareCommit}, before the record collector is flushed and the transaction that
 * carries the input offsets commits; with {@code exactly_once_v2} the changelog records written here
 * therefore commit atomically with the offsets of the events that changed the state (the same contract
 * Streams' own record caches rely on). A crash before the commit aborts both. On a dirty close Streams
 * calls {@link #clearCache()}: the processor then drops what it had not written.
 *
 * <p>{@link CachedStateStore} is an internal interface of Kafka Streams (4.1); {@code DetectorTopologyTest}
 * fails if a Streams upgrade stops calling it at commit (state would then never reach the stores).
 */
final class CommitHook implements StateStore, CachedStateStore<Object, Object> {
    /** What the processor does before a commit and on a dirty close. */
    interface Listener {
        void beforeCommit();

        void discard();
    }

    private final String name;
    /** By processor name: a processor that is initialised again replaces its listener. */
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private boolean open;

    CommitHook(String name) {
        this.name = name;
    }

    /** Registers {@code l} under {@code owner} (a processor of this store's task), replacing an earlier one. */
    void listen(String owner, Listener l) {
        listeners.put(owner, l);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> {
            // nothing stored, nothing restored
        });
        open = true;
    }

    @Override
    public void flushCache() {
        listeners.values().forEach(Listener::beforeCommit);
    }

    @Override
    public void clearCache() {
        listeners.values().forEach(Listener::discard);
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> l, boolean sendOldValues) {
        return false;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        open = false;
        listeners.clear();
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Builds one hook per task; there is nothing to log or cache. */
    static StoreBuilder<CommitHook> builder(String name) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<CommitHook> withCachingEnabled() {
                return this;
            }

            @Override
            public StoreBuilder<CommitHook> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<CommitHook> withLoggingEnabled(Map<String, String> config) {
                return this;
            }

            @Override
            public StoreBuilder<CommitHook> withLoggingDisabled() {
                return this;
            }

            @Override
            public CommitHook build() {
                return new CommitHook(name);
            }

            @Override
            public Map<String, String> logConfig() {
                return Map.of();
            }

            @Override
            public boolean loggingEnabled() {
                return false;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
