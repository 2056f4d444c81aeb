package dev.interlock.ingest.calls;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.interlock.ingest.source.SourceBatch;
import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;
import dev.interlock.model.IngestRecord;
import dev.interlock.model.LogLine;
import dev.interlock.model.trace.TraceFormat;
import dev.interlock.model.trace.TraceReader;

/**
 * The processing rules every call-log source shares (HTTP push, file import): from canister log records to
 * what is published, with a per-canister cursor so that re-reading the same records publishes nothing twice.
 *
 * <ul>
 * <li>Records are taken per canister in idx order (a batch's records are sorted by idx first); a record at or
 * below the canister's committed cursor was processed before and is skipped as a duplicate; a record below
 * one already read in this input is rejected as out of order, a second record with the same idx and other
 * content as a duplicate idx.</li>
 * <li>Timestamps: a record more than the clock-skew tolerance ahead of this clock, or that far behind the
 * previous record of its canister, is rejected with the reason.</li>
 * <li>Trace lines ({@code ILK<n> …}) and {@code [TRAP]:} records go through the {@link TraceReader}: a
 * message's events are provisional until it ends; a trap marks them rolled back and adds a TRAP event; a trap
 * record that cannot be attributed is kept as a log line marked {@link LogLine#KIND_UNATTRIBUTED_TRAP} (and
 * reported as a warning), never guessed. Trace lines the reader cannot use are rejected with its reason;
 * events whose caller or callee is not a valid principal too.</li>
 * <li>Other lines become plain {@link LogLine}s, kept for forensics.</li>
 * </ul>
 *
 * <p>{@link #drain(boolean)} releases, per canister in idx order, everything that is final, and the new
 * cursors: the last idx of each canister whose outputs are all released (a message still open holds its
 * records back, so a cursor committed with the released records never skips a record whose events were not
 * published). Rejected lines go to quarantine with the reason and the raw text. Not thread-safe.
 */
public final class CallLogProcessor {
    /** Something accepted but worth telling the sender: a trap record that could not be attributed. */
    public record Warning(String origin, long line, String canister, long idx, String message) {
        public String where() {
            return origin == null ? "line " + line : origin + ":" + line;
        }
    }

    /**
     * What one drain released: records to publish (call events and log lines, each canister's in idx order),
     * rejected lines (to quarantine), warnings, and the cursors that moved (canister → last processed idx).
     * Publish records, quarantine and cursors in one transaction.
     */
    public record Chunk(List<IngestRecord> records, List<Rejection> rejections, List<Warning> warnings,
            Map<String, Long> cursorUpdates) {
        public boolean isEmpty() {
            return records.isEmpty() && rejections.isEmpty() && cursorUpdates.isEmpty();
        }

        public List<SourceBatch.Rejected> quarantine() {
            return rejections.stream().map(Rejection::quarantined).toList();
        }
    }

    private final Map<String, Long> committed;
    private final Duration maxClockSkew;
    private final Clock clock;
    private final Map<String, CanisterState> canisters = new LinkedHashMap<>();
    private final List<Rejection> loose = new ArrayList<>();
    private final CallLogStats stats = new CallLogStats();

    /**
     * @param committed    last committed idx per canister (records at or below are duplicates)
     * @param maxClockSkew clock-skew tolerance, or null for no timestamp checks
     */
    public CallLogProcessor(Map<String, Long> committed, Duration maxClockSkew, Clock clock) {
        this.committed = new HashMap<>(committed);
        this.maxClockSkew = maxClockSkew;
        this.clock = clock;
    }

    public void add(CallLogLine.Parsed parsed) {
        if (parsed instanceof CallLogLine.Accepted a) {
            add(a.record());
        } else {
            reject(((CallLogLine.Refused) parsed).rejection());
        }
    }

    /** A record read (processed at the next drain). */
    public void add(CallLogRecord record) {
        stats.line();
        canisters.computeIfAbsent(record.canister(), CanisterState::new).buffered
                .add(new Input(record.idx(), record, null, null));
    }

    /**
     * Records {@code fromIdx..toIdx} of the canister's log were lost unread (processed at the next drain, in idx
     * order): the message they cut off ends (its end was among them), and a {@link CallEventKind#LOG_GAP} event takes
     * the place of the last lost record, so that the detectors know what their evidence may lack.
     *
     * @param sinceNanos time of the last record read before the gap
     * @param atNanos    time of the first record read after it
     */
    public void gap(String canister, long fromIdx, long toIdx, long sinceNanos, long atNanos) {
        canisters.computeIfAbsent(canister, CanisterState::new).buffered
                .add(new Input(toIdx, null, null, CallEvent.logGap(canister, fromIdx, toIdx, sinceNanos, atNanos)));
    }

