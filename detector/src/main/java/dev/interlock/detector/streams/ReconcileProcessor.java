package dev.interlock.detector.streams;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.interlock.detector.ledger.LedgerEntry;
import dev.interlock.detector.ledger.ReconcileMessage;
import dev.interlock.detector.ledger.TransferMatcher;
import dev.interlock.model.Alert;
import dev.interlock.model.Json;
import dev.interlock.model.MalformedRecordException;
import dev.interlock.model.Topics;

/**
 * On the reconcile repartition topic (keyed by recipient account): expectations, blocks,
 * resolutions and evidence of one account meet in {@link TransferMatcher}, whose state is the
 * {@code reconcile-state} store. A wall-clock timer decides the expectations a window old on their
 * account's clock (extrapolated while the account is silent, from this task's start at the
 * earliest) and, every window, forgets old blocks.
 */
final class ReconcileProcessor implements Processor<String, byte[], String, byte[]> {
    private final long windowNanos;
    private final Duration tick;
    private final DetectorMetrics metrics;
    private ProcessorContext<String, byte[]> context;
    private TransferMatcher matcher;
    private long startedWall;
    private long lastSweepWall;

    ReconcileProcessor(long windowNanos, Duration tick, DetectorMetrics metrics) {
        this.windowNanos = windowNanos;
        this.tick = tick;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        KeyValueStore<String, LedgerEntry> store = context.getStateStore(DetectorTopology.STORE_RECONCILE_STATE);
        WriteBehindStore<LedgerEntry> entries = new WriteBehindStore<>(store);
        CommitHook hook = context.getStateStore(DetectorTopology.STORE_RECONCILE_COMMIT_HOOK);
        hook.listen(DetectorTopology.PROCESSOR_RECONCILE, entries);
        this.matcher = new TransferMatcher(entries, windowNanos);
        this.startedWall = context.currentSystemTimeMs();
        this.lastSweepWall = startedWall;
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        ReconcileMessage m;
        try {
            m = Json.decode(record.value(), ReconcileMessage.class);
            List<String> problems = m.problems();
            if (!problems.isEmpty()) {
                throw new MalformedRecordException("unusable reconcile message: " + String.join("; ", problems));
            }
            if (record.key() != null && !record.key().equals(m.account())) {
                throw new MalformedRecordException("record key " + record.key() + " differs from the message's account "
                        + m.account() + " (reconcile messages are keyed by recipient account)");
            }
        } catch (MalformedRecordException e) {
            metrics.quarantined(Quarantine.category(e.getMessage()));
            context.forward(Quarantine.of(record, e.getMessage(), context, Topics.DETECTOR_RECONCILE_REPARTITION),
                    DetectorTopology.SINK_RECONCILE_QUARANTINE);
            return;
        }
        matcher.accept(m, context.currentSystemTimeMs());
    }

    private void tick(long wallMillis) {
        for (Alert alert : matcher.decideExtrapolated(wallMillis, startedWall)) {
            metrics.alertRaised(alert.alertClass());
            context.forward(new Record<>(alert.canister(), Json.encode(alert), wallMillis),
                    DetectorTopology.SINK_RECONCILE_ALERTS);
        }
        if ((wallMillis - lastSweepWall) * 1_000_000L >= windowNanos) {
            matcher.sweep();
            lastSweepWall = wallMillis;
        }
    }
}
