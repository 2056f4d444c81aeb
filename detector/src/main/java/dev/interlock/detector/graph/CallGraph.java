package dev.interlock.detector.graph;

import static dev.interlock.detector.graph.SortedStore.part;
import static dev.interlock.detector.graph.SortedStore.time;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Evidence;
import dev.interlock.model.Severity;

/**
 * CALL_CYCLE, across canisters: the outstanding calls between monitored canisters, linked by
 * the trace format's correlation ids (the caller prints {@code r} on its call line, the callee
 * on its entry line). When a context makes a call to a canister that already appears among the
 * callers above it (A → B → C → A), every call in that chain is outstanding at once: a cycle, and
 * with unbounded waits or locks a deadlock. Without correlation ids no link is made and nothing
 * is raised (a best-effort match on caller and send order would guess).
 *
 * <p>Each canister's events must come in that canister's order; the canisters may interleave in
 * any order. A link is recorded whether or not its parent call is known yet, calls and contexts
 * carry the event times they were made and answered (opened and closed), and a call that may close
 * a cycle (one made by a called context) is checked {@code delay} after it was made, in event time,
 * against what was outstanding <em>at the time it was made</em>. So with a delay at least as long
 * as the lag between two canisters' streams, the verdict does not depend on which canister's
 * events arrived first: the service, where each canister's log is polled on its own, runs with a
 * delay. An event older than the graph's clock (a canister's log catching up) waits, and is kept,
 * counted from the clock rather than from its own time; the offline scan (one ordered pass) with none, which decides at once and forgets answered
 * calls and closed contexts at once. A call answered at the very instant the closing call was made
 * counts as answered.
 *
 * <p>State lives in a {@link SortedStore} (in memory offline, a persistent store in the service):
 * outstanding calls and linked open contexts, for at most {@code retention} (a callback that is never
 * seen must not hold memory forever); answered calls and closed contexts for twice the delay; checks
 * that are due; the cycles raised, for the retention. Plain Java: no framework types.
 */
public final class CallGraph {
    /** Default: unanswered calls and open linked contexts are forgotten after an hour of event time. */
    public static final long DEFAULT_RETENTION_NANOS = 3_600_000_000_000L;

    private static final String CALLS = "c";
    private static final String LINKS = "o";
    private static final String DUE = "d";
    private static final String RAISED = "r";
    private static final String INDEX = "x";
    private static final String CLOCK = "t";
    private static final long CLOCK_PERSIST_STEP = 1_000_000_000L;
    private static final GraphEntry MARKER = new GraphEntry();

    private final SortedStore<GraphEntry> store;
    private final long delayNanos;
    private final long retentionNanos;
    private long clock = -1;
    private long persistedClock;
    private long nextDue;
    private long nextExpiry;

    /**
     * The offline graph: in memory, deciding at once, and keeping unanswered calls and open links until they end
     * however old (answered ones go at once). Time cannot bound them offline: a canister's last message is read as
     * ended only at the end of its file (a trap record could still follow), so the call that closes a cycle of
     * deadlocked canisters arrives then, hours of event time after the calls it closes the cycle with.
     */
    public CallGraph() {
        this(SortedStore.inMemory(), 0, OFFLINE_RETENTION_NANOS);
    }

    /** Offline: a thousand days, past any corpus (and far from overflowing event time). */
    static final long OFFLINE_RETENTION_NANOS = 1_000L * 86_400 * 1_000_000_000L;

    /**
     * @param store          where the graph lives
     * @param delayNanos     how long (event time) a possible cycle waits for other canisters' events
     * @param retentionNanos how long an unanswered call or an open linked context is kept
     */
    public CallGraph(SortedStore<GraphEntry> store, long delayNanos, long retentionNanos) {
        if (delayNanos < 0 || retentionNanos <= 2 * delayNanos) {
            throw new IllegalArgumentException("need 0 <= delay and retention > 2 * delay");
        }
        this.store = store;
        this.delayNanos = delayNanos;
        this.retentionNanos = retentionNanos;
    }

