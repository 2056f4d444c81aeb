package dev.interlock.ingest.source;

import java.util.List;

import dev.interlock.model.IngestRecord;

/**
 * What one poll produced: usable records, rejected input with its reason (quarantined, never
 * dropped), and the cursor after all of them.
 *
 * @param encoded null, or each record's value as published ({@code Json.encode} of it), when the source has encoded them
 *                already (off the publishing thread); then it has one entry per record
 */
public record SourceBatch(List<IngestRecord> records, List<Rejected> rejected, String cursor, List<byte[]> encoded) {
    public record Rejected(String key, byte[] raw, String reason) {
    }

    public SourceBatch {
        if (encoded != null && encoded.size() != records.size()) {
            throw new IllegalArgumentException(encoded.size() + " encoded values for " + records.size() + " records");
        }
    }

    public SourceBatch(List<IngestRecord> records, List<Rejected> rejected, String cursor) {
        this(records, rejected, cursor, null);
    }

    public static SourceBatch of(List<IngestRecord> records, String cursor) {
        return new SourceBatch(records, List.of(), cursor);
    }

    public boolean isEmpty() {
        return records.isEmpty() && rejected.isEmpty();
    }
}
