package dev.interlock.detector.streams;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import dev.interlock.model.Topics;

/** A record that cannot be used, as it goes to the quarantine topic: its bytes, with reason and source in headers. */
final class Quarantine {
    private Quarantine() {
    }

    static Record<String, byte[]> of(Record<String, byte[]> record, String reason, ProcessorContext<?, ?> context,
            String defaultSource) {
        String source = context.recordMetadata()
                .map(m -> m.topic() + "/" + m.partition() + "@" + m.offset()).orElse(defaultSource);
        Record<String, byte[]> q = record.withValue(record.value() == null ? new byte[0] : record.value());
        q.headers().add(Topics.HEADER_QUARANTINE_REASON, reason.getBytes(StandardCharsets.UTF_8));
        q.headers().add(Topics.HEADER_QUARANTINE_SOURCE, source.getBytes(StandardCharsets.UTF_8));
        return q;
    }

    static String category(String reason) {
        return reason.contains("JSON") ? "malformed-json" : "invalid-event";
    }
}
