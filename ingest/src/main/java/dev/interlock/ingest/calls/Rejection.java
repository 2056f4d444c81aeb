package dev.interlock.ingest.calls;

import java.nio.charset.StandardCharsets;

import dev.interlock.ingest.source.SourceBatch;

/**
 * A line that was not used, with where it came from, why, and its raw text (quarantined as it arrived).
 *
 * @param origin   file name, or null for a pushed batch
 * @param line     1-based line number in the file or request body
 * @param canister the record's canister when it was a valid principal, else null
 * @param idx      the record's idx when known, else null
 * @param reason   the category (metric label)
 * @param detail   what exactly was wrong
 * @param raw      the line as received
 */
public record Rejection(String origin, long line, String canister, Long idx, RejectReason reason, String detail,
        String raw) {

    /** {@code line 3: detail} or {@code file.ndjson:3: detail}. */
    public String where() {
        return (origin == null ? "line " + line : origin + ":" + line);
    }

    /** The quarantine record: keyed by canister (when known), the raw line as value, the reason in the header. */
    public SourceBatch.Rejected quarantined() {
        return new SourceBatch.Rejected(canister, raw == null ? new byte[0] : raw.getBytes(StandardCharsets.UTF_8),
                where() + ": " + reason.tag() + ": " + detail);
    }
}
