package dev.interlock.model;

/** Kafka topic names: the contract between the roles. */
public final class Topics {
    /** Call-trace events, keyed by canister. */
    public static final String CALLS = "interlock.calls";
    /** Ledger blocks, keyed by ledger. */
    public static final String LEDGER_BLOCKS = "interlock.ledger-blocks";
    /** Alerts from the detector, keyed by canister. */
    public static final String ALERTS = "interlock.alerts";
    /** Records that could not be used, with the reason in headers; never silently dropped. */
    public static final String QUARANTINE = "interlock.quarantine";
    /** Ingest source cursors (compacted), written in the same transaction as the records they cover. */
    public static final String INGEST_CURSORS = "interlock.ingest-cursors";

    /** Header names on quarantined records. */
    public static final String HEADER_QUARANTINE_REASON = "interlock.quarantine.reason";
    public static final String HEADER_QUARANTINE_SOURCE = "interlock.quarantine.source";

    private Topics() {
    }
}
