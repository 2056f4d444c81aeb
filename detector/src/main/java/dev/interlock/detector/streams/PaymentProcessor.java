package dev.interlock.detector.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.interlock.detector.graph.SortedStore;
import dev.interlock.detector.ledger.PaymentEntry;
import dev.interlock.detector.ledger.PaymentMatcher;
import dev.interlock.detector.ledger.PaymentMessage;
import dev.interlock.model.Alert;
import dev.interlock.model.Topics;

/**
 * On the payments repartition topic (keyed by payer): a payer's transfer calls, the blocks out of its
 * accounts, monitored canisters' clocks and every ledger's progress meet in {@link PaymentMatcher},
 * whose state is the {@code payment-state} store. The timer decides the replies whose ledger has
 * passed them and the unexplained blocks whose canister's trace has passed them (or fell silent for
 * a window, counted from this task's start), and every window forgets old calls and blocks.
 */
final class PaymentProcessor extends RepartitionedStage<PaymentMessage, PaymentEntry> {
    static final Names NAMES = new Names(DetectorTopology.PROCESSOR_PAYMENTS, DetectorTopology.STORE_PAYMENT_STATE,
            DetectorTopology.STORE_PAYMENT_COMMIT_HOOK, DetectorTopology.SINK_PAYMENTS_ALERTS,
            DetectorTopology.SINK_PAYMENTS_QUARANTINE, Topics.DETECTOR_PAYMENTS_REPARTITION);

    private final long windowNanos;
    private PaymentMatcher matcher;

    PaymentProcessor(long windowNanos, Duration tick, DetectorMetrics metrics) {
        super(PaymentMessage.class, NAMES, tick, metrics);
        this.windowNanos = windowNanos;
    }

    @Override
    protected void start(SortedStore<PaymentEntry> entries) {
        this.matcher = new PaymentMatcher(entries, windowNanos);
    }

    @Override
    protected List<String> problems(PaymentMessage m, String key) {
        List<String> p = new ArrayList<>(m.problems());
        if (!p.isEmpty()) {
            p.set(0, "unusable payment message: " + p.get(0));
        } else if (m.type() != PaymentMessage.Type.PROGRESS && key != null && !key.equals(m.payer())) {
            p.add("record key " + key + " differs from the message's payer " + m.payer()
                    + " (payment messages are keyed by payer)");
        }
        return p;
    }

    @Override
    protected List<Alert> accept(PaymentMessage m, long wallMillis) {
        matcher.accept(m, wallMillis);
        return List.of();
    }

    @Override
    protected List<Alert> tick(long wallMillis) {
        List<Alert> alerts = matcher.decide(wallMillis, startedWall, false);
        // on every tick: a sweep returns at once until something expired (on the stage's event-time clock, which in a
        // replay runs far ahead of the wall clock)
        matcher.sweep(wallMillis);
        metrics.unverifiedReplies(context.taskId().toString(), matcher.unverifiable());
        return alerts;
    }
}
