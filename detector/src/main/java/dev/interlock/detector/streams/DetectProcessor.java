package dev.interlock.detector.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.interlock.detector.core.CanisterState;
import dev.interlock.detector.core.DetectorEngine;
import dev.interlock.model.Alert;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Json;
import dev.interlock.model.MalformedRecordException;
import dev.interlock.model.Topics;

/**
 * Runs the detector engine on each call event of a canister (records arrive keyed by
 * canister, so one task owns a canister's whole state). A record that cannot be used goes to
 * the quarantine topic with its reason; it never stops the partition. Every usable event is
 * handed on, decoded, to {@link CrossRouteProcessor}, which routes what the cross-canister
 * detectors need to their repartition topics.
 */
final class DetectProcessor implements Processor<String, byte[], String, Object> {
    /** Wall-clock silence after which a canister's last message is taken as ended. */
    static final long QUIET_NANOS = 5_000_000_000L;

    private final DetectorEngine engine;
    private final DetectorMetrics metrics;
    private final Duration tick;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, CanisterState> store;

    DetectProcessor(DetectorEngine engine, DetectorMetrics metrics, Duration tick) {
        this.engine = engine;
        this.metrics = metrics;
        this.tick = tick;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(DetectorTopology.STORE_CANISTER_STATE);
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::tickAll);
    }

    /** Time passes for every canister of this task, events or not. */
    private void tickAll(long wallMillis) {
        List<KeyValue<String, CanisterState>> changed = new ArrayList<>();
        try (KeyValueIterator<String, CanisterState> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, CanisterState> kv = it.next();
                CanisterState state = kv.value;
                long elapsed = state.lastWallMillis == 0 ? 0
                        : Math.max(0, wallMillis - state.lastWallMillis) * 1_000_000L;
                // The IC runs a trapped callback's cleanup at once: after a quiet spell the last message of
                // the canister has ended, and what waited for its end can be decided.
                boolean quiet = elapsed >= QUIET_NANOS && state.message != null;
                List<Alert> alerts = engine.tick(state, state.lastEventTime + elapsed, quiet);
                if (quiet) {
                    changed.add(KeyValue.pair(kv.key, state));
                }
                if (!alerts.isEmpty()) {
                    if (!quiet) {
                        changed.add(KeyValue.pair(kv.key, state));
                    }
                    for (Alert alert : alerts) {
                        metrics.alertRaised(alert.alertClass());
                        context.forward(new Record<>(alert.canister(), Json.encode(alert), wallMillis),
                                DetectorTopology.SINK_ALERTS);
                    }
                }
            }
        }
        changed.forEach(kv -> store.put(kv.key, kv.value));
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
            if (record.key() != null && !record.key().equals(event.canister())) {
                throw new MalformedRecordException("record key " + record.key() + " differs from the event's canister "
                        + event.canister() + " (calls must be keyed by canister)");
            }
        } catch (MalformedRecordException e) {
            quarantine(record, e.getMessage());
            return;
        }
        CanisterState state = store.get(event.canister());
        if (state == null) {
            state = CanisterState.empty(event.canister());
        }
        List<Alert> alerts = engine.process(state, event);
        state.lastWallMillis = context.currentSystemTimeMs();
        metrics.eventProcessed();
        store.put(event.canister(), state);
        for (Alert alert : alerts) {
            metrics.alertRaised(alert.alertClass());
            context.forward(new Record<>(alert.canister(), Json.encode(alert), record.timestamp()),
                    DetectorTopology.SINK_ALERTS);
        }
        context.forward(record.withValue(new DecodedEvent(event, record.value())),
                DetectorTopology.PROCESSOR_CROSS_ROUTE);
    }

    private void quarantine(Record<String, byte[]> record, String reason) {
        metrics.quarantined(Quarantine.category(reason));
        context.forward(Quarantine.of(record, reason, context, Topics.CALLS), DetectorTopology.SINK_QUARANTINE);
    }
}
