package dev.interlock.ingest.source;

import java.time.Duration;

/**
 * The sources stage: one class per place data comes from (demo, ledgers, canister logs, ...).
 * A source is polled from its last committed cursor; the publisher writes the records and the
 * new cursor in one Kafka transaction, so a crash neither loses nor duplicates anything.
 */
public interface Source {
    /** Stable id: the key of its cursor and part of its producer's transactional id. */
    String id();

    /**
     * Reads what is new after {@code cursor} (null on the very first poll).
     *
     * @throws SourceException with {@link SourceException#retryable()} saying whether to back off and retry
     */
    SourceBatch poll(String cursor) throws SourceException;

    /** Pause between polls when the source is caught up. */
    Duration pollInterval();

    /** Items known to exist beyond the last poll (blocks behind a ledger's tip), or -1 when unknown. */
    default long lag() {
        return -1;
    }

    /** Pause after a published batch: the poll interval, or none while a source is catching up. */
    default Duration pauseAfter(SourceBatch batch) {
        return pollInterval();
    }

    /** What the source reports in {@code GET /api/ingest/status} beyond the runner's own figures. */
    default java.util.Map<String, Object> status() {
        return java.util.Map.of();
    }

    /**
     * Forgets what the source learned from polls whose batches were never committed (a read-ahead dropped
     * after a failed publish), so that polling again from the committed cursor yields the same batch.
     */
    default void rewind() {
    }

    /** Releases the source's threads and connections; the runner calls it when the source stops. */
    default void close() {
    }

    /** True when nothing will ever follow {@code cursor} (finite sources such as the demo). */
    default boolean exhausted(String cursor) {
        return false;
    }
}
