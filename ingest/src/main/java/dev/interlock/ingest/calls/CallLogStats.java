package dev.interlock.ingest.calls;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a run of the call-log processor did: lines read, and per canister the events and log lines
 * released for publishing, the records skipped as already published, and the rejected lines by reason.
 * Canisters are listed in principal-text order; rejected lines whose canister is unknown count under
 * {@link #UNKNOWN_CANISTER}.
 */
public final class CallLogStats {
    /** The canister label of rejected lines that name no valid canister. */
    public static final String UNKNOWN_CANISTER = "unknown";

    private long lines;
    private final Map<String, Long> events = new TreeMap<>();
    private final Map<String, Long> logLines = new TreeMap<>();
    private final Map<String, Long> duplicates = new TreeMap<>();
    private final Map<String, Map<RejectReason, Long>> rejected = new TreeMap<>();

    void line() {
        lines++;
    }

    void event(String canister) {
        events.merge(canister, 1L, Long::sum);
    }

    void logLine(String canister) {
        logLines.merge(canister, 1L, Long::sum);
    }

    void duplicate(String canister) {
        duplicates.merge(canister, 1L, Long::sum);
    }

    void rejected(Rejection r) {
        rejected.computeIfAbsent(r.canister() == null ? UNKNOWN_CANISTER : r.canister(), k -> new TreeMap<>())
                .merge(r.reason(), 1L, Long::sum);
    }

    /** Non-blank lines read (records and rejected lines; continuation lines of a text record not counted). */
    public long lines() {
        return lines;
    }

    /** Lines that were not rejected: published now, or skipped as already published. */
    public long accepted() {
        return lines - rejectedTotal();
    }

    public long eventsTotal() {
        return sum(events);
    }

    public long logLinesTotal() {
        return sum(logLines);
    }

    public long duplicatesTotal() {
        return sum(duplicates);
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(CallLogStats::sum).sum();
    }

    /** Call events released for publishing, per canister. */
    public Map<String, Long> events() {
        return java.util.Collections.unmodifiableMap(events);
    }

    /** Plain log lines released for publishing, per canister. */
    public Map<String, Long> logLines() {
        return java.util.Collections.unmodifiableMap(logLines);
    }

    /** Records at or below the committed cursor, skipped, per canister. */
    public Map<String, Long> duplicates() {
        return java.util.Collections.unmodifiableMap(duplicates);
    }

    /** Rejected lines per canister and reason. */
    public Map<String, Map<RejectReason, Long>> rejected() {
        return java.util.Collections.unmodifiableMap(rejected);
    }

    /** Rejected lines per reason, all canisters together. */
    public Map<RejectReason, Long> rejectedByReason() {
        Map<RejectReason, Long> out = new TreeMap<>();
        rejected.values().forEach(m -> m.forEach((r, n) -> out.merge(r, n, Long::sum)));
        return out;
    }

    /** Every canister that appears in any count. */
    public java.util.SortedSet<String> canisters() {
        java.util.SortedSet<String> all = new java.util.TreeSet<>();
        all.addAll(events.keySet());
        all.addAll(logLines.keySet());
        all.addAll(duplicates.keySet());
        all.addAll(rejected.keySet());
        return all;
    }

    private static long sum(Map<?, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }
}
