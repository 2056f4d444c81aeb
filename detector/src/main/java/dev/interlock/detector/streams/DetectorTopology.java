package dev.interlock.detector.streams;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.Stores;

import dev.interlock.detector.core.DetectorEngine;
import dev.interlock.detector.graph.CallGraph;
import dev.interlock.detector.graph.GraphEntry;
import dev.interlock.detector.ingress.IngressRateDetector;
import dev.interlock.detector.ledger.LedgerEntry;
import dev.interlock.detector.ledger.PaymentEntry;
import dev.interlock.detector.ledger.PaymentTracker;
import dev.interlock.model.Topics;

/**
 * The detector's Kafka Streams topology, built in one place so that the service and the
 * TopologyTestDriver tests run the very same wiring (docs/detector-topology.md explains it):
 *
 * <pre>
 *  sub-topology 0: per canister                                     key: canister
 *   interlock.calls ──► detect [canister-state] ──────────────────► interlock.alerts
 *                         │  ▲ timer: stalled calls, quiet canisters └──► interlock.quarantine
 *                         │ valid events (in memory)
 *                         ▼
 *                       cross-route [linked-contexts, notify-state]
 *                         ├─ calls, answers, linked contexts ──► interlock.detector-repartition-call-graph
 *                         │    (key canister, partition 0 always)
 *                         ├─ EXPECT / RESOLVED / EVIDENCE ─────► interlock.detector-repartition-reconcile
 *                         │    (key: recipient account)
 *                         └─ CALL / CLOCK ──────────────────────► interlock.detector-repartition-payments
 *                              (key: payer)
 *  sub-topology 1: per ledger                                       key: ledger
 *   interlock.ledger-blocks ──► block-route ── BLOCK (key: recipient) ──► interlock.detector-repartition-reconcile
 *                                          ├─ BLOCK (key: payer) ──────► interlock.detector-repartition-payments
 *                                          ├─ PROGRESS (timer, every partition) ──► interlock.detector-repartition-payments
 *                                          └──► interlock.quarantine
 *  sub-topology 2: per recipient account                            key: account
 *   interlock.detector-repartition-reconcile ──► reconcile [reconcile-state] ──► interlock.alerts
 *                                                ▲ timer: windows expire         (LEDGER_RECONCILIATION)
 *  sub-topology 5: per payer                                         key: payer principal
 *   interlock.detector-repartition-payments ──► payments [payment-state] ──► interlock.alerts
 *                                               ▲ timer: replies, blocks due   (LEDGER_RECONCILIATION)
 *  sub-topology 3: one partition for all canisters                  key: canister, partition 0
 *   interlock.detector-repartition-call-graph ──► call-graph [call-graph-state] ──► interlock.alerts
 *                                                 ▲ timer: delayed cycle checks     (CALL_CYCLE)
 * </pre>
 *
 * The timers let time-based decisions happen when no new input arrives: event time is
 * extrapolated by the wall-clock time elapsed since the last event (per canister for detect, per
 * account for reconcile, for the whole graph for call-graph). Each sub-topology has sinks of its
 * own (a shared sink node would merge sub-topologies). The call-graph stage reads partition 0
 * only: its throughput is the scaling limit of CALL_CYCLE, acceptable because it carries only the
 * calls, their answers and correlated contexts; everything else scales by partition.
 */
public final class DetectorTopology {
    public static final String SOURCE_CALLS = "calls";
    public static final String PROCESSOR_DETECT = "detect";
    public static final String SINK_ALERTS = "alerts";
    public static final String SINK_QUARANTINE = "quarantine";
    public static final String STORE_CANISTER_STATE = "canister-state";
    /** Call contexts, one entry each (key: canister, NUL, context id), so an event writes only what it changed. */
    public static final String STORE_CANISTER_CONTEXTS = "canister-contexts";
    /** Recent state-key writes, one entry each (key: canister, NUL, state key, NUL, event seq). */
    public static final String STORE_CANISTER_KEY_WRITES = "canister-key-writes";

    /** Tells the detect processor that its task is about to commit, so it writes what it changed ({@link CommitHook}). */
    public static final String STORE_DETECT_COMMIT_HOOK = "detect-commit-hook";

