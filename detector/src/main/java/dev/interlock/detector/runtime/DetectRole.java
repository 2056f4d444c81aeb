package dev.interlock.detector.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.jboss.logging.Logger;

import dev.interlock.detector.core.DetectorEngine;
import dev.interlock.detector.core.DetectorSettings;
import dev.interlock.detector.streams.DetectorTopology;
import dev.interlock.model.ServiceRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.smallrye.common.annotation.Identifier;

/** The detect role: runs {@link DetectorTopology} with exactly-once processing. */
@ApplicationScoped
public class DetectRole implements ServiceRole {
    private static final Logger LOG = Logger.getLogger(DetectRole.class);

    @Inject
    DetectConfig config;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Inject
    MeterRegistry registry;

    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;

    @Override
    public String name() {
        return "detect";
    }

    @Override
    public int startOrder() {
        return 20;
    }

    @Override
    public void start() {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        props.put(StreamsConfig.consumerPrefix("session.timeout.ms"), (int) config.sessionTimeout().toMillis());
        props.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"),
                (int) Math.max(1000, config.sessionTimeout().toMillis() / 3));
        // -1: internal topics take the broker's default replication factor.
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        // A busy canister's correlation state is one store value: allow it past Kafka's 1 MB default, in the
        // producer and on the changelog topics the application creates.
        props.put(StreamsConfig.producerPrefix("max.request.size"), config.maxStateBytes());
        props.put(StreamsConfig.topicPrefix("max.message.bytes"), String.valueOf(config.maxStateBytes()));
        // Alerts, repartitioned events and changelog entries go out in few large compressed batches: the
        // broker's cost is per request far more than per record.
        props.put(StreamsConfig.producerPrefix("batch.size"), 256 * 1024);
        props.put(StreamsConfig.producerPrefix("compression.type"), config.compression());

        MicrometerDetectorMetrics metrics = new MicrometerDetectorMetrics(registry);
        Counter threadFailures = Counter.builder("interlock.detect.thread.failures")
                .description("Stream threads replaced after an unexpected error").register(registry);
        DetectorSettings settings = new DetectorSettings(config.horizon(), config.stallAfter(), config.rateWindow(),
                config.rateLimit(), config.anonymousRateLimit(), config.canisterRateLimit(), config.maxOpenContexts());
        DetectorTopology.Options options = DetectorTopology.Options.DEFAULT.withTick(config.tickInterval())
                .withReconcileWindow(config.reconcileWindow()).withCycleDelay(config.cycleDelay())
                .withCallGraphRetention(config.callGraphRetention())
                .withIngressRate(config.rateWindow(), config.ingressRateLimit())
                .withQuietAfter(config.quietAfter()).withIdentifierLedgers(config.identifierLedgers());
        streams = new KafkaStreams(DetectorTopology.build(() -> DetectorEngine.withDefaults(settings), metrics,
                options), props);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("A detector stream thread failed; replacing it", e);
            threadFailures.increment();
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        streams.start();
        LOG.infof("Detect role started (application id %s, state in %s)", config.applicationId(), config.stateDir());
    }

    @Override
    public void stop() {
        if (streams != null) {
            streams.close(Duration.ofSeconds(30));
            streamsMetrics.close();
            streams = null;
        }
    }

    @Override
    public String problem() {
        if (streams == null) {
            return "not started";
        }
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING
                ? null : "Kafka Streams is " + state;
    }
}
