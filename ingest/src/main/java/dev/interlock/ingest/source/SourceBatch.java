package dev.interlock.ingest.source;

import java.util.List;

import dev.interlock.model.IngestRecord;

/**
 * What one poll produced: usable records, rejected input with its reason (quarantined, never
 * dropped), and the cursor after all of them.
 */
public record SourceBatch(List<IngestRecord> records, List<Rejected> rejected, String cursor) {
    public record Rejected(String key, byte[] raw, String reason) {
    }

    public static SourceBatch of(List<IngestRecord> records, String cursor) {
        return new SourceBatch(records, List.of(), cursor);
    }

    public boolean isEmpty() {
        return records.isEmpty() && rejected.isEmpty();
    }
}
