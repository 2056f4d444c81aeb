package dev.interlock.detector.streams;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.interlock.detector.ingress.IngressRateDetector;
import dev.interlock.model.Alert;
import dev.interlock.model.IngressEvent;
import dev.interlock.model.Json;
import dev.interlock.model.MalformedRecordException;
import dev.interlock.model.Topics;

/**
 * On {@code interlock.ingress} (boundary-node access logs, keyed by canister): RATE_ANOMALY per client hash
 * ({@link IngressRateDetector}). Each canister's window counts live in memory and are written to the
 * {@code ingress-rate-state} store once per commit ({@link CommitHook}).
 */
final class IngressRateProcessor implements Processor<String, byte[], String, byte[]> {
    private final IngressRateDetector detector;
    private final DetectorMetrics metrics;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, IngressRateDetector.State> store;
    private final Map<String, IngressRateDetector.State> live = new HashMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();

    IngressRateProcessor(IngressRateDetector detector, DetectorMetrics metrics) {
        this.detector = detector;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(DetectorTopology.STORE_INGRESS_RATE);
        live.clear();
        dirty.clear();
        CommitHook hook = context.getStateStore(DetectorTopology.STORE_INGRESS_COMMIT_HOOK);
        hook.listen(DetectorTopology.PROCESSOR_INGRESS_RATE, new CommitHook.Listener() {
            @Override
            public void beforeCommit() {
                for (String canister : dirty) {
                    store.put(canister, live.get(canister));
                }
                dirty.clear();
            }

            @Override
            public void discard() {
                dirty.clear();
                live.clear();
            }
        });
    }

    @Override
    public void process(Record<String, byte[]> record) {
        IngressEvent e;
        try {
            e = Json.decode(record.value(), IngressEvent.class);
            if (e.canister() == null || e.id() == null) {
                throw new MalformedRecordException("unusable ingress event: canister and id are required");
            }
            if (record.key() != null && !record.key().equals(e.canister())) {
                throw new MalformedRecordException("record key " + record.key() + " differs from the event's canister "
                        + e.canister() + " (ingress events must be keyed by canister)");
            }
        } catch (MalformedRecordException ex) {
            metrics.quarantined(Quarantine.category(ex.getMessage()));
            context.forward(Quarantine.of(record, ex.getMessage(), context, Topics.INGRESS),
                    DetectorTopology.SINK_INGRESS_QUARANTINE);
            return;
        }
        IngressRateDetector.State s = live.computeIfAbsent(e.canister(), c -> {
            IngressRateDetector.State stored = store.get(c);
            if (stored != null) {
                return stored;
            }
            IngressRateDetector.State fresh = new IngressRateDetector.State();
            fresh.canister = c;
            return fresh;
        });
        IngressRateDetector.Result r = detector.accept(s, e);
        metrics.ingressEvent(r.outcome().name().toLowerCase(java.util.Locale.ROOT));
        if (r.outcome() == IngressRateDetector.Outcome.COUNTED) {
            dirty.add(e.canister());
        }
        for (Alert alert : r.alerts()) {
            metrics.alertRaised(alert.alertClass());
            context.forward(new Record<>(alert.canister(), Json.encode(alert), record.timestamp()),
                    DetectorTopology.SINK_INGRESS_ALERTS);
        }
    }
}
