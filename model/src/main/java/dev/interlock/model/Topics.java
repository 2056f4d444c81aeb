package dev.interlock.model;

/** Kafka topic names: the contract between the roles. */
public final class Topics {
    /** Call-trace events, keyed by canister. */
    public static final String CALLS = "interlock.calls";
    /** Ledger blocks, keyed by ledger. */
    public static final String LEDGER_BLOCKS = "interlock.ledger-blocks";
    /** Canister log records that are not trace events (ordinary lines, unattributable traps), keyed by canister. */
    public static final String CANISTER_LOGS = "interlock.canister-logs";
    /** Ingress requests from API boundary-node access logs ({@link IngressEvent}), keyed by canister. */
    public static final String INGRESS = "interlock.ingress";
    /** Alerts from the detector, keyed by canister. */
    public static final String ALERTS = "interlock.alerts";
    /** Records that could not be used, with the reason in headers; never silently dropped. */
    public static final String QUARANTINE = "interlock.quarantine";
    /** Ingest source cursors (compacted), written in the same transaction as the records they cover. */
    public static final String INGEST_CURSORS = "interlock.ingest-cursors";
    /**
     * Detector repartition: notifies' expected transfers (from the calls partitions) and ledger blocks, re-keyed by
     * recipient account so that both meet on one partition (LEDGER_RECONCILIATION).
     */
    public static final String DETECTOR_RECONCILE_REPARTITION = "interlock.detector-repartition-reconcile";
    /**
     * Detector repartition: the call-graph events of every canister (calls, answers, linked contexts), all on partition
     * 0 so that one task sees the calls between canisters (CALL_CYCLE).
     */
    public static final String DETECTOR_CALL_GRAPH_REPARTITION = "interlock.detector-repartition-call-graph";
    /**
     * Detector repartition: monitored canisters' transfer calls and clocks (from the calls partitions) and the blocks
     * that move funds out of an account, re-keyed by payer principal, plus each ledger's progress on every partition
     * (LEDGER_RECONCILIATION: replies without block, blocks without call).
     */
    public static final String DETECTOR_PAYMENTS_REPARTITION = "interlock.detector-repartition-payments";

    /** Header names on quarantined records. */
    /** Header carrying {@link IngestRecord#dedupKey()}: ledger blocks are keyed by ledger for order, deduplicated by this. */
    public static final String HEADER_DEDUP_KEY = "interlock.dedup-key";
    public static final String HEADER_QUARANTINE_REASON = "interlock.quarantine.reason";
    public static final String HEADER_QUARANTINE_SOURCE = "interlock.quarantine.source";

    /** A topic the service needs; {@code compacted} keeps only the latest record per key. */
    public record Spec(String name, boolean compacted, String purpose) {
    }

    /** Every topic the service creates at start-up when missing. */
    public static final java.util.List<Spec> ALL = java.util.List.of(
            new Spec(CALLS, false, "call-trace events, keyed by canister"),
            new Spec(LEDGER_BLOCKS, false, "ledger blocks, keyed by ledger"),
            new Spec(CANISTER_LOGS, false, "canister log lines that are not trace events, keyed by canister"),
            new Spec(INGRESS, false, "ingress requests from boundary-node access logs, keyed by canister"),
            new Spec(ALERTS, false, "alerts, keyed by canister"),
            new Spec(QUARANTINE, false, "unusable input with its reason in headers"),
            new Spec(INGEST_CURSORS, true, "last committed cursor per ingest source"),
            new Spec(DETECTOR_RECONCILE_REPARTITION, false,
                    "detector repartition: expected transfers and ledger blocks, keyed by recipient account"),
            new Spec(DETECTOR_CALL_GRAPH_REPARTITION, false,
                    "detector repartition: call-graph events of all canisters, on partition 0"),
            new Spec(DETECTOR_PAYMENTS_REPARTITION, false,
                    "detector repartition: transfer calls, canister clocks and outgoing blocks, keyed by payer"));

    private Topics() {
    }
}
