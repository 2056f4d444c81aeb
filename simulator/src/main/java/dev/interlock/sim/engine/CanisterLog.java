package dev.interlock.sim.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A canister's log as the IC keeps it: a ring buffer of {@code limit} bytes (4 KiB by default,
 * like {@code log_memory_limit}); the oldest records are dropped on overflow; a reinstall purges
 * it while {@code idx} keeps counting. A record's size is its content's bytes plus 16 for idx and
 * timestamp (an approximation of the replica's accounting).
 */
public final class CanisterLog {
    public static final int DEFAULT_LIMIT = 4096;

    private final int limit;
    private final ArrayDeque<LogRecord> buffer = new ArrayDeque<>();
    private long nextIdx;
    private long bytes;
    private long dropped;

    public CanisterLog(int limit) {
        this.limit = limit;
    }

    /** Appends a record; returns it (with its idx). */
    public LogRecord append(long timestampNanos, String content) {
        LogRecord r = new LogRecord(nextIdx++, timestampNanos, content);
        buffer.addLast(r);
        bytes += r.size();
        while (bytes > limit && buffer.size() > 1) {
            bytes -= buffer.removeFirst().size();
            dropped++;
        }
        if (bytes > limit) {
            // A single record larger than the whole buffer does not fit at all.
            bytes -= buffer.removeFirst().size();
            dropped++;
        }
        return r;
    }

    /** Records currently held, optionally only those with idx at or after {@code fromIdx}. */
    public List<LogRecord> fetch(long fromIdx) {
        List<LogRecord> out = new ArrayList<>();
        for (LogRecord r : buffer) {
            if (r.idx() >= fromIdx) {
                out.add(r);
            }
        }
        return out;
    }

    public List<LogRecord> fetch() {
        return fetch(0);
    }

    /** A reinstall: everything is gone, idx goes on. */
    public void purge() {
        buffer.clear();
        bytes = 0;
    }

    public long nextIdx() {
        return nextIdx;
    }

    public long bytesUsed() {
        return bytes;
    }

    public long droppedRecords() {
        return dropped;
    }

    public int limit() {
        return limit;
    }
}
