package dev.interlock.ingest.calls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.interlock.ingest.publish.CursorStore;
import dev.interlock.ingest.publish.TransactionalPublisher;
import dev.interlock.ingest.source.SourceBatch;
import dev.interlock.model.Topics;

/**
 * Publishes call-log chunks through a {@link TransactionalPublisher}: the records, the quarantined lines and
 * the source's cursor in one Kafka transaction. The cursor is a JSON object of every canister's last
 * processed idx ({@code {"<canister>":123,…}}), the source's value on the compacted cursors topic; creating
 * the sink fences an earlier instance of the same source and reads the committed cursor back.
 */
public final class KafkaCallLogSink implements CallLogSink {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String sourceId;
    private final TransactionalPublisher publisher;
    private Map<String, Long> cursors;

    public KafkaCallLogSink(Map<String, Object> kafka, String sourceId, Duration timeout) {
        this.sourceId = sourceId;
        this.publisher = new TransactionalPublisher(kafka, sourceId);
        try {
            this.cursors = decode(sourceId, CursorStore.lastCursor(kafka, sourceId, timeout).orElse(null));
        } catch (RuntimeException e) {
            publisher.close();
            throw e;
        }
    }

    @Override
    public synchronized Map<String, Long> cursors() {
        return Map.copyOf(cursors);
    }

    @Override
    public synchronized void publish(CallLogProcessor.Chunk chunk) {
        if (chunk.isEmpty()) {
            return;
        }
        Map<String, Long> next = new TreeMap<>(cursors);
        next.putAll(chunk.cursorUpdates());
        publisher.publish(new SourceBatch(chunk.records(), chunk.quarantine(), encode(next)));
        cursors = next;
    }

    public String sourceId() {
        return sourceId;
    }

    @Override
    public void close() {
        publisher.close();
    }

    /** The cursor value: canister → last processed idx, as a JSON object in canister order. */
    public static String encode(Map<String, Long> cursors) {
        try {
            return MAPPER.writeValueAsString(new TreeMap<>(cursors));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Long> decode(String sourceId, String cursor) {
        Map<String, Long> out = new TreeMap<>();
        if (cursor == null) {
            return out;
        }
        try {
            JsonNode n = MAPPER.readTree(cursor);
            if (!n.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().canConvertToLong()) {
                    throw new IllegalArgumentException("idx of " + e.getKey() + " is not a number");
                }
                out.put(e.getKey(), e.getValue().asLong());
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("the committed cursor of source " + sourceId
                    + " is not a canister → idx map (" + e.getMessage() + "); was the source id used by another source?", e);
        }
    }

    /**
     * Checks that the topics a call-log import writes exist, so that a broker's auto-creation does not make
     * them with the wrong partitioning; the message says what is missing or unreachable.
     */
    public static void requireTopics(Map<String, Object> kafka, Duration timeout) {
        Map<String, Object> props = new java.util.HashMap<>(kafka);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE));
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<String> missing = new ArrayList<>();
            for (String t : List.of(Topics.CALLS, Topics.CANISTER_LOGS, Topics.QUARANTINE, Topics.INGEST_CURSORS)) {
                if (!existing.contains(t)) {
                    missing.add(t);
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("topics " + missing + " do not exist on " + kafka.get("bootstrap.servers")
                        + ": start Interlock against this cluster once (it creates its topics), then import");
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + kafka.get("bootstrap.servers") + " within "
                    + timeout.toSeconds() + " s: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
