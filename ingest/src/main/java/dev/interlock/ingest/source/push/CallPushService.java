package dev.interlock.ingest.source.push;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.interlock.ingest.calls.CallLogStats;
import dev.interlock.ingest.calls.KafkaCallLogSink;
import dev.interlock.ingest.runtime.IngestConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Identifier;

/**
 * The push endpoint's state in the service: one {@link CallPushHandler} built from
 * {@code interlock.ingest.push.*}, publishing as source {@value #SOURCE_ID} (created, fencing any earlier
 * instance and reading the cursors, on the first batch), and its metrics.
 */
@ApplicationScoped
public class CallPushService {
    /** The push path's source id: its cursor key and transactional id suffix. */
    public static final String SOURCE_ID = "calls-push";
    private static final Logger LOG = Logger.getLogger(CallPushService.class);

    @Inject
    IngestConfig config;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Inject
    MeterRegistry registry;

    private volatile CallPushHandler handler;

    public CallPushHandler handler() {
        CallPushHandler h = handler;
        if (h == null) {
            synchronized (this) {
                if (handler == null) {
                    handler = create();
                }
                h = handler;
            }
        }
        return h;
    }

    private CallPushHandler create() {
        IngestConfig.Push p = config.push();
        List<String> tokens = p.tokens().orElse(List.of());
        CallPushHandler h = new CallPushHandler(new CallPushHandler.Settings(tokens, p.maxRequestBytes(),
                p.maxLineBytes(), p.rateLimit(), p.burst(), p.maxClockSkew()),
                () -> new KafkaCallLogSink(kafka, SOURCE_ID, Duration.ofSeconds(30)), Clock.systemUTC(), System::nanoTime,
                new Metrics());
        if (h.enabled()) {
            LOG.infof("HTTP push of call logs enabled at POST /api/ingest/calls (%d tokens)",
                    new IngestTokens(tokens).count());
        }
        return h;
    }

    @PreDestroy
    void close() {
        CallPushHandler h = handler;
        if (h != null) {
            h.close();
        }
    }

    private final class Metrics implements CallPushHandler.Listener {
        @Override
        public void published(CallLogStats stats) {
            long events = stats.eventsTotal() + stats.logLinesTotal();
            if (events > 0) {
                Counter.builder("interlock.ingest.records").tag("source", SOURCE_ID)
                        .description("Records published by a source").register(registry).increment(events);
            }
            if (stats.rejectedTotal() > 0) {
                Counter.builder("interlock.ingest.rejected").tag("source", SOURCE_ID)
                        .description("Input a source rejected and quarantined").register(registry)
                        .increment(stats.rejectedTotal());
            }
            if (stats.duplicatesTotal() > 0) {
                Counter.builder("interlock.ingest.calls.duplicates").tag("source", SOURCE_ID)
                        .description("Call-log records skipped because their canister's cursor covers them")
                        .register(registry).increment(stats.duplicatesTotal());
            }
            stats.rejected().forEach((canister, byReason) -> byReason.forEach((reason, n) ->
                    Counter.builder("interlock.ingest.calls.rejected").tag("source", SOURCE_ID).tag("canister", canister)
                            .tag("reason", reason.tag())
                            .description("Call-log lines quarantined, per canister and reason").register(registry)
                            .increment(n)));
        }

        @Override
        public void refused(int status, String code) {
            Counter.builder("interlock.ingest.push.refused").tag("status", Integer.toString(status))
                    .tag("code", code).description("Push requests refused whole (auth, rate limit, size, Kafka)")
                    .register(registry).increment();
        }
    }
}
