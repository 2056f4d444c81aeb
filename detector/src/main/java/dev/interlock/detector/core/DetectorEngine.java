package dev.interlock.detector.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;
import dev.interlock.model.Evidence;

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

    /** Log gaps remembered per canister at most (the newest; each also falls out after the horizon). */
    static final int MAX_LOG_GAPS = 16;

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
        if (event.kind() == CallEventKind.LOG_GAP) {
            logGap(state, event, found);
            return fresh(state, found);
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

    /**
     * Records were lost: the message they cut off is over, and alerts raised from now on that rest on events from
     * before the gap say that the lost records may change their picture.
     */
    private void logGap(CanisterState state, CallEvent gap, List<Alert> found) {
        endMessage(state, found);
        state.lastSeq = gap.seq();
        state.lastEventTime = Math.max(state.lastEventTime, gap.timeNanos());
        long[] lost = gap.lostRange();
        if (state.logGaps == null) {
            state.logGaps = new ArrayList<>(1);
        }
        state.logGaps.add(new long[] {lost[0], lost[1], gap.timeNanos()});
        if (state.logGaps.size() > MAX_LOG_GAPS) {
            state.logGaps.remove(0);
        }
        for (Detector d : detectors) {
            d.onTime(state.lastEventTime, state, found);
        }
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

    private List<Alert> fresh(CanisterState state, List<Alert> found) {
        List<Alert> fresh = new ArrayList<>();
        for (Alert a : found) {
            if (state.raisedAlerts.add(a.dedupKey())) {
                fresh.add(state.logGaps == null ? a : afterGaps(state, a));
            }
        }
        if (state.logGaps != null) {
            long horizon = correlator.horizonNanos();
            state.logGaps.removeIf(g -> state.lastEventTime - g[2] > horizon);
            if (state.logGaps.isEmpty()) {
                state.logGaps = null;
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

    /**
     * The alert, saying which lost records came after the first event it rests on: they may have held what would
     * change its picture (a callback, a reply, a restoring write, a guard release). RATE_ANOMALY is left as it is:
     * lost records can only hide calls from it.
     */
    private static Alert afterGaps(CanisterState state, Alert a) {
        if (a.alertClass() == AlertClass.RATE_ANOMALY || a.evidence() == null) {
            return a;
        }
        long first = Long.MAX_VALUE;
        String prefix = state.canister + "/";
        for (String id : a.evidence().eventIds()) {
            if (id.startsWith(prefix)) {
                int end = prefix.length();
                while (end < id.length() && Character.isDigit(id.charAt(end))) {
                    end++;
                }
                if (end > prefix.length() && end - prefix.length() < 19) {
                    first = Math.min(first, Long.parseLong(id.substring(prefix.length(), end)));
                }
            }
        }
        List<String> ranges = new ArrayList<>();
        for (long[] g : state.logGaps) {
            if (first < g[0]) {
                ranges.add(g[0] + ".." + g[1]);
            }
        }
        if (ranges.isEmpty()) {
            return a;
        }
        List<String> missing = new ArrayList<>(a.evidence().missing());
        ranges.forEach(r -> missing.add(Evidence.lostRecords(r)));
        Evidence e = a.evidence();
        return new Alert(a.version(), a.dedupKey(), a.alertClass(), a.severity(), a.canister(), a.callers(),
                a.amountAtStake(), a.explanation() + " Records " + String.join(", ", ranges) + " of the canister's log "
                        + "were lost before Interlock read them (LOG_GAP), after the first event this alert rests on: "
                        + "what they held (a callback, a reply, a state write, a guard release) may change this picture.",
                new Evidence(e.eventIds(), e.contextIds(), e.callIds(), e.blockIndexes(), e.ledger(), e.basis(),
                        missing), a.detectedAtNanos());
    }

    public List<Detector> detectors() {
        return detectors;
    }
}