    /** Feeds one event of any monitored canister; returns new CALL_CYCLE alerts (also of checks now due). */
    public List<Alert> accept(CallEvent e) {
        if (e.rolledBack()) {
            return List.of();
        }
        long t = e.timeNanos();
        // An event older than the graph's clock (its canister's log came late) waits and is kept as long,
        // counted from the clock: the other canisters' late events may still be on their way.
        long base = Math.max(t, clock());
        List<Alert> out = new ArrayList<>(0);
        switch (e.kind()) {
            case CONTEXT_OPEN -> {
                if (e.subject() != null && e.caller() != null) {
                    GraphEntry link = new GraphEntry();
                    link.canister = e.canister();
                    link.context = e.context();
                    link.parentCanister = e.caller();
                    link.parentCall = e.subject();
                    link.start = t;
                    stamp(linkKey(e.canister(), e.context()), link, base + retentionNanos);
                }
            }
            case CALL -> {
                GraphEntry call = new GraphEntry();
                call.canister = e.canister();
                call.context = e.context();
                call.call = e.call();
                call.callee = e.callee();
                call.eventId = e.id();
                call.start = t;
                String key = callKey(e.canister(), e.call());
                stamp(key, call, base + retentionNanos);
                // Only a context that was itself called can close a cycle.
                if (store.get(linkKey(e.canister(), e.context())) != null) {
                    if (delayNanos == 0) {
                        out.addAll(check(key));
                    } else {
                        store.put(DUE + time(base + delayNanos) + key, MARKER);
                        nextDue = Math.min(nextDue, base + delayNanos);
                    }
                }
            }
            case CALLBACK, SEND_FAILED -> end(callKey(e.canister(), e.call()), t, base);
            case CONTEXT_CLOSE, TRAP -> end(linkKey(e.canister(), e.context()), t, base);
            default -> {
            }
        }
        out.addAll(advance(t));
        return out;
    }

    /**
     * Moves the graph's clock (event time) to {@code nowNanos} if that is later: runs the checks
     * now due and forgets what expired. The service calls it from a timer so that decisions do
     * not wait for new input.
     */
    public List<Alert> advance(long nowNanos) {
        loadClock();
        if (nowNanos > clock) {
            clock = nowNanos;
            if (clock - persistedClock >= CLOCK_PERSIST_STEP) {
                GraphEntry c = new GraphEntry();
                c.start = clock;
                store.put(CLOCK, c);
                persistedClock = clock;
            }
        }
        List<Alert> out = List.of();
        if (clock >= nextDue) {
            out = new ArrayList<>();
            int skip = DUE.length() + 20;
            for (Map.Entry<String, GraphEntry> due : store.range(DUE, DUE + time(clock + 1))) {
                out.addAll(check(due.getKey().substring(skip)));
                store.delete(due.getKey());
            }
            String first = store.firstKey(DUE, SortedStore.upTo(DUE));
            nextDue = first == null ? Long.MAX_VALUE : SortedStore.timeAt(first, DUE.length());
        }
        if (clock >= nextExpiry) {
            SortedStore.sweep(store, INDEX, clock, g -> g.expiry);
            String first = store.firstKey(INDEX, SortedStore.upTo(INDEX));
            nextExpiry = first == null ? Long.MAX_VALUE : SortedStore.timeAt(first, INDEX.length());
        }
        return out;
    }

    /** The latest event time seen (or advanced to), 0 before any. */
    public long clock() {
        loadClock();
        return clock;
    }

    private void loadClock() {
        if (clock < 0) {
            GraphEntry c = store.get(CLOCK);
            clock = c == null ? 0 : c.start;
            persistedClock = clock;
        }
    }

    private void end(String key, long t, long base) {
        GraphEntry entry = store.get(key);
        if (entry == null || entry.end != 0) {
            return;
        }
        if (delayNanos == 0) {
            // Deciding at once: an answered call or closed context can no longer be part of a cycle.
            store.delete(key);
            return;
        }
        entry.end = t;
        stamp(key, entry, Math.min(entry.expiry, base + 2 * delayNanos));
    }

