package dev.interlock.detector.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.interlock.detector.graph.SortedStore;
import dev.interlock.detector.ledger.LedgerEntry;
import dev.interlock.detector.ledger.ReconcileMessage;
import dev.interlock.detector.ledger.TransferMatcher;
import dev.interlock.model.Alert;
import dev.interlock.model.Topics;

/**
 * On the reconcile repartition topic (keyed by recipient account): expectations, blocks,
 * resolutions and evidence of one account meet in {@link TransferMatcher}, whose state is the
 * {@code reconcile-state} store. The timer decides the expectations a window old on their
 * account's clock (extrapolated while the account is silent, from this task's start at the
 * earliest) and, every window, forgets old blocks.
 */
final class ReconcileProcessor extends RepartitionedStage<ReconcileMessage, LedgerEntry> {
    static final Names NAMES = new Names(DetectorTopology.PROCESSOR_RECONCILE, DetectorTopology.STORE_RECONCILE_STATE,
            DetectorTopology.STORE_RECONCILE_COMMIT_HOOK, DetectorTopology.SINK_RECONCILE_ALERTS,
            DetectorTopology.SINK_RECONCILE_QUARANTINE, Topics.DETECTOR_RECONCILE_REPARTITION);

    private final long windowNanos;
    private TransferMatcher matcher;

    ReconcileProcessor(long windowNanos, Duration tick, DetectorMetrics metrics) {
        super(ReconcileMessage.class, NAMES, tick, metrics);
        this.windowNanos = windowNanos;
    }

    @Override
    protected void start(SortedStore<LedgerEntry> entries) {
        this.matcher = new TransferMatcher(entries, windowNanos);
    }

    @Override
    protected List<String> problems(ReconcileMessage m, String key) {
        List<String> p = new ArrayList<>();
        List<String> content = m.problems();
        if (!content.isEmpty()) {
            p.add("unusable reconcile message: " + String.join("; ", content));
        } else if (key != null && !key.equals(m.account())) {
            p.add("record key " + key + " differs from the message's account " + m.account()
                    + " (reconcile messages are keyed by recipient account)");
        }
        return p;
    }

    @Override
    protected List<Alert> accept(ReconcileMessage m, long wallMillis) {
        matcher.accept(m, wallMillis);
        return List.of();
    }

    @Override
    protected List<Alert> tick(long wallMillis) {
        List<Alert> alerts = matcher.decideExtrapolated(wallMillis, startedWall);
        // on every tick: a sweep returns at once until something expired (on the stage's event-time clock, which in a
        // replay runs far ahead of the wall clock)
        matcher.sweep();
        return alerts;
    }
}
