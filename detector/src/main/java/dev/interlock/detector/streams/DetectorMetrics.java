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
}
