package dev.interlock.detector.streams;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.interlock.detector.ledger.PaymentEntry;
import dev.interlock.detector.ledger.PaymentMatcher;
import dev.interlock.detector.ledger.PaymentMessage;
import dev.interlock.model.Alert;
import dev.interlock.model.Json;
import dev.interlock.model.MalformedRecordException;
import dev.interlock.model.Topics;

/**
 * On the payments repartition topic (keyed by payer): a payer's transfer calls, the blocks out of its
 * accounts, monitored canisters' clocks and every ledger's progress meet in {@link PaymentMatcher},
 * whose state is the {@code payment-state} store. A wall-clock timer decides the replies whose
 * ledger has reached them and the unexplained blocks whose canister's trace has passed them (or fell
 * silent for a window, counted from this task's start), and every window forgets old calls and blocks.
 */
final class PaymentProcessor implements Processor<String, byte[], String, byte[]> {
    private final long windowNanos;
    private final Duration tick;
    private final DetectorMetrics metrics;
    private ProcessorContext<String, byte[]> context;
    private PaymentMatcher matcher;
    private long startedWall;
    private long lastSweepWall;

    PaymentProcessor(long windowNanos, Duration tick, DetectorMetrics metrics) {
        this.windowNanos = windowNanos;
        this.tick = tick;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        KeyValueStore<String, PaymentEntry> store = context.getStateStore(DetectorTopology.STORE_PAYMENT_STATE);
        WriteBehindStore<PaymentEntry> entries = new WriteBehindStore<>(store);
        CommitHook hook = context.getStateStore(DetectorTopology.STORE_PAYMENT_COMMIT_HOOK);
        hook.listen(DetectorTopology.PROCESSOR_PAYMENTS, entries);
        this.matcher = new PaymentMatcher(entries, windowNanos);
        this.startedWall = context.currentSystemTimeMs();
        this.lastSweepWall = startedWall;
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        PaymentMessage m;
        try {
            m = Json.decode(record.value(), PaymentMessage.class);
            List<String> problems = m.problems();
            if (!problems.isEmpty()) {
                throw new MalformedRecordException("unusable payment message: " + String.join("; ", problems));
            }
            if (m.type() != PaymentMessage.Type.PROGRESS && record.key() != null && !record.key().equals(m.payer())) {
                throw new MalformedRecordException("record key " + record.key() + " differs from the message's payer "
                        + m.payer() + " (payment messages are keyed by payer)");
            }
        } catch (MalformedRecordException e) {
            metrics.quarantined(Quarantine.category(e.getMessage()));
            context.forward(Quarantine.of(record, e.getMessage(), context, Topics.DETECTOR_PAYMENTS_REPARTITION),
                    DetectorTopology.SINK_PAYMENTS_QUARANTINE);
            return;
        }
        matcher.accept(m, context.currentSystemTimeMs());
    }

    private void tick(long wallMillis) {
        for (Alert alert : matcher.decide(wallMillis, startedWall, false)) {
            metrics.alertRaised(alert.alertClass());
            context.forward(new Record<>(alert.canister(), Json.encode(alert), wallMillis),
                    DetectorTopology.SINK_PAYMENTS_ALERTS);
        }
        if ((wallMillis - lastSweepWall) * 1_000_000L >= windowNanos) {
            matcher.sweep();
            lastSweepWall = wallMillis;
        }
        metrics.unverifiedReplies(context.taskId().toString(), matcher.unverifiable());
    }
}
