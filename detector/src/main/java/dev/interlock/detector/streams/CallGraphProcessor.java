package dev.interlock.detector.streams;

import java.time.Duration;
import java.util.List;

import dev.interlock.detector.graph.CallGraph;
import dev.interlock.detector.graph.GraphEntry;
import dev.interlock.detector.graph.SortedStore;
import dev.interlock.model.Alert;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Topics;

/**
 * On partition 0 of the call-graph repartition topic, where every canister's call-graph events
 * arrive: one {@link CallGraph} whose state is the {@code call-graph-state} store. Cycle checks wait
 * {@code delay} of event time for the events of canisters whose logs come later; the timer moves the
 * graph's clock on (extrapolated from the last event, from this task's start at the earliest) so
 * that they are decided when input stops.
 */
final class CallGraphProcessor extends RepartitionedStage<CallEvent, GraphEntry> {
    static final Names NAMES = new Names(DetectorTopology.PROCESSOR_CALL_GRAPH, DetectorTopology.STORE_CALL_GRAPH,
            DetectorTopology.STORE_CALL_GRAPH_COMMIT_HOOK, DetectorTopology.SINK_CALL_GRAPH_ALERTS,
            DetectorTopology.SINK_CALL_GRAPH_QUARANTINE, Topics.DETECTOR_CALL_GRAPH_REPARTITION);

    private final long delayNanos;
    private final long retentionNanos;
    private CallGraph graph;
    private long lastWall;

    CallGraphProcessor(long delayNanos, long retentionNanos, Duration tick, DetectorMetrics metrics) {
        super(CallEvent.class, NAMES, tick, metrics);
        this.delayNanos = delayNanos;
        this.retentionNanos = retentionNanos;
    }

    @Override
    protected void start(SortedStore<GraphEntry> entries) {
        this.graph = new CallGraph(entries, delayNanos, retentionNanos);
        this.lastWall = startedWall;
    }

    @Override
    protected List<String> problems(CallEvent event, String key) {
        List<String> problems = event.problems();
        return problems.isEmpty() ? problems : List.of("unusable call event: " + String.join("; ", problems));
    }

    @Override
    protected List<Alert> accept(CallEvent event, long wallMillis) {
        List<Alert> alerts = graph.accept(event);
        lastWall = wallMillis;
        return alerts;
    }

    @Override
    protected List<Alert> tick(long wallMillis) {
        long clock = graph.clock();
        List<Alert> alerts = clock > 0 ? graph.advance(clock + Math.max(0, wallMillis - lastWall) * 1_000_000L)
                : List.of();
        lastWall = wallMillis;
        return alerts;
    }
}
