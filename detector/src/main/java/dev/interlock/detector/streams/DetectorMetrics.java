package dev.interlock.detector.streams;

import dev.interlock.model.AlertClass;

/** What the detect stage counts; the runtime binds it to Micrometer. */
public interface DetectorMetrics {
    DetectorMetrics NONE = new DetectorMetrics() {
    };

    default void eventProcessed() {
    }

    default void alertRaised(AlertClass alertClass) {
    }

    default void quarantined(String reasonCategory) {
    }

    /** A record re-keyed to a cross-canister stage's repartition topic ({@code reconcile}, {@code call-graph}). */
    default void routed(String stage) {
    }

    /** A boundary-node ingress event and what RATE_ANOMALY made of it (counted, not_an_update, no_client_hash, ...). */
    default void ingressEvent(String outcome) {
    }

    /**
     * How many canisters of one task print none of the optional evidence (state keys, guards, journal), so that
     * REENTRANCY and UNHANDLED_REJECT cannot decide for them and CALLBACK_TRAP only partly.
     */
    default void canistersWithoutOptionalEvidence(String task, int canisters) {
    }

    /**
     * Transfer replies one payments task could not check against their ledger's blocks so far (the ledger is not
     * followed, or its blocks came too late or never): LEDGER_RECONCILIATION is blind to them.
     */
    default void unverifiedReplies(String task, long replies) {
    }

    /** An alert was raised without an optional kind of evidence it could have rested on (its {@code missing}). */
    default void evidenceMissing(dev.interlock.model.AlertClass alertClass, String evidence) {
    }
}
