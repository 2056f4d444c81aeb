package dev.interlock.model;

/** Anything ingest publishes: it knows its topic and its partitioning key. */
public sealed interface IngestRecord permits CallEvent, LedgerBlock, Alert, LogLine, IngressEvent {
    String topic();

    String key();

    /**
     * A key unique to this record across restarts and re-reads (a ledger block's ledger and index), sent
     * as the {@link Topics#HEADER_DEDUP_KEY} header so any consumer can drop duplicates; null when none.
     */
    default String dedupKey() {
        return null;
    }
}
