package dev.interlock.model;

/**
 * A canister log record that is not a call-trace event, kept for forensics: an ordinary line the
 * canister printed (a Rust {@code Panicked at …} line, a debug print), or a {@code [TRAP]:} record
 * that could not be attributed to a message (no message-begin line before it in what was read), marked
 * as such. Published to {@link Topics#CANISTER_LOGS}, keyed by canister, in the canister's idx order.
 *
 * @param id        {@code <canister>/<idx>}: the same record read twice has the same id
 * @param canister  the canister that printed it (principal text)
 * @param idx       the log record's idx
 * @param timeNanos the record's timestamp (the IC round time), ns since the epoch
 * @param kind      {@link #KIND_LOG}, {@link #KIND_UNATTRIBUTED_TRAP} or {@link #KIND_REINSTALL}
 * @param content   the record's text as printed (may span several lines)
 */
public record LogLine(String id, String canister, long idx, long timeNanos, String kind, String content)
        implements IngestRecord {
    /** An ordinary log line. */
    public static final String KIND_LOG = "log";
    /** A {@code [TRAP]:} record no message-begin line precedes: which message trapped is unknown, never guessed. */
    public static final String KIND_UNATTRIBUTED_TRAP = "unattributed-trap";
    /**
     * Not a printed line: the canister's log was purged (a reinstall) while records were still unread; the
     * content says how many and which idx range. Its idx is the first record read after the purge.
     */
    public static final String KIND_REINSTALL = "reinstall";

    public static LogLine of(String canister, long idx, long timeNanos, String kind, String content) {
        return new LogLine(canister + "/" + idx + (KIND_REINSTALL.equals(kind) ? "/reinstall" : ""), canister, idx, timeNanos, kind,
                content);
    }

    @Override
    public String topic() {
        return Topics.CANISTER_LOGS;
    }

    @Override
    public String key() {
        return canister;
    }

    /** {@code <canister>/<idx>}: unique per log record. */
    @Override
    public String dedupKey() {
        return id;
    }
}
