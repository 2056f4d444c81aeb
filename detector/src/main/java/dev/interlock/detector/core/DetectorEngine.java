package dev.interlock.detector.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import dev.interlock.model.Alert;
import dev.interlock.model.CallEvent;

/**
 * correlate → detect, for one canister's stream. The same engine runs inside Kafka Streams,
 * in offline scans and in benchmarks: it imports no framework.
 */
public final class DetectorEngine {
    /** Dedup keys remembered per canister; older ones fall out (their incidents are long stored). */
    static final int MAX_REMEMBERED_ALERTS = 10_000;

    private final Correlator correlator;
    private final List<Detector> detectors;

    public DetectorEngine(Correlator correlator, List<Detector> detectors) {
        this.correlator = correlator;
        this.detectors = List.copyOf(detectors);
    }

    /** The registered detectors: a new bug class is one more entry here. */
    public static DetectorEngine withDefaults(Duration horizon) {
        return withDefaults(DetectorSettings.defaults().withHorizon(horizon));
    }

    public static DetectorEngine withDefaults(DetectorSettings s) {
        return new DetectorEngine(new Correlator(s.horizon().toNanos(), s.maxOpenContexts()), List.of(
                new OpenContextLimitDetector(s.maxOpenContexts(), s.horizon().toNanos()),
                new DoubleSpendDetector(),
                new NonIdempotentTransferDetector(),
                new ReentrancyDetector(),
                new CallbackTrapDetector(),
                new UnhandledRejectDetector(),
                new StalledCallDetector(s.stallAfter().toNanos()),
                new RateAnomalyDetector(s.rateWindow().toNanos(), s.rateLimit(), s.anonymousRateLimit(),
                        s.canisterRateLimit())));
    }

    /** Applies the event and returns the new alerts (never one whose dedup key was raised before). */
    public List<Alert> process(CanisterState state, CallEvent event) {
        if (event.rolledBack()) {
            return List.of(); // it never happened; the TRAP event that follows speaks for it
        }
        List<Alert> found = new ArrayList<>();
        boolean begins = Correlator.beginsMessage(event);
        if (event.seq() >= 0 && event.seq() <= state.lastSeq) {
            return List.of(); // seen already (events of a canister arrive in its log order)
        }
        if (begins) {
            endMessage(state, found);
            correlator.beginMessage(state, event);
        }
        if (!correlator.apply(state, event)) {
            return fresh(state, found);
        }
        for (Detector d : detectors) {
            d.onEvent(event, state, found);
        }
        for (Detector d : detectors) {
            d.onTime(state.lastEventTime, state, found);
        }
        if (event.endsMessage()) {
            endMessage(state, found); // the reader saw the message end: decide now, not at the next message
        }
        correlator.evict(state);
        return fresh(state, found);
    }

    /** Time passed without input (a punctuator, or the end of an offline scan). */
    public List<Alert> tick(CanisterState state, long nowNanos, boolean endOfInput) {
        List<Alert> found = new ArrayList<>();
        if (endOfInput) {
            endMessage(state, found);
        }
        state.inputEnded = endOfInput;
        try {
            for (Detector d : detectors) {
                d.onTime(nowNanos, state, found);
            }
        } finally {
            state.inputEnded = false;
        }
        return fresh(state, found);
    }

    private void endMessage(CanisterState state, List<Alert> found) {
        MessageState m = state.message;
        if (m == null) {
            return;
        }
        for (Detector d : detectors) {
            d.onMessageEnd(m, state, found);
        }
        state.message = null;
    }

    private static List<Alert> fresh(CanisterState state, List<Alert> found) {
        List<Alert> fresh = new ArrayList<>();
        for (Alert a : found) {
            if (state.raisedAlerts.add(a.dedupKey())) {
                fresh.add(a);
            }
        }
        if (state.raisedAlerts.size() > MAX_REMEMBERED_ALERTS) {
            Iterator<String> it = state.raisedAlerts.iterator();
            while (state.raisedAlerts.size() > MAX_REMEMBERED_ALERTS) {
                it.next();
                it.remove();
            }
        }
        return fresh;
    }

    public List<Detector> detectors() {
        return detectors;
    }
}
