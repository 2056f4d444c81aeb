package dev.interlock.dashboard.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import dev.interlock.model.Alert;
import dev.interlock.model.Json;
import dev.interlock.model.MalformedRecordException;
import dev.interlock.model.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The store stage: reads committed alerts and stores each once (by dedup key), committing
 * offsets only after the database committed. A crash in between re-reads the batch, and the
 * dedup key makes that harmless. An alert that cannot be stored goes to quarantine with its
 * reason; an unreachable database is retried with backoff and blocks nothing else.
 */
final class AlertStoreConsumer implements Runnable {
    private static final Logger LOG = Logger.getLogger(AlertStoreConsumer.class);

    private final Map<String, Object> kafka;
    private final String groupId;
    private final AlertRepository repository;
    private final Counter stored;
    private final Counter duplicates;
    private final io.micrometer.core.instrument.Timer latency;
    private final MeterRegistry registry;
    private volatile boolean running = true;
    private volatile String problem;
    private KafkaConsumer<String, byte[]> consumer;

    AlertStoreConsumer(Map<String, Object> kafka, String groupId, AlertRepository repository, MeterRegistry registry) {
        this.kafka = kafka;
        this.groupId = groupId;
        this.repository = repository;
        this.registry = registry;
        this.stored = Counter.builder("interlock.dashboard.alerts.stored").description("Alerts stored").register(registry);
        this.latency = io.micrometer.core.instrument.Timer.builder("interlock.dashboard.alerts.latency")
                .description("From the timestamp of the record that raised an alert (the call event's or block's "
                        + "publication; a timer's firing) to the alert stored in PostgreSQL")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.duplicates = Counter.builder("interlock.dashboard.alerts.duplicates")
                .description("Alerts skipped because their dedup key was stored before").register(registry);
    }

    @Override
    public void run() {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "interlock-dashboard-store");
        long backoffMillis = 500;
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> quarantine = new KafkaProducer<>(producerProps(), new StringSerializer(),
                     new ByteArraySerializer())) {
            consumer = c;
            c.subscribe(Set.of(Topics.ALERTS));
            while (running) {
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    store(records, quarantine);
                    c.commitSync();
                    problem = null;
                    backoffMillis = 500;
                } catch (DatabaseUnavailableException e) {
                    problem = e.getMessage();
                    LOG.warnf("Cannot store alerts, retrying in %d ms: %s", backoffMillis, e.getMessage());
                    rewind(c);
                    Thread.sleep(backoffMillis);
                    backoffMillis = Math.min(backoffMillis * 2, 30_000);
                }
            }
        } catch (WakeupException e) {
            // stop() woke the poll.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            problem = "alert store consumer stopped: " + e;
            LOG.error("The alert store consumer stopped", e);
        }
    }

    /** The shared client settings without the consumer-only ones. */
    private Map<String, Object> producerProps() {
        Map<String, Object> p = new HashMap<>(kafka);
        p.keySet().removeIf(k -> ConsumerConfig.configNames().contains(k)
                && !org.apache.kafka.clients.producer.ProducerConfig.configNames().contains(k));
        p.put("client.id", "interlock-dashboard-quarantine");
        return p;
    }

    private void store(ConsumerRecords<String, byte[]> records, KafkaProducer<String, byte[]> quarantine) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                for (ConsumerRecord<String, byte[]> r : records) {
                    count(repository.storeIfNew(decode(r)));
                }
            });
            long now = System.currentTimeMillis();
            for (ConsumerRecord<String, byte[]> r : records) {
                latency.record(Math.max(0, now - r.timestamp()), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException batchFailure) {
            // Find the record(s) at fault: store one by one, quarantine what fails while the database is up.
            for (ConsumerRecord<String, byte[]> r : records) {
                try {
                    boolean fresh = QuarkusTransaction.requiringNew().call(() -> repository.storeIfNew(decode(r)));
                    count(fresh);
                } catch (RuntimeException e) {
                    if (!repository.reachable()) {
                        throw new DatabaseUnavailableException("database unreachable: " + rootMessage(e));
                    }
                    quarantine(quarantine, r, rootMessage(e));
                }
            }
        }
    }

    private void count(boolean fresh) {
        (fresh ? stored : duplicates).increment();
    }

    private static Alert decode(ConsumerRecord<String, byte[]> r) {
        Alert alert = Json.decode(r.value(), Alert.class);
        if (alert.dedupKey() == null || alert.alertClass() == null || alert.severity() == null
                || alert.canister() == null || alert.explanation() == null || alert.evidence() == null) {
            throw new MalformedRecordException("alert lacks dedupKey, alertClass, severity, canister, explanation "
                    + "or evidence");
        }
        return alert;
    }

    private void quarantine(KafkaProducer<String, byte[]> producer, ConsumerRecord<String, byte[]> r, String reason) {
        Counter.builder("interlock.dashboard.alerts.quarantined").description("Alerts that could not be stored")
                .register(registry).increment();
        LOG.warnf("Quarantined alert at %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), reason);
        ProducerRecord<String, byte[]> q = new ProducerRecord<>(Topics.QUARANTINE, r.key(), r.value());
        q.headers().add(Topics.HEADER_QUARANTINE_REASON, reason.getBytes(StandardCharsets.UTF_8));
        q.headers().add(Topics.HEADER_QUARANTINE_SOURCE,
                (r.topic() + "/" + r.partition() + "@" + r.offset()).getBytes(StandardCharsets.UTF_8));
        producer.send(q);
        producer.flush();
    }

    /** Go back to the last committed offsets so the failed batch is read again. */
    private static void rewind(KafkaConsumer<String, byte[]> c) {
        Set<TopicPartition> assigned = c.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = c.committed(assigned);
        for (TopicPartition tp : assigned) {
            OffsetAndMetadata o = committed.get(tp);
            if (o != null) {
                c.seek(tp, o.offset());
            } else {
                c.seekToBeginning(List.of(tp));
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    String problem() {
        return problem;
    }

    private static final class DatabaseUnavailableException extends RuntimeException {
        DatabaseUnavailableException(String message) {
            super(message);
        }
    }
}
