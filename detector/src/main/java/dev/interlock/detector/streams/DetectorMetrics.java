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
}
