package dev.interlock.detector.streams;

import java.time.Duration;
import java.util.function.Supplier;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import dev.interlock.detector.core.DetectorEngine;
import dev.interlock.model.Topics;

/**
 * The detector's Kafka Streams topology, built in one place so that the service and the
 * TopologyTestDriver tests run the very same wiring:
 *
 * <pre>
 *   interlock.calls ──► detect (state store: canister-state) ──► interlock.alerts
 *                       ▲ wall-clock timer (tick)             └─► interlock.quarantine
 * </pre>
 *
 * The timer lets time-based detectors (stalled calls) fire when no new input arrives: each
 * canister's event time is extrapolated by the wall-clock time elapsed since its last event.
 */
public final class DetectorTopology {
    public static final String SOURCE_CALLS = "calls";
    public static final String PROCESSOR_DETECT = "detect";
    public static final String SINK_ALERTS = "alerts";
    public static final String SINK_QUARANTINE = "quarantine";
    public static final String STORE_CANISTER_STATE = "canister-state";

    private DetectorTopology() {
    }

    /** Default interval of the timer that lets time-based detectors fire without new input. */
    public static final Duration DEFAULT_TICK = Duration.ofSeconds(10);

    public static Topology build(Supplier<DetectorEngine> engine, DetectorMetrics metrics) {
        return build(engine, metrics, DEFAULT_TICK);
    }

    public static Topology build(Supplier<DetectorEngine> engine, DetectorMetrics metrics, Duration tick) {
        Topology t = new Topology();
        t.addSource(SOURCE_CALLS, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), Topics.CALLS);
        t.addProcessor(PROCESSOR_DETECT, () -> new DetectProcessor(engine.get(), metrics, tick), SOURCE_CALLS);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_CANISTER_STATE),
                Serdes.String(), new CanisterStateSerde()), PROCESSOR_DETECT);
        t.addSink(SINK_ALERTS, Topics.ALERTS, Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                PROCESSOR_DETECT);
        t.addSink(SINK_QUARANTINE, Topics.QUARANTINE, Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                PROCESSOR_DETECT);
        return t;
    }
}
