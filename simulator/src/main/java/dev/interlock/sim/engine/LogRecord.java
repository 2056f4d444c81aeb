package dev.interlock.sim.engine;

/** A canister log record as {@code fetch_canister_logs} returns it; content is the printed text. */
public record LogRecord(long idx, long timestampNanos, String content) {
    /** Bytes the record occupies in the log buffer: its content plus idx and timestamp. */
    public int size() {
        return content.length() + 16;
    }
}