    public static final String PROCESSOR_CROSS_ROUTE = "cross-route";
    public static final String STORE_LINKED_CONTEXTS = "linked-contexts";
    public static final String STORE_NOTIFY_STATE = "notify-state";
    public static final String SINK_CALLS_TO_CALL_GRAPH = "calls-to-call-graph";
    public static final String SINK_CALLS_TO_RECONCILE = "calls-to-reconcile";

    public static final String SOURCE_LEDGER_BLOCKS = "ledger-blocks";
    public static final String PROCESSOR_BLOCK_ROUTE = "block-route";
    public static final String SINK_BLOCKS_TO_RECONCILE = "blocks-to-reconcile";
    public static final String SINK_BLOCKS_QUARANTINE = "blocks-quarantine";
    public static final String SINK_BLOCKS_TO_PAYMENTS = "blocks-to-payments";
    public static final String SINK_PROGRESS_TO_PAYMENTS = "progress-to-payments";
    public static final String SINK_CALLS_TO_PAYMENTS = "calls-to-payments";

    public static final String SOURCE_PAYMENTS = "payments-repartition";
    public static final String PROCESSOR_PAYMENTS = "payments";
    public static final String STORE_PAYMENT_STATE = "payment-state";
    public static final String STORE_PAYMENT_COMMIT_HOOK = "payment-commit-hook";
    public static final String SINK_PAYMENTS_ALERTS = "payments-alerts";
    public static final String SINK_PAYMENTS_QUARANTINE = "payments-quarantine";

    public static final String SOURCE_RECONCILE = "reconcile-repartition";
    public static final String PROCESSOR_RECONCILE = "reconcile";
    public static final String STORE_RECONCILE_STATE = "reconcile-state";
    public static final String STORE_RECONCILE_COMMIT_HOOK = "reconcile-commit-hook";
    public static final String SINK_RECONCILE_ALERTS = "reconcile-alerts";
    public static final String SINK_RECONCILE_QUARANTINE = "reconcile-quarantine";

    public static final String SOURCE_CALL_GRAPH = "call-graph-repartition";
    public static final String PROCESSOR_CALL_GRAPH = "call-graph";
    public static final String STORE_CALL_GRAPH = "call-graph-state";
    public static final String SOURCE_INGRESS = "ingress";
    public static final String PROCESSOR_INGRESS_RATE = "ingress-rate";
    public static final String STORE_INGRESS_RATE = "ingress-rate-state";
    public static final String STORE_INGRESS_COMMIT_HOOK = "ingress-commit-hook";
    public static final String SINK_INGRESS_ALERTS = "ingress-alerts";
    public static final String SINK_INGRESS_QUARANTINE = "ingress-quarantine";

    public static final String STORE_CALL_GRAPH_COMMIT_HOOK = "call-graph-commit-hook";
    public static final String SINK_CALL_GRAPH_ALERTS = "call-graph-alerts";
    public static final String SINK_CALL_GRAPH_QUARANTINE = "call-graph-quarantine";

    /** The partition of the call-graph repartition topic that carries every call-graph event. */
    public static final int CALL_GRAPH_PARTITION = 0;

    /** Client/method pairs RATE_ANOMALY tracks per canister and window of boundary-node ingress. */
    static final int INGRESS_MAX_TRACKED = 100_000;

    /** How often linked contexts never seen to end are swept (a scan of their store). */
    private static final Duration LINKED_SWEEP = Duration.ofSeconds(10);

    /** Default interval of the timer that lets time-based detectors fire without new input. */
    public static final Duration DEFAULT_TICK = Duration.ofMillis(200);

    private DetectorTopology() {
    }

    /** The topics the topology reads and writes (tests give each run topics of its own). */
    public record TopicNames(String calls, String ledgerBlocks, String alerts, String quarantine,
            String reconcileRepartition, String callGraphRepartition, String ingress, String paymentsRepartition) {
        public static final TopicNames DEFAULT = new TopicNames(Topics.CALLS, Topics.LEDGER_BLOCKS, Topics.ALERTS,
                Topics.QUARANTINE, Topics.DETECTOR_RECONCILE_REPARTITION, Topics.DETECTOR_CALL_GRAPH_REPARTITION,
                Topics.INGRESS, Topics.DETECTOR_PAYMENTS_REPARTITION);

        /** Every name with {@code prefix} in front. */
        public TopicNames withPrefix(String prefix) {
            return new TopicNames(prefix + calls, prefix + ledgerBlocks, prefix + alerts, prefix + quarantine,
                    prefix + reconcileRepartition, prefix + callGraphRepartition, prefix + ingress,
                    prefix + paymentsRepartition);
        }

        public List<String> all() {
            return List.of(calls, ledgerBlocks, alerts, quarantine, reconcileRepartition, callGraphRepartition, ingress,
                    paymentsRepartition);
        }
    }

