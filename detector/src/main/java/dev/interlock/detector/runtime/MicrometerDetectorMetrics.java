package dev.interlock.detector.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.interlock.detector.streams.DetectorMetrics;
import dev.interlock.model.AlertClass;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Detect-stage counters on /q/metrics. */
final class MicrometerDetectorMetrics implements DetectorMetrics {
    private final MeterRegistry registry;
    private final Counter events;
    private final Map<String, Counter> routed = new ConcurrentHashMap<>();
    private final Map<String, Integer> withoutEvidence = new ConcurrentHashMap<>();
    private final Map<String, Long> unverified = new ConcurrentHashMap<>();

    MicrometerDetectorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.events = Counter.builder("interlock.detect.events").description("Call events processed by detectors")
                .register(registry);
        Gauge.builder("interlock.detect.canisters.without.optional.evidence", withoutEvidence,
                m -> m.values().stream().mapToInt(Integer::intValue).sum())
                .description("Canisters (on this instance) whose traces print no state-key, guard or journal events: "
                        + "REENTRANCY and UNHANDLED_REJECT cannot decide for them, CALLBACK_TRAP only in part")
                .register(registry);
        Gauge.builder("interlock.detect.payments.unverified", unverified,
                m -> m.values().stream().mapToLong(Long::longValue).sum())
                .description("Transfer replies (on this instance, since it started) that LEDGER_RECONCILIATION could not "
                        + "check against ledger blocks: their ledger is not followed, or its blocks came too late")
                .register(registry);
    }

    @Override
    public void unverifiedReplies(String task, long replies) {
        unverified.put(task, replies);
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
    public void ingressEvent(String outcome) {
        Counter.builder("interlock.detect.ingress.events")
                .description("Boundary-node ingress events seen by RATE_ANOMALY, by what it made of them: counted, "
                        + "not_an_update, refused_by_boundary_node, no_client_hash (cannot be attributed), late, untracked")
                .tag("outcome", outcome).register(registry).increment();
    }

    @Override
    public void canistersWithoutOptionalEvidence(String task, int canisters) {
        withoutEvidence.put(task, canisters);
    }

    @Override
    public void evidenceMissing(AlertClass alertClass, String evidence) {
        Counter.builder("interlock.detect.alerts.evidence.missing")
                .description("Alerts raised without an optional kind of evidence (the canister does not print it), by "
                        + "class and evidence: their confidence is lower, and the class's recall without it is in the README")
                .tag("class", alertClass.name()).tag("evidence", evidence).register(registry).increment();
    }

    @Override
    public void quarantined(String reasonCategory) {
        Counter.builder("interlock.detect.quarantined")
                .description("Unusable records (call events, blocks, repartitioned records) sent to quarantine")
                .tag("reason", reasonCategory).register(registry).increment();
    }
}
