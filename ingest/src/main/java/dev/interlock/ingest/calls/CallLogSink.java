package dev.interlock.ingest.calls;

import java.util.Map;

/**
 * Where processed call logs go: records, quarantined lines and the moved cursors in one atomic step
 * ({@link KafkaCallLogSink} in production, a list in tests).
 */
public interface CallLogSink extends AutoCloseable {
    /** Last committed idx per canister. */
    Map<String, Long> cursors();

    /** Publishes a chunk atomically; afterwards {@link #cursors()} includes its cursor updates. */
    void publish(CallLogProcessor.Chunk chunk);

    @Override
    default void close() {
    }
}
