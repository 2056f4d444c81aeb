package dev.interlock.detector.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.interlock.detector.graph.SortedStore;
import dev.interlock.detector.ledger.NotifyTracker;
import dev.interlock.detector.ledger.PaymentMatcher;
import dev.interlock.detector.ledger.PaymentMessage;
import dev.interlock.detector.ledger.PaymentTracker;
import dev.interlock.detector.ledger.ReconcileMessage;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Json;

/**
 * On the calls partitions (keyed by canister, after detect): picks out what the cross-canister
 * detectors need and re-keys it for them.
 * <ul>
 * <li>CALL_CYCLE: calls, their answers (callback, send failure), contexts opened with a
 * correlation id and the end of exactly those contexts, keyed by canister, all to partition 0 of
 * the call-graph repartition topic. Which contexts were opened with a correlation id is kept in
 * the {@code linked-contexts} store, so that the far more numerous ends of other contexts stay
 * here.</li>
 * <li>LEDGER_RECONCILIATION: {@link NotifyTracker} (state in the {@code notify-state} store) turns a
 * canister's notifies, journal entries and evidence into {@link ReconcileMessage}s, keyed by the
 * recipient account, to the reconcile repartition topic; {@link PaymentTracker} (no stored state of its own: after a restart it
 * takes the transfers still awaiting an answer from the engine's) turns
 * its transfer calls, their answers and its clock into {@link PaymentMessage}s, keyed by payer, to the
 * payments repartition topic.</li>
 * </ul>
 * Events rolled back by a trap are routed nowhere: neither detector counts them.
 */
final class CrossRouteProcessor implements Processor<String, DecodedEvent, String, byte[]> {
    private final long reconcileWindowNanos;
    private final long retentionNanos;
    private final Duration sweepEvery;
    private final DetectorMetrics metrics;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, Long> linked;
    private NotifyTracker notifies;
    /** Canisters' clocks are sent every {@link #CLOCK_FLUSH}, a busy canister's at most every 10 s of its event time. */
    private final PaymentTracker payments;
    static final Duration CLOCK_FLUSH = Duration.ofSeconds(1);
    private long clock;

    CrossRouteProcessor(long reconcileWindowNanos, Set<String> identifierLedgers, long retentionNanos, Duration sweepEvery,
            DetectorMetrics metrics) {
        this.reconcileWindowNanos = reconcileWindowNanos;
        this.retentionNanos = retentionNanos;
        this.sweepEvery = sweepEvery;
        this.metrics = metrics;
        this.payments = new PaymentTracker(PaymentMatcher.SKEW_NANOS / 6, reconcileWindowNanos, identifierLedgers);
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.linked = context.getStateStore(DetectorTopology.STORE_LINKED_CONTEXTS);
        KeyValueStore<String, dev.interlock.detector.ledger.LedgerEntry> notifyStore =
                context.getStateStore(DetectorTopology.STORE_NOTIFY_STATE);
        WriteBehindStore<dev.interlock.detector.ledger.LedgerEntry> entries = new WriteBehindStore<>(notifyStore);
        CommitHook hook = context.getStateStore(DetectorTopology.STORE_DETECT_COMMIT_HOOK);
        hook.listen(DetectorTopology.PROCESSOR_CROSS_ROUTE, entries);
        this.notifies = new NotifyTracker(entries, reconcileWindowNanos);
        context.schedule(sweepEvery, PunctuationType.WALL_CLOCK_TIME, wall -> sweepLinked());
        context.schedule(CLOCK_FLUSH, PunctuationType.WALL_CLOCK_TIME, wall -> payments.clocks()
                .forEach(m -> toPayments(m, wall)));
    }

    @Override
    public void process(Record<String, DecodedEvent> record) {
        CallEvent e = record.value().event();
        if (e.rolledBack()) {
            return;
        }
        clock = Math.max(clock, e.timeNanos());
        if (toCallGraph(e)) {
            metrics.routed(DetectorTopology.PROCESSOR_CALL_GRAPH);
            context.forward(new Record<>(e.canister(), record.value().raw(), record.timestamp()),
                    DetectorTopology.SINK_CALLS_TO_CALL_GRAPH);
        }
        for (ReconcileMessage m : notifies.accept(e)) {
            metrics.routed(DetectorTopology.PROCESSOR_RECONCILE);
            context.forward(new Record<>(m.account(), Json.encode(m), record.timestamp()),
                    DetectorTopology.SINK_CALLS_TO_RECONCILE);
        }
        DecodedEvent d = record.value();
        for (PaymentMessage m : payments.accept(e, d.call(), d.caller(), d.state()::awaitingCalls)) {
            toPayments(m, record.timestamp());
        }
    }

    private void toPayments(PaymentMessage m, long timestamp) {
        metrics.routed(DetectorTopology.PROCESSOR_PAYMENTS);
        context.forward(new Record<>(m.payer(), Json.encode(m), timestamp), DetectorTopology.SINK_CALLS_TO_PAYMENTS);
    }

    private boolean toCallGraph(CallEvent e) {
        return switch (e.kind()) {
            case CALL, CALLBACK, SEND_FAILED -> true;
            case CONTEXT_OPEN -> {
                if (e.subject() == null || e.caller() == null) {
                    yield false;
                }
                linked.put(linkedKey(e), e.timeNanos());
                yield true;
            }
            case CONTEXT_CLOSE, TRAP -> {
                String key = linkedKey(e);
                if (linked.get(key) == null) {
                    yield false;
                }
                linked.delete(key);
                yield true;
            }
            default -> false;
        };
    }

    private static String linkedKey(CallEvent e) {
        return SortedStore.part(e.canister()) + SortedStore.part(e.context());
    }

    /** Linked contexts never seen to end are forgotten with the call graph's retention. */
    private void sweepLinked() {
        if (clock == 0) {
            return;
        }
        long cutoff = clock - retentionNanos;
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = linked.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                if (kv.value < cutoff) {
                    old.add(kv.key);
                }
            }
        }
        old.forEach(linked::delete);
    }
}