    /**
     * A line rejected while reading: quarantined at the next drain. When it names its canister and idx, it
     * takes its place in the canister's order and moves its cursor like a record (so that re-sending it is a
     * duplicate, not a second quarantine).
     */
    public void reject(Rejection rejection) {
        stats.line();
        if (rejection.canister() != null && rejection.idx() != null) {
            canisters.computeIfAbsent(rejection.canister(), CanisterState::new).buffered
                    .add(new Input(rejection.idx(), null, rejection, null));
        } else {
            loose.add(rejection);
        }
    }

    /**
     * Processes what was added and releases everything final.
     *
     * @param endOfInput true at the end of a batch or of the input: open messages end here (with no trap)
     */
    public Chunk drain(boolean endOfInput) {
        List<IngestRecord> records = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>(loose);
        loose.forEach(stats::rejected);
        loose.clear();
        List<Warning> warnings = new ArrayList<>();
        Map<String, Long> cursors = new LinkedHashMap<>();
        for (CanisterState s : canisters.values()) {
            s.processBuffered();
            if (endOfInput) {
                s.reader.flush();
            }
            long pending = s.reader.pendingSince();
            long last = pending < 0 ? s.lastProcessed : s.lastBefore(pending);
            s.release(last, records, rejections, warnings);
            if (last > s.committed) {
                s.committed = last;
                committed.put(s.canister, last);
                cursors.put(s.canister, last);
            }
        }
        return new Chunk(records, rejections, warnings, cursors);
    }

    /** Counts so far (of what was released). */
    public CallLogStats stats() {
        return stats;
    }

    /** Last committed idx per canister after the drains so far, including the cursors given at the start. */
    public Map<String, Long> cursors() {
        return Map.copyOf(committed);
    }

    /** A record, a line rejected while reading that named its canister and idx, or a gap of lost records. */
    private record Input(long idx, CallLogRecord record, Rejection rejection, CallEvent gap) {
    }

    /** An output held until its record's message is final. */
    private record Held(long idx, long order, IngestRecord record, Rejection rejection, Warning warning) {
    }

    private static final Comparator<Held> ORDER = Comparator.comparingLong(Held::idx).thenComparingLong(Held::order);

    private final class CanisterState implements TraceReader.Output {
        final String canister;
        final TraceReader reader;
        final List<Input> buffered = new ArrayList<>();
        final TreeMap<Long, CallLogRecord> open = new TreeMap<>();
        final List<Held> held = new ArrayList<>();
        long committed;
        long lastProcessed;
        CallLogRecord lastRecord;
        long lastTs = -1;
        long order;

        CanisterState(String canister) {
            this.canister = canister;
            this.reader = new TraceReader(canister, this);
            this.committed = CallLogProcessor.this.committed.getOrDefault(canister, -1L);
            this.lastProcessed = committed;
        }

        void processBuffered() {
            if (buffered.isEmpty()) {
                return;
            }
            buffered.sort(Comparator.comparingLong(Input::idx));
            for (Input in : buffered) {
                if (in.record() != null) {
                    process(in.record());
                } else if (in.gap() != null) {
                    process(in.gap());
                } else {
                    process(in.rejection());
                }
            }
            buffered.clear();
        }

        private void process(Rejection rejected) {
            long idx = rejected.idx();
            if (idx <= committed) {
                stats.duplicate(canister);
                return;
            }
            if (idx > lastProcessed) {
                lastProcessed = idx;
                lastRecord = null;
                open.put(idx, new CallLogRecord(rejected.origin(), rejected.line(), canister, idx, 0, "", rejected.raw()));
            }
            hold(idx, null, rejected, null);
        }

        private void process(CallEvent gap) {
            long idx = gap.seq();
            if (idx <= lastProcessed) {
                return; // told before (a re-read), or records after it were read already
            }
            reader.flush(); // the message the gap cut off is over: whatever ended it was lost
            lastProcessed = idx;
            lastRecord = null;
            open.put(idx, new CallLogRecord("log gap", 0, canister, idx, gap.timeNanos(), "", ""));
            hold(idx, gap, null, null);
        }

        private void process(CallLogRecord r) {
            if (r.idx() <= committed) {
                stats.duplicate(canister);
                return;
            }
            if (r.idx() <= lastProcessed) {
                if (r.idx() == lastProcessed && lastRecord != null && lastRecord.content().equals(r.content())
                        && lastRecord.timeNanos() == r.timeNanos()) {
                    stats.duplicate(canister);
                } else if (r.idx() == lastProcessed) {
                    hold(r.idx(), null, reject(r, RejectReason.DUPLICATE_IDX, "idx " + r.idx()
                            + " was read before with other content"), null);
                } else {
                    hold(r.idx(), null, reject(r, RejectReason.OUT_OF_ORDER, "idx " + r.idx() + " arrives after idx "
                            + lastProcessed + " was read; send each canister's records in idx order"), null);
                }
                return;
            }
            lastProcessed = r.idx();
            lastRecord = r;
            open.put(r.idx(), r);
            String skew = clockProblem(r);
            if (skew != null) {
                hold(r.idx(), null, reject(r, RejectReason.CLOCK_SKEW, skew), null);
                return;
            }
            lastTs = r.timeNanos();
            String content = r.content();
            if (TraceFormat.isTrapRecord(content) || TraceFormat.isTraceLine(content)) {
                reader.accept(r.idx(), r.timeNanos(), content);
            } else {
                hold(r.idx(), LogLine.of(canister, r.idx(), r.timeNanos(), LogLine.KIND_LOG, content), null, null);
            }
        }

