package dev.interlock.detector.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.interlock.model.Alert;
import dev.interlock.model.CallEvent;

/**
 * correlate → detect, for one canister's stream. The same engine runs inside Kafka Streams,
 * in offline scans and in benchmarks: it imports no framework.
 */
public final class DetectorEngine {
    private final Correlator correlator;
    private final List<Detector> detectors;

    public DetectorEngine(Correlator correlator, List<Detector> detectors) {
        this.correlator = correlator;
        this.detectors = List.copyOf(detectors);
    }

    /** The registered detectors: a new bug class is one more entry here. */
    public static DetectorEngine withDefaults(Duration horizon) {
        return new DetectorEngine(new Correlator(horizon.toNanos()), List.of(
                new DoubleSpendDetector()));
    }

    /** Applies the event and returns the new alerts (never one whose dedup key was raised before). */
    public List<Alert> process(CanisterState state, CallEvent event) {
        if (event.rolledBack() || !correlator.apply(state, event)) {
            return List.of();
        }
        List<Alert> found = new ArrayList<>();
        for (Detector d : detectors) {
            d.inspect(event, state, found);
        }
        List<Alert> fresh = new ArrayList<>();
        for (Alert a : found) {
            if (state.raisedAlerts.add(a.dedupKey())) {
                fresh.add(a);
            }
        }
        return fresh;
    }

    public List<Detector> detectors() {
        return detectors;
    }
}