    /**
     * @param tick               interval of the wall-clock timers
     * @param reconcileWindow    how long (event time) a notify's expected transfer may take to show up; also how long
     *                           (wall clock) a silent canister's unexplained blocks wait for its trace
     * @param cycleDelay         how long (event time) a possible call cycle waits for other canisters' events
     * @param callGraphRetention how long an unanswered call or open linked context stays in the call graph
     * @param topics             topic names
     * @param ingressRateWindow  RATE_ANOMALY window over boundary-node ingress events
     * @param ingressRateLimit   update calls per client hash and method within that window before an alert
     * @param quietAfter         wall-clock silence of a canister after which what waited for its next message (a
     *                           trapped callback's cleanup, a restore) is decided, and an unended message ends
     * @param identifierLedgers  ledgers whose blocks name account identifiers, not owners (the ICP ledger)
     */
    public record Options(Duration tick, Duration reconcileWindow, Duration cycleDelay, Duration callGraphRetention,
            TopicNames topics, Duration ingressRateWindow, int ingressRateLimit, Duration quietAfter,
            Set<String> identifierLedgers) {
        public static final Options DEFAULT = new Options(DEFAULT_TICK, Duration.ofMinutes(5), Duration.ofSeconds(10),
                Duration.ofNanos(CallGraph.DEFAULT_RETENTION_NANOS), TopicNames.DEFAULT, Duration.ofMinutes(1), 60,
                Duration.ofMillis(300), PaymentTracker.DEFAULT_IDENTIFIER_LEDGERS);

        public Options withIdentifierLedgers(Set<String> ledgers) {
            return new Options(tick, reconcileWindow, cycleDelay, callGraphRetention, topics, ingressRateWindow,
                    ingressRateLimit, quietAfter, Set.copyOf(ledgers));
        }

        public Options withQuietAfter(Duration q) {
            return new Options(tick, reconcileWindow, cycleDelay, callGraphRetention, topics, ingressRateWindow,
                    ingressRateLimit, q, identifierLedgers);
        }

        public Options withIngressRate(Duration window, int limit) {
            return new Options(tick, reconcileWindow, cycleDelay, callGraphRetention, topics, window, limit,
                    quietAfter, identifierLedgers);
        }

        public Options withTick(Duration t) {
            return new Options(t, reconcileWindow, cycleDelay, callGraphRetention, topics,
                    ingressRateWindow, ingressRateLimit,
                    quietAfter, identifierLedgers);
        }

        public Options withReconcileWindow(Duration w) {
            return new Options(tick, w, cycleDelay, callGraphRetention, topics, ingressRateWindow, ingressRateLimit,
                    quietAfter, identifierLedgers);
        }

        public Options withCycleDelay(Duration d) {
            return new Options(tick, reconcileWindow, d, callGraphRetention, topics, ingressRateWindow, ingressRateLimit,
                    quietAfter, identifierLedgers);
        }

        public Options withCallGraphRetention(Duration r) {
            return new Options(tick, reconcileWindow, cycleDelay, r, topics, ingressRateWindow, ingressRateLimit,
                    quietAfter, identifierLedgers);
        }

        public Options withTopics(TopicNames t) {
            return new Options(tick, reconcileWindow, cycleDelay, callGraphRetention, t, ingressRateWindow, ingressRateLimit,
                    quietAfter, identifierLedgers);
        }
    }

    public static Topology build(Supplier<DetectorEngine> engine, DetectorMetrics metrics) {
        return build(engine, metrics, Options.DEFAULT);
    }

    public static Topology build(Supplier<DetectorEngine> engine, DetectorMetrics metrics, Duration tick) {
        return build(engine, metrics, Options.DEFAULT.withTick(tick));
    }