        /** The last idx read before {@code idx} (records not yet released are in {@code open}), else the cursor. */
        long lastBefore(long idx) {
            Long k = open.lowerKey(idx);
            return k == null ? committed : k;
        }

        private String clockProblem(CallLogRecord r) {
            if (maxClockSkew == null) {
                return null;
            }
            long tolerance = maxClockSkew.toNanos();
            Instant now = clock.instant();
            long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            if (r.timeNanos() > nowNanos && r.timeNanos() - nowNanos > tolerance) {
                return "timestamp " + instant(r.timeNanos()) + " is " + Duration.ofNanos(r.timeNanos() - nowNanos)
                        .toSeconds() + " s ahead of this ingester's clock (tolerance " + maxClockSkew.toSeconds() + " s)";
            }
            if (lastTs > 0 && lastTs - r.timeNanos() > tolerance) {
                return "timestamp " + instant(r.timeNanos()) + " goes back " + Duration.ofNanos(lastTs - r.timeNanos())
                        .toSeconds() + " s from the previous record's (tolerance " + maxClockSkew.toSeconds() + " s)";
            }
            return null;
        }

        private Rejection reject(CallLogRecord r, RejectReason reason, String detail) {
            return new Rejection(r.origin(), r.line(), canister, r.idx(), reason, detail, r.raw());
        }

        private void hold(long idx, IngestRecord record, Rejection rejection, Warning warning) {
            held.add(new Held(idx, order++, record, rejection, warning));
        }

        void release(long upTo, List<IngestRecord> records, List<Rejection> rejections, List<Warning> warnings) {
            if (held.isEmpty()) {
                open.headMap(upTo, true).clear();
                return;
            }
            List<Held> ready = new ArrayList<>();
            List<Held> keep = new ArrayList<>();
            for (Held h : held) {
                (h.idx() <= upTo ? ready : keep).add(h);
            }
            ready.sort(ORDER);
            for (Held h : ready) {
                if (h.record() != null) {
                    records.add(h.record());
                    if (h.record() instanceof CallEvent) {
                        stats.event(canister);
                    } else {
                        stats.logLine(canister);
                    }
                }
                if (h.rejection() != null) {
                    rejections.add(h.rejection());
                    stats.rejected(h.rejection());
                }
                if (h.warning() != null) {
                    warnings.add(h.warning());
                }
            }
            held.clear();
            held.addAll(keep);
            open.headMap(upTo, true).clear();
        }

        // TraceReader.Output: called while a record is read (or, for events, when their message ends)

        @Override
        public void event(CallEvent e) {
            CallLogRecord r = open.get(e.seq());
            String bad = principalProblem(e);
            if (bad != null) {
                hold(e.seq(), null, reject(r, RejectReason.BAD_PRINCIPAL, bad), null);
                return;
            }
            List<String> problems = e.problems();
            if (!problems.isEmpty()) {
                hold(e.seq(), null, reject(r, RejectReason.TRACE_FORMAT, String.join("; ", problems)), null);
                return;
            }
            hold(e.seq(), e, null, null);
        }

        @Override
        public void unusable(long idx, String content, String reason) {
            RejectReason category = reason.startsWith("unsupported trace format version") ? RejectReason.UNSUPPORTED_VERSION
                    : RejectReason.TRACE_FORMAT;
            hold(idx, null, reject(open.get(idx), category, reason), null);
        }

        @Override
        public void unattributedTrap(long idx, long timestampNanos, String content, String reason) {
            CallLogRecord r = open.get(idx);
            hold(idx, LogLine.of(canister, idx, timestampNanos, LogLine.KIND_UNATTRIBUTED_TRAP, content), null,
                    new Warning(r.origin(), r.line(), canister, idx, reason + "; kept as a log line marked "
                            + LogLine.KIND_UNATTRIBUTED_TRAP));
        }

        private static String principalProblem(CallEvent e) {
            if (e.kind() == CallEventKind.CONTEXT_OPEN && e.caller() != null) {
                String p = CallLogLine.principalProblem(e.caller());
                return p == null ? null : "field \"f\" (caller) is not a valid principal: " + p;
            }
            if (e.kind() == CallEventKind.CALL && e.callee() != null) {
                String p = CallLogLine.principalProblem(e.callee());
                return p == null ? null : "field \"to\" (callee) is not a valid principal: " + p;
            }
            return null;
        }
    }

    private static String instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)).toString();
    }
}
