package dev.interlock.model;

/** The bug classes Interlock raises alerts for (see docs and ic-primer section 2). */
public enum AlertClass {
    DOUBLE_SPEND,
    REENTRANCY,
    CALLBACK_TRAP,
    UNHANDLED_REJECT,
    STALLED_CALL,
    CALL_CYCLE,
    RATE_ANOMALY,
    NON_IDEMPOTENT_TRANSFER,
    LEDGER_RECONCILIATION,
    /**
     * A canister had more open call contexts than the detector keeps (its memory bound): the oldest were dropped
     * and detection on that canister is degraded while it lasts (raised by the detector).
     */
    OPEN_CONTEXT_LIMIT,
    LOG_GAP,
    /** A ledger's hash chain or certified tip does not hold (raised by ingest). */
    LEDGER_INTEGRITY
}
