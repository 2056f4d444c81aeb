package dev.interlock.model;

import java.math.BigInteger;
import java.util.List;

/**
 * A detector's finding. Published to {@link Topics#ALERTS} keyed by canister, stored by the
 * dashboard once per {@link #dedupKey()}.
 *
 * @param version       payload version, {@link #VERSION}
 * @param dedupKey      stable across re-detection of the same incident
 * @param alertClass    the bug class
 * @param severity      urgency
 * @param canister      the monitored canister
 * @param callers       principals (or accounts) involved
 * @param amountAtStake ledger units at risk, or null when not a funds issue
 * @param explanation   one paragraph for a human
 * @param evidence      ids to reconstruct what happened
 * @param detectedAtNanos event time at which the detector concluded
 */
public record Alert(
        int version,
        String dedupKey,
        AlertClass alertClass,
        Severity severity,
        String canister,
        List<String> callers,
        BigInteger amountAtStake,
        String explanation,
        Evidence evidence,
        long detectedAtNanos) implements IngestRecord {
    public static final int VERSION = 1;

    /** Ingest publishes alerts it raises itself (LEDGER_INTEGRITY) like detectors do. */
    @Override
    public String topic() {
        return Topics.ALERTS;
    }

    @Override
    public String key() {
        return canister;
    }
}
