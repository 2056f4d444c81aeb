package dev.interlock.detector.streams;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.interlock.detector.graph.SortedStore;
import dev.interlock.model.Alert;
import dev.interlock.model.Json;
import dev.interlock.model.MalformedRecordException;

/**
 * What the cross-canister stages (call graph, reconcile, payments) share on their repartition topic:
 * records decoded and checked, unusable ones quarantined with their reason (never stopping the
 * partition); the stage's entries in a {@link WriteBehindStore} written at commit through the task's
 * {@link CommitHook}; a wall-clock timer every {@code tick} for the decisions that wait for time; its
 * alerts to its own alerts sink. A stage is its plain-Java core plus the four methods below.
 *
 * @param <M> the repartitioned record
 * @param <V> the stage's stored entry
 */
abstract class RepartitionedStage<M, V> implements Processor<String, byte[], String, byte[]> {
    /** The stage's topology names. */
    record Names(String processor, String store, String commitHook, String alertsSink, String quarantineSink,
            String topic) {
    }

    private final Class<M> type;
    private final Names names;
    private final Duration tick;
    protected final DetectorMetrics metrics;
    protected ProcessorContext<String, byte[]> context;
    /** Wall-clock time (ms) this task started: silence before it was downtime, not silence. */
    protected long startedWall;

    RepartitionedStage(Class<M> type, Names names, Duration tick, DetectorMetrics metrics) {
        this.type = type;
        this.names = names;
        this.tick = tick;
        this.metrics = metrics;
    }

    /** Builds the stage's core over its entries (loaded whole from the store). */
    protected abstract void start(SortedStore<V> entries);

    /** What is wrong with a decoded record (its content, and its key against it); empty when usable. */
    protected abstract List<String> problems(M message, String key);

    /** Applies a usable record; returns the alerts it raised at once. */
    protected abstract List<Alert> accept(M message, long wallMillis);

    /** Time passed: returns the alerts that were waiting for it. */
    protected abstract List<Alert> tick(long wallMillis);

    @Override
    public final void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        KeyValueStore<String, V> store = context.getStateStore(names.store());
        WriteBehindStore<V> entries = new WriteBehindStore<>(store);
        CommitHook hook = context.getStateStore(names.commitHook());
        hook.listen(names.processor(), entries);
        this.startedWall = context.currentSystemTimeMs();
        start(entries);
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, wall -> forward(tick(wall), wall));
    }

    @Override
    public final void process(Record<String, byte[]> record) {
        M message;
        try {
            message = Json.decode(record.value(), type);
            List<String> problems = problems(message, record.key());
            if (!problems.isEmpty()) {
                throw new MalformedRecordException(String.join("; ", problems));
            }
        } catch (MalformedRecordException e) {
            metrics.quarantined(Quarantine.category(e.getMessage()));
            context.forward(Quarantine.of(record, e.getMessage(), context, names.topic()), names.quarantineSink());
            return;
        }
        forward(accept(message, context.currentSystemTimeMs()), record.timestamp());
    }

    private void forward(List<Alert> alerts, long timestamp) {
        for (Alert alert : alerts) {
            metrics.alertRaised(alert.alertClass());
            context.forward(new Record<>(alert.canister(), Json.encode(alert), timestamp), names.alertsSink());
        }
    }
}
