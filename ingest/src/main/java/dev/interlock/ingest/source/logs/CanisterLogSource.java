package dev.interlock.ingest.source.logs;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.interlock.ic.Principal;
import dev.interlock.ic.agent.CanisterLogClient;
import dev.interlock.ic.agent.CanisterStatusClient;
import dev.interlock.ic.agent.IcException;
import dev.interlock.ic.identity.Identity;
import dev.interlock.ingest.calls.CallLogProcessor;
import dev.interlock.ingest.calls.CallLogRecord;
import dev.interlock.ingest.source.Source;
import dev.interlock.ingest.source.SourceBatch;
import dev.interlock.ingest.source.SourceException;
import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.Evidence;
import dev.interlock.model.IngestRecord;
import dev.interlock.model.Json;
import dev.interlock.model.LogLine;
import dev.interlock.model.Severity;

/**
 * Polls one canister's log with {@code fetch_canister_logs} and turns its records into call events and
 * log lines with the rules every call-log source shares ({@link CallLogProcessor}: trap attribution,
 * validation, quarantine). Records of a message that has not ended yet are held back (the cursor stays
 * before them) and published once the message ends.
 *
 * <p>The log is a ring buffer: when the first record a poll returns is past the next expected idx, records
 * were lost. If the canister was installed after the last record read (its certified
 * {@code last_install_timestamp}, by {@code read_state}), a reinstall purged the log (idx counts on): recorded
 * as a {@link LogLine#KIND_REINSTALL} line with the number of unread records it destroyed; otherwise a
 * LOG_GAP alert names the lost range. Either way a {@code LOG_GAP} call event takes the lost records' place
 * in the canister's call stream, so that the detectors say which alerts the lost records may change. Where
 * the replica does not serve the install time, a purge is assumed
 * when the poll returned less than half a buffer (the buffer cannot have overflowed). Each poll's
 * bytes are compared with the buffer size, with a warning before records are lost.
 *
 * <p>The buffer size is configured, or else read with {@code canister_status} ({@code settings.log_memory_limit}) at
 * start and after each reinstall; where that call is refused (the identity is no controller or allowed status viewer)
 * or the reply lacks the field, the IC's default of 4096 bytes is assumed and one warning says why.
 *
 * <p>The cursor is JSON: {@code {"idx": last committed idx, or -1}}.
 */
public final class CanisterLogSource implements Source {
    private static final Logger LOG = Logger.getLogger(CanisterLogSource.class);

    private final String id;
    private final Principal canister;
    private final CanisterLogClient client;
    private final Identity identity;
    private final Duration pollInterval;
    private final OptionalInt configuredBufferBytes;
    private final Clock clock;

    /** The IC's default {@code log_memory_limit}. */
    public static final int DEFAULT_BUFFER_BYTES = 4096;
    private static final long STATUS_RETRY_MILLIS = 10 * 60_000L;

    private volatile int bufferBytes;
    /** Where {@link #bufferBytes} comes from: configured, canister_status, or the default and why. */
    private volatile String bufferSource;
    /** When to ask canister_status (again); {@code Long.MAX_VALUE}: not before the next reinstall. */
    private long statusDue;

    /** What this instance read beyond the committed cursor (records of open messages). */
    private String expectedCursor;
    private CallLogProcessor processor;
    private long committed = -1;
    private long lastSeen = -1;
    private long lastSeenTime = -1;
    private volatile long lastPollBytes;
    private volatile long gaps;
    private volatile long reinstalls;
    private long lastFillWarning;

    public CanisterLogSource(String id, Principal canister, CanisterLogClient client, Identity identity, Duration pollInterval,
            int bufferBytes, Clock clock) {
        this(id, canister, client, identity, pollInterval, OptionalInt.of(bufferBytes), clock);
    }