    public static Topology build(Supplier<DetectorEngine> engine, DetectorMetrics metrics, Options options) {
        TopicNames topics = options.topics();
        long window = options.reconcileWindow().toNanos();
        long delay = options.cycleDelay().toNanos();
        long retention = options.callGraphRetention().toNanos();
        Duration tick = options.tick();
        // Checked here so that a bad configuration fails the start, not a stream thread.
        if (window <= 0 || delay < 0 || retention <= 2 * delay || tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("detector options need a positive reconcile window and tick, a "
                    + "non-negative cycle delay and a call-graph retention above twice the delay: " + options);
        }
        var strings = Serdes.String();
        var bytes = Serdes.ByteArray();
        Topology t = new Topology();

        // 0: per canister.
        t.addSource(SOURCE_CALLS, strings.deserializer(), bytes.deserializer(), topics.calls());
        t.addProcessor(PROCESSOR_DETECT, () -> new DetectProcessor(engine.get(), metrics, tick, options.quietAfter()),
                SOURCE_CALLS);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_CANISTER_STATE),
                strings, new CanisterStateSerde()), PROCESSOR_DETECT);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_CANISTER_CONTEXTS),
                strings, new JsonSerde<>(dev.interlock.detector.core.ContextState.class)), PROCESSOR_DETECT);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_CANISTER_KEY_WRITES),
                strings, new JsonSerde<>(dev.interlock.detector.core.StateWrite.class)), PROCESSOR_DETECT);
        t.addStateStore(CommitHook.builder(STORE_DETECT_COMMIT_HOOK), PROCESSOR_DETECT);
        t.addSink(SINK_ALERTS, topics.alerts(), strings.serializer(), bytes.serializer(), PROCESSOR_DETECT);
        t.addSink(SINK_QUARANTINE, topics.quarantine(), strings.serializer(), bytes.serializer(), PROCESSOR_DETECT);
        t.addProcessor(PROCESSOR_CROSS_ROUTE,
                () -> new CrossRouteProcessor(window, options.identifierLedgers(), retention, LINKED_SWEEP.compareTo(tick) > 0 ? LINKED_SWEEP : tick,
                        metrics), PROCESSOR_DETECT);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_LINKED_CONTEXTS),
                strings, Serdes.Long()).withCachingEnabled(), PROCESSOR_CROSS_ROUTE);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_NOTIFY_STATE),
                strings, new JsonSerde<>(LedgerEntry.class)), PROCESSOR_CROSS_ROUTE);
        t.connectProcessorAndStateStores(PROCESSOR_CROSS_ROUTE, STORE_DETECT_COMMIT_HOOK);
        StreamPartitioner<String, byte[]> onePartition = (topic, key, value, partitions) ->
                Optional.of(Set.of(CALL_GRAPH_PARTITION));
        t.addSink(SINK_CALLS_TO_CALL_GRAPH, topics.callGraphRepartition(), strings.serializer(), bytes.serializer(),
                onePartition, PROCESSOR_CROSS_ROUTE);
        t.addSink(SINK_CALLS_TO_RECONCILE, topics.reconcileRepartition(), strings.serializer(), bytes.serializer(),
                PROCESSOR_CROSS_ROUTE);
        t.addSink(SINK_CALLS_TO_PAYMENTS, topics.paymentsRepartition(), strings.serializer(), bytes.serializer(),
                PROCESSOR_CROSS_ROUTE);

        // 1: per ledger.
        t.addSource(SOURCE_LEDGER_BLOCKS, strings.deserializer(), bytes.deserializer(), topics.ledgerBlocks());
        t.addProcessor(PROCESSOR_BLOCK_ROUTE, () -> new BlockRouteProcessor(metrics, tick), SOURCE_LEDGER_BLOCKS);
        t.addSink(SINK_BLOCKS_TO_RECONCILE, topics.reconcileRepartition(), strings.serializer(), bytes.serializer(),
                PROCESSOR_BLOCK_ROUTE);
        t.addSink(SINK_BLOCKS_TO_PAYMENTS, topics.paymentsRepartition(), strings.serializer(), bytes.serializer(),
                PROCESSOR_BLOCK_ROUTE);
        StreamPartitioner<String, byte[]> everyPartition = (topic, key, value, partitions) ->
                Optional.of(java.util.stream.IntStream.range(0, partitions).boxed()
                        .collect(java.util.stream.Collectors.toSet()));
        t.addSink(SINK_PROGRESS_TO_PAYMENTS, topics.paymentsRepartition(), strings.serializer(), bytes.serializer(),
                everyPartition, PROCESSOR_BLOCK_ROUTE);
        t.addSink(SINK_BLOCKS_QUARANTINE, topics.quarantine(), strings.serializer(), bytes.serializer(),
                PROCESSOR_BLOCK_ROUTE);

        // 2: per recipient account.
        t.addSource(SOURCE_RECONCILE, strings.deserializer(), bytes.deserializer(), topics.reconcileRepartition());
        t.addProcessor(PROCESSOR_RECONCILE, () -> new ReconcileProcessor(window, tick, metrics), SOURCE_RECONCILE);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_RECONCILE_STATE),
                strings, new JsonSerde<>(LedgerEntry.class)), PROCESSOR_RECONCILE);
        t.addStateStore(CommitHook.builder(STORE_RECONCILE_COMMIT_HOOK), PROCESSOR_RECONCILE);
        t.addSink(SINK_RECONCILE_ALERTS, topics.alerts(), strings.serializer(), bytes.serializer(), PROCESSOR_RECONCILE);
        t.addSink(SINK_RECONCILE_QUARANTINE, topics.quarantine(), strings.serializer(), bytes.serializer(),
                PROCESSOR_RECONCILE);

        // 5: per payer.
        t.addSource(SOURCE_PAYMENTS, strings.deserializer(), bytes.deserializer(), topics.paymentsRepartition());
        t.addProcessor(PROCESSOR_PAYMENTS, () -> new PaymentProcessor(window, tick, metrics), SOURCE_PAYMENTS);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_PAYMENT_STATE),
                strings, new JsonSerde<>(PaymentEntry.class)), PROCESSOR_PAYMENTS);
        t.addStateStore(CommitHook.builder(STORE_PAYMENT_COMMIT_HOOK), PROCESSOR_PAYMENTS);
        t.addSink(SINK_PAYMENTS_ALERTS, topics.alerts(), strings.serializer(), bytes.serializer(), PROCESSOR_PAYMENTS);
        t.addSink(SINK_PAYMENTS_QUARANTINE, topics.quarantine(), strings.serializer(), bytes.serializer(),
                PROCESSOR_PAYMENTS);

        // 4: boundary-node ingress, per canister.
        t.addSource(SOURCE_INGRESS, strings.deserializer(), bytes.deserializer(), topics.ingress());
        IngressRateDetector ingressRate = new IngressRateDetector(options.ingressRateWindow().toNanos(),
                options.ingressRateLimit(), INGRESS_MAX_TRACKED);
        t.addProcessor(PROCESSOR_INGRESS_RATE, () -> new IngressRateProcessor(ingressRate, metrics), SOURCE_INGRESS);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_INGRESS_RATE),
                strings, new JsonSerde<>(IngressRateDetector.State.class)), PROCESSOR_INGRESS_RATE);
        t.addStateStore(CommitHook.builder(STORE_INGRESS_COMMIT_HOOK), PROCESSOR_INGRESS_RATE);
        t.addSink(SINK_INGRESS_ALERTS, topics.alerts(), strings.serializer(), bytes.serializer(), PROCESSOR_INGRESS_RATE);
        t.addSink(SINK_INGRESS_QUARANTINE, topics.quarantine(), strings.serializer(), bytes.serializer(),
                PROCESSOR_INGRESS_RATE);

        // 3: all canisters on one partition.
        t.addSource(SOURCE_CALL_GRAPH, strings.deserializer(), bytes.deserializer(), topics.callGraphRepartition());
        t.addProcessor(PROCESSOR_CALL_GRAPH, () -> new CallGraphProcessor(delay, retention, tick, metrics),
                SOURCE_CALL_GRAPH);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_CALL_GRAPH),
                strings, new JsonSerde<>(GraphEntry.class)), PROCESSOR_CALL_GRAPH);
        t.addStateStore(CommitHook.builder(STORE_CALL_GRAPH_COMMIT_HOOK), PROCESSOR_CALL_GRAPH);
        t.addSink(SINK_CALL_GRAPH_ALERTS, topics.alerts(), strings.serializer(), bytes.serializer(),
                PROCESSOR_CALL_GRAPH);
        t.addSink(SINK_CALL_GRAPH_QUARANTINE, topics.quarantine(), strings.serializer(), bytes.serializer(),
                PROCESSOR_CALL_GRAPH);
        return t;
    }
}
