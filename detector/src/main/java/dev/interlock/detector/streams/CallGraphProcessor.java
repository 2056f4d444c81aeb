package dev.interlock.detector.streams;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.interlock.detector.graph.CallGraph;
import dev.interlock.detector.graph.GraphEntry;
import dev.interlock.model.Alert;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Json;
import dev.interlock.model.MalformedRecordException;
import dev.interlock.model.Topics;

/**
 * On partition 0 of the call-graph repartition topic, where every canister's call-graph events
 * arrive: one {@link CallGraph} whose state is the {@code call-graph-state} store. Cycle checks wait
 * {@code delay} of event time for the events of canisters whose logs come later; a wall-clock
 * timer moves the graph's clock on (extrapolated from the last event, from this task's start at the
 * earliest) so that they are decided when input stops.
 */
final class CallGraphProcessor implements Processor<String, byte[], String, byte[]> {
    private final long delayNanos;
    private final long retentionNanos;
    private final Duration tick;
    private final DetectorMetrics metrics;
    private ProcessorContext<String, byte[]> context;
    private CallGraph graph;
    private long lastWall;

    CallGraphProcessor(long delayNanos, long retentionNanos, Duration tick, DetectorMetrics metrics) {
        this.delayNanos = delayNanos;
        this.retentionNanos = retentionNanos;
        this.tick = tick;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        KeyValueStore<String, GraphEntry> store = context.getStateStore(DetectorTopology.STORE_CALL_GRAPH);
        WriteBehindStore<GraphEntry> entries = new WriteBehindStore<>(store);
        CommitHook hook = context.getStateStore(DetectorTopology.STORE_CALL_GRAPH_COMMIT_HOOK);
        hook.listen(DetectorTopology.PROCESSOR_CALL_GRAPH, entries);
        this.graph = new CallGraph(entries, delayNanos, retentionNanos);
        this.lastWall = context.currentSystemTimeMs();
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        CallEvent event;
        try {
            event = Json.decode(record.value(), CallEvent.class);
            List<String> problems = event.problems();
            if (!problems.isEmpty()) {
                throw new MalformedRecordException("unusable call event: " + String.join("; ", problems));
            }
        } catch (MalformedRecordException e) {
            metrics.quarantined(Quarantine.category(e.getMessage()));
            context.forward(Quarantine.of(record, e.getMessage(), context, Topics.DETECTOR_CALL_GRAPH_REPARTITION),
                    DetectorTopology.SINK_CALL_GRAPH_QUARANTINE);
            return;
        }
        forward(graph.accept(event), record.timestamp());
        lastWall = context.currentSystemTimeMs();
    }

    private void tick(long wallMillis) {
        long clock = graph.clock();
        if (clock > 0) {
            forward(graph.advance(clock + Math.max(0, wallMillis - lastWall) * 1_000_000L), wallMillis);
        }
        lastWall = wallMillis;
    }

    private void forward(List<Alert> alerts, long timestamp) {
        for (Alert alert : alerts) {
            metrics.alertRaised(alert.alertClass());
            context.forward(new Record<>(alert.canister(), Json.encode(alert), timestamp),
                    DetectorTopology.SINK_CALL_GRAPH_ALERTS);
        }
    }
}
