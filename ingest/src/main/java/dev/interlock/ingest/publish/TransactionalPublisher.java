package dev.interlock.ingest.publish;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.interlock.ingest.source.SourceBatch;
import dev.interlock.model.IngestRecord;
import dev.interlock.model.Json;
import dev.interlock.model.Topics;

/**
 * The publish stage of one source: a batch's records, its quarantined input and the source's
 * new cursor are written in one Kafka transaction. Readers use {@code read_committed}, so they
 * see a batch whole or not at all, and a restarted source resumes exactly after it.
 */
public final class TransactionalPublisher implements AutoCloseable {
    private final String sourceId;
    private KafkaProducer<String, byte[]> producer;

    /** Creates the producer and fences any earlier instance of the same source (aborting its open transaction). */
    public TransactionalPublisher(Map<String, Object> kafka, String sourceId) {
        this.sourceId = sourceId;
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(sourceId));
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "interlock-ingest-" + sourceId);
        // a batch is thousands of records committed at once: large producer batches, compressed (overridable by kafka.*)
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, System.getProperty("bench.compression", "lz4"));
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
    }

    public static String transactionalId(String sourceId) {
        return "interlock-ingest-" + sourceId;
    }

    public void publish(SourceBatch batch) {
        try {
            producer.beginTransaction();
            List<IngestRecord> records = batch.records();
            for (int i = 0; i < records.size(); i++) {
                IngestRecord r = records.get(i);
                byte[] value = batch.encoded() != null ? batch.encoded().get(i) : Json.encode(r);
                ProducerRecord<String, byte[]> pr = new ProducerRecord<>(r.topic(), r.key(), value);
                if (r.dedupKey() != null) {
                    pr.headers().add(Topics.HEADER_DEDUP_KEY, r.dedupKey().getBytes(StandardCharsets.UTF_8));
                }
                producer.send(pr);
            }
            for (SourceBatch.Rejected rejected : batch.rejected()) {
                ProducerRecord<String, byte[]> q = new ProducerRecord<>(Topics.QUARANTINE, rejected.key(), rejected.raw());
                q.headers().add(Topics.HEADER_QUARANTINE_REASON, rejected.reason().getBytes(StandardCharsets.UTF_8));
                q.headers().add(Topics.HEADER_QUARANTINE_SOURCE, ("ingest/" + sourceId).getBytes(StandardCharsets.UTF_8));
                producer.send(q);
            }
            producer.send(new ProducerRecord<>(Topics.INGEST_CURSORS, sourceId,
                    batch.cursor().getBytes(StandardCharsets.UTF_8)));
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException
                | AuthorizationException e) {
            // Not recoverable: a newer instance of this source owns its transactional id (an old epoch
            // means exactly that), or we lack rights. Retrying would fence the newer instance in turn.
            throw new PublishException(false, "source " + sourceId + " cannot publish: " + e.getMessage(), e);
        } catch (KafkaException e) {
            try {
                producer.abortTransaction();
            } catch (KafkaException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            throw new PublishException(true, "publishing a batch of source " + sourceId + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }

    /** Publishing failed; retryable failures leave nothing half-written (the transaction aborted). */
    public static final class PublishException extends RuntimeException {
        private final boolean retryable;

        PublishException(boolean retryable, String message, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }
}
