package dev.interlock.ingest.calls;

/**
 * One canister log record as read from a pushed batch or an imported file: the same fields
 * {@code fetch_canister_logs} returns, plus where the record was read.
 *
 * @param origin    file name, or null for a pushed batch
 * @param line      1-based line number of the record (its first line, for multi-line text records)
 * @param canister  the canister (valid principal text)
 * @param idx       the log record's idx (unsigned, below 2^63)
 * @param timeNanos the record's timestamp, ns since the epoch (positive)
 * @param content   the printed text: a trace line, a {@code [TRAP]:} record or an ordinary line
 * @param raw       the input as received (quarantined as is when the record is rejected later)
 */
public record CallLogRecord(String origin, long line, String canister, long idx, long timeNanos, String content,
        String raw) {
}