    private void stamp(String key, GraphEntry entry, long expiry) {
        entry.expiry = expiry;
        store.put(key, entry);
        store.put(INDEX + time(expiry) + key, MARKER);
        nextExpiry = Math.min(nextExpiry, expiry);
    }

    private static boolean endedBy(GraphEntry entry, long t) {
        return entry.end != 0 && entry.end <= t;
    }

    /** Whether the call under {@code callKey} closed a cycle of calls outstanding when it was made. */
    private List<Alert> check(String callKey) {
        GraphEntry closing = store.get(callKey);
        if (closing == null) {
            return List.of();
        }
        long t = closing.start;
        List<String> canisters = new ArrayList<>();
        List<String> contexts = new ArrayList<>();
        List<String> calls = new ArrayList<>();
        canisters.add(closing.canister);
        contexts.add(closing.canister + ":" + closing.context);
        calls.add(closing.canister + ":" + closing.call);
        String atCanister = closing.canister;
        String atContext = closing.context;
        Set<String> seen = new HashSet<>();
        while (seen.add(linkKey(atCanister, atContext))) {
            GraphEntry link = store.get(linkKey(atCanister, atContext));
            if (link == null || endedBy(link, t)) {
                return List.of();
            }
            GraphEntry parent = store.get(callKey(link.parentCanister, link.parentCall));
            if (parent == null || endedBy(parent, t)) {
                return List.of();
            }
            atCanister = parent.canister;
            atContext = parent.context;
            canisters.add(0, atCanister);
            contexts.add(0, atCanister + ":" + atContext);
            calls.add(0, atCanister + ":" + parent.call);
            if (atCanister.equals(closing.callee)) {
                return raise(closing, canisters, contexts, calls);
            }
        }
        return List.of();
    }

    private List<Alert> raise(GraphEntry closing, List<String> canisters, List<String> contexts, List<String> calls) {
        String key = AlertClass.CALL_CYCLE + "/" + String.join(">", calls);
        String raisedKey = RAISED + part(key);
        if (store.get(raisedKey) != null) {
            return List.of();
        }
        GraphEntry raised = new GraphEntry();
        raised.start = closing.start;
        stamp(raisedKey, raised, Math.max(closing.start, clock) + retentionNanos);
        canisters.add(closing.callee);
        String explanation = "Outstanding calls form a cycle " + String.join(" -> ", canisters) + " (calls "
                + calls + "): each waits for the next, and the last calls back into a canister that is "
                + "still waiting. With unbounded waits or a lock held across the await this deadlocks; "
                + "break the cycle or use bounded-wait calls.";
        // Reported on the canister the cycle returns to: the one whose outstanding call started it.
        return List.of(new Alert(Alert.VERSION, key, AlertClass.CALL_CYCLE, Severity.CRITICAL, closing.callee,
                List.of(), null, explanation, new Evidence(List.of(closing.eventId), contexts, calls, List.of(), null,
                        List.of("correlation-ids", "outstanding-calls"), List.of()), closing.start));
    }

    private static String callKey(String canister, String call) {
        return CALLS + part(canister) + part(call);
    }

    private static String linkKey(String canister, String context) {
        return LINKS + part(canister) + part(context);
    }

    /** Outstanding calls held (for tests and metrics). */
    public int outstandingCalls() {
        return (int) store.range(CALLS, SortedStore.upTo(CALLS)).stream().filter(e -> e.getValue().end == 0).count();
    }

    /** Open contexts linked to their caller (for tests and metrics). */
    public int linkedContexts() {
        return (int) store.range(LINKS, SortedStore.upTo(LINKS)).stream().filter(e -> e.getValue().end == 0).count();
    }

    /** Cycle checks waiting for their delay to pass. */
    public int pendingChecks() {
        return store.range(DUE, SortedStore.upTo(DUE)).size();
    }
}