    /** {@code bufferBytes} empty: read from {@code canister_status}, falling back to {@link #DEFAULT_BUFFER_BYTES}. */
    public CanisterLogSource(String id, Principal canister, CanisterLogClient client, Identity identity, Duration pollInterval,
            OptionalInt bufferBytes, Clock clock) {
        this.id = id;
        this.canister = canister;
        this.client = client;
        this.identity = identity;
        this.pollInterval = pollInterval;
        this.configuredBufferBytes = bufferBytes;
        this.bufferBytes = bufferBytes.orElse(DEFAULT_BUFFER_BYTES);
        this.bufferSource = bufferBytes.isPresent() ? "configured" : "not read yet";
        this.statusDue = bufferBytes.isPresent() ? Long.MAX_VALUE : Long.MIN_VALUE;
        this.clock = clock;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Duration pollInterval() {
        return pollInterval;
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("canister", canister.toString());
        m.put("readAs", identity.principal() + " (" + identity.kind() + ")");
        m.put("lastIdx", committed);
        m.put("lastPollBytes", lastPollBytes);
        m.put("logBufferBytes", bufferBytes);
        m.put("logBufferSource", bufferSource);
        m.put("logGaps", gaps);
        m.put("reinstalls", reinstalls);
        return m;
    }

    @Override
    public void rewind() {
        expectedCursor = null;
    }

    @Override
    public SourceBatch poll(String cursor) throws SourceException {
        if (expectedCursor == null || !expectedCursor.equals(cursor)) {
            resume(cursor);
        }
        String name = canister.toString();
        if (clock.millis() >= statusDue) {
            learnBufferSize();
        }
        List<CanisterLogClient.LogRecord> got;
        try {
            got = client.fetch(canister, lastSeen + 1);
        } catch (IcException.Rejected e) {
            String hint = e.getMessage().contains("not allowed") ? "; the log is read as " + identity.principal() + " ("
                    + identity.kind() + "): make it a controller or an allowed log viewer of " + name
                    + (identity == Identity.ANONYMOUS ? ", or set interlock.ingest.canisters.<name>.identity to the PEM file of one" : "")
                    : "";
            throw new SourceException(SourceException.Reason.REJECTED_BY_PEER, true, "canister log of " + name + ": " + e.getMessage()
                    + hint, e);
        } catch (IcException.Transport e) {
            throw new SourceException(SourceException.Reason.UNREACHABLE, true, "canister log of " + name + ": " + e.getMessage(), e);
        }
        List<IngestRecord> out = new ArrayList<>();
        long bytes = got.stream().mapToLong(CanisterLogClient.LogRecord::size).sum();
        lastPollBytes = bytes;
        warnIfFilling(bytes);
        if (!got.isEmpty() && lastSeen >= 0 && got.get(0).idx() > lastSeen + 1) {
            out.add(lost(lastSeen + 1, got.get(0).idx() - 1, got.get(0).timestampNanos(), bytes));
            // the detectors learn it in the canister's order, where the lost records were
            processor.gap(name, lastSeen + 1, got.get(0).idx() - 1, lastSeenTime, got.get(0).timestampNanos());
        }
        for (CanisterLogClient.LogRecord r : got) {
            String content = new String(r.content(), StandardCharsets.UTF_8);
            processor.add(new CallLogRecord("fetch_canister_logs", 0, name, r.idx(), r.timestampNanos(), content, content));
            lastSeen = r.idx();
            lastSeenTime = r.timestampNanos();
        }
        CallLogProcessor.Chunk chunk = processor.drain(false);
        out.addAll(chunk.records());
        Long moved = chunk.cursorUpdates().get(name);
        if (moved != null) {
            committed = moved;
        }
        expectedCursor = cursorJson(committed);
        return new SourceBatch(out, chunk.quarantine(), expectedCursor);
    }

    /**
     * Records {@code from..to} vanished unread. The canister's certified {@code last_install_timestamp} decides
     * whether a reinstall purged them (installed after the last record read) or the ring buffer overflowed; where
     * the replica does not serve it, a purge is assumed when the buffer cannot have overflowed (the poll returned
     * less than half a buffer).
     */
    private IngestRecord lost(long from, long to, long atNanos, long bytesReturned) {
        long count = to - from + 1;
        String name = canister.toString();
        java.util.Optional<Boolean> certified = reinstalledSinceLastRead();
        boolean purged = certified.orElse(bytesReturned < bufferBytes / 2);
        if (purged) {
            reinstalls++;
            String how = certified.isPresent() ? "reinstall certified by last_install_timestamp" : "reinstall suspected";
            LOG.warnf("Canister %s: log records %d..%d vanished (%s)", name, from, to, how);
            if (configuredBufferBytes.isEmpty()) {
                learnBufferSize(); // the new module may have come with another log_memory_limit
            }
            return LogLine.of(name, to + 1, atNanos, LogLine.KIND_REINSTALL, "log purged (" + how + "): " + count
                    + " unread records destroyed, idx " + from + ".." + to);
        }
        gaps++;
        String explanation = "Canister " + name + ": log records " + from + ".." + to + " (" + count + ") were overwritten in the "
                + bufferBytes + "-byte log buffer before Interlock read them; the events they held are missing, so detectors "
                + "may miss incidents in that span. Raise the canister's log_memory_limit or poll more often (poll-interval).";
        return new Alert(Alert.VERSION, AlertClass.LOG_GAP + "/" + name + "/" + from + "-" + to, AlertClass.LOG_GAP, Severity.WARNING,
                name, List.of(), null, explanation, new Evidence(List.of(), List.of(), List.of(), List.of(), null,
                        List.of("log-idx", from + ".." + to), List.of()), clock.millis() * 1_000_000L);
    }

    /** True when the certified install time is after the last record read; empty when the replica cannot say. */
    private java.util.Optional<Boolean> reinstalledSinceLastRead() {
        try {
            return client.lastInstallTimestamp(canister).map(t -> t.compareTo(java.math.BigInteger.valueOf(lastSeenTime)) > 0);
        } catch (RuntimeException e) {
            LOG.debugf("Canister %s: last_install_timestamp unavailable (%s); deciding by the buffer fill", canister, e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /**
     * Reads the buffer size with {@code canister_status}; where that is refused, fails or does not report
     * {@code log_memory_limit}, assumes {@link #DEFAULT_BUFFER_BYTES} and says why in one warning. A transport failure
     * is retried after ten minutes; a refusal or a reply without the field not before the next reinstall.
     */
    private void learnBufferSize() {
        statusDue = Long.MAX_VALUE;
        String why;
        try {
            CanisterStatusClient.CanisterStatus s = client.status(canister);
            if (s.logMemoryLimit().isPresent() && s.logMemoryLimit().getAsLong() > 0) {
                int size = (int) Math.min(Integer.MAX_VALUE, s.logMemoryLimit().getAsLong());
                if (size != bufferBytes || !"canister_status".equals(bufferSource)) {
                    LOG.infof("Canister %s: its log buffer is %d bytes (log_memory_limit, read with canister_status)", canister, size);
                }
                bufferBytes = size;
                bufferSource = "canister_status";
                return;
            }
            why = "its canister_status reply carries no settings.log_memory_limit";
        } catch (IcException.Rejected e) {
            why = ("IC0512".equals(e.errorCode()) || e.rejectMessage().contains("Only controllers")
                    ? "canister_status refused: " + identity.principal() + " (" + identity.kind() + ") is not a controller or an "
                            + "allowed status viewer of it"
                    : "canister_status refused") + " (" + e.getMessage() + ")";
        } catch (IcException.Transport e) {
            statusDue = clock.millis() + STATUS_RETRY_MILLIS;
            why = "canister_status failed (" + e.getMessage() + "); asking again in 10 minutes";
        }
        bufferBytes = DEFAULT_BUFFER_BYTES;
        bufferSource = "default (" + why + ")";
        LOG.warnf("Canister %s: assuming the IC's default log buffer of %d bytes: %s. Set "
                + "interlock.ingest.canisters.<name>.log-buffer-bytes to its log_memory_limit for exact fill warnings",
                canister, DEFAULT_BUFFER_BYTES, why);
    }

    private void warnIfFilling(long bytes) {
        long now = clock.millis();
        if (bytes * 4 >= bufferBytes * 3L && now - lastFillWarning > 60_000) {
            lastFillWarning = now;
            LOG.warnf("Canister %s: one poll returned %d bytes of log, %d%% of its %d-byte buffer: records will be lost if it logs "
                    + "faster; raise its log_memory_limit or shorten poll-interval", canister, bytes, bytes * 100 / bufferBytes,
                    bufferBytes);
        }
    }

    private void resume(String cursor) throws SourceException {
        long idx = -1;
        if (cursor != null) {
            try {
                JsonNode n = Json.mapper().readTree(cursor);
                idx = n.get("idx").asLong();
            } catch (Exception e) {
                throw new SourceException(SourceException.Reason.BAD_CONFIGURATION, false, "unreadable canister-log cursor '" + cursor
                        + "': " + e.getMessage(), e);
            }
        }
        committed = idx;
        lastSeen = idx;
        Map<String, Long> start = idx < 0 ? Map.of() : Map.of(canister.toString(), idx);
        processor = new CallLogProcessor(start, null, clock);
        expectedCursor = cursor;
    }

    static String cursorJson(long idx) {
        return "{\"idx\":" + idx + "}";
    }
}
