package dev.interlock.detector.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.interlock.detector.streams.DetectorMetrics;
import dev.interlock.model.AlertClass;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Detect-stage counters on /q/metrics. */
final class MicrometerDetectorMetrics implements DetectorMetrics {
    private final MeterRegistry registry;
    private final Counter events;
    private final Map<String, Counter> routed = new ConcurrentHashMap<>();

    MicrometerDetectorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.events = Counter.builder("interlock.detect.events").description("Call events processed by detectors")
                .register(registry);
    }

    @Override
    public void eventProcessed() {
        events.increment();
    }

    @Override
    public void alertRaised(AlertClass alertClass) {
        Counter.builder("interlock.detect.alerts").description("Alerts raised, by class")
                .tag("class", alertClass.name()).register(registry).increment();
    }

    @Override
    public void routed(String stage) {
        routed.computeIfAbsent(stage, s -> Counter.builder("interlock.detect.routed")
                .description("Records re-keyed to a cross-canister stage's repartition topic, by stage")
                .tag("stage", s).register(registry)).increment();
    }

    @Override
    public void quarantined(String reasonCategory) {
        Counter.builder("interlock.detect.quarantined")
                .description("Unusable records (call events, blocks, repartitioned records) sent to quarantine")
                .tag("reason", reasonCategory).register(registry).increment();
    }
}
