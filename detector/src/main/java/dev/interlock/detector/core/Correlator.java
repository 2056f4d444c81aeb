package dev.interlock.detector.core;

import java.util.List;

import dev.interlock.model.CallEvent;
import dev.interlock.model.Transfer;

/**
 * The correlate stage: folds one trace event into the canister's state. It tracks the message in
 * progress, links outgoing calls to their callbacks, records committed reads, writes and guards,
 * which contexts overlapped, and evicts closed contexts and old key writes once they are older
 * than the horizon (in event time), so state stays bounded. Rolled-back events never reach it.
 */
public final class Correlator {
    private final long horizonNanos;
    private final int maxOpenContexts;

    public Correlator(long horizonNanos) {
        this(horizonNanos, Integer.MAX_VALUE);
    }

    /** @param maxOpenContexts open contexts kept per canister: opening one more drops the oldest open one */
    public Correlator(long horizonNanos, int maxOpenContexts) {
        this.maxOpenContexts = maxOpenContexts;
        this.horizonNanos = horizonNanos;
    }

    public long horizonNanos() {
        return horizonNanos;
    }

    /** True when the event starts a new message execution (the previous one then ended). */
    public static boolean beginsMessage(CallEvent e) {
        return switch (e.kind()) {
            case CONTEXT_OPEN, CALLBACK, CLEANUP -> true;
            default -> false;
        };
    }

    /** Applies the event; false when it is a duplicate of one already applied. */
    public boolean apply(CanisterState state, CallEvent e) {
        ContextState ctx = state.context(e.context());
        // Events of a canister arrive in its log order: one at or before the last seq was seen already.
        if (e.seq() >= 0 ? e.seq() <= state.lastSeq : ctx != null && ctx.eventIds.contains(e.id())) {
            return false;
        }
        state.lastEventTime = Math.max(state.lastEventTime, e.timeNanos());
        state.lastSeq = Math.max(state.lastSeq, e.seq());
        if (ctx == null) {
            ctx = open(state, e);
        }
        ctx.recordEvent(state.canister, e.id(), e.seq());
        MessageState msg = state.message;
        switch (e.kind()) {
            case STATE_READ, STATE_WRITE, GUARD_ACQUIRE, GUARD_RELEASE, JOURNAL_INTENT, JOURNAL_RESULT ->
                    state.sawOptionalEvidence = true;
            default -> {
            }
        }
        switch (e.kind()) {
            case CONTEXT_OPEN -> {
                ctx.caller = intern(e.caller());
                ctx.method = intern(e.method());
                state.indexed(ctx);
            }
            case CALL -> {
                OutgoingCall call = ctx.calls.computeIfAbsent(e.call(), id -> new OutgoingCall());
                call.id = e.call();
                call.callee = intern(e.callee());
                call.method = intern(e.calleeMethod());
                Transfer t = e.transfer();
                call.transfer = t == null ? null
                        : new Transfer(intern(t.to()), t.amount(), t.memo(), t.createdAtTime(), intern(t.from()),
                                intern(t.ledger()));
                call.waitKind = intern(e.value());
                if (t != null && msg != null) {
                    String named = msg.journalFor == null ? null : msg.journalFor.remove(e.call());
                    call.journal = named != null ? named : msg.pendingJournal;
                    if (named == null) {
                        msg.pendingJournal = null;
                    }
                }
                call.sentAt = e.timeNanos();
                call.sentSeq = e.seq();
                if ("u".equals(call.waitKind)) {
                    state.unboundedAwaiting.add(new String[] {ctx.id, call.id});
                }
            }
            case CALLBACK -> {
                OutgoingCall call = ctx.calls.computeIfAbsent(e.call(), id -> new OutgoingCall());
                call.id = e.call();
                call.outcome = e.outcome();
                answered(state, ctx.id, call.id);
            }
            case SEND_FAILED -> {
                OutgoingCall call = ctx.calls.computeIfAbsent(e.call(), id -> new OutgoingCall());
                call.id = e.call();
                call.sendFailed = true;
                answered(state, ctx.id, call.id);
                if (msg != null) {
                    msg.sendFailures.add(e.call());
                }
            }
            case STATE_READ -> {
                ctx.read(intern(e.subject()), e.seq());
                if (msg != null && !msg.writes.containsKey(e.subject())) {
                    msg.readsBeforeWrite.add(e.subject());
                }
            }
            case STATE_WRITE -> {
                StateWrite w = StateWrite.of(ctx.id, intern(e.subject()), e.value(), e.seq(), e.timeNanos());
                ctx.writes.add(w);
                state.keyWrites.computeIfAbsent(e.subject(), k -> new java.util.ArrayList<>()).add(w);
                state.addedWrites.add(w);
                if (msg != null) {
                    msg.writes.put(e.subject(), w);
                }
            }
            case GUARD_ACQUIRE -> {
                if (!"false".equals(e.value())) {
                    ctx.take(intern(e.subject()));
                    state.guardOwners.put(e.subject(), ctx.id);
                }
            }
            case GUARD_RELEASE -> {
                ctx.giveBack(e.subject());
                state.guardOwners.remove(e.subject(), ctx.id);
                if (msg != null) {
                    msg.releasedGuard = true;
                }
            }
            case JOURNAL_INTENT, JOURNAL_RESULT -> {
                if (msg != null) {
                    msg.journalled = true;
                }
                if (e.kind() == dev.interlock.model.CallEventKind.JOURNAL_INTENT && msg != null && e.subject() != null) {
                    OutgoingCall named = e.call() == null ? null : ctx.calls.get(e.call());
                    if (named != null) {
                        named.journal = e.subject();
                    } else if (e.call() != null) {
                        if (msg.journalFor == null) {
                            msg.journalFor = new java.util.HashMap<>();
                        }
                        msg.journalFor.put(e.call(), e.subject());
                    } else {
                        msg.pendingJournal = e.subject();
                    }
                }
            }
            case TRAP -> {
                ctx.traps++;
                if (msg != null) {
                    msg.trapped = true;
                    msg.trapMessage = e.value();
                }
                // With nothing outstanding, the system rejects the caller: the context ends here.
                if (ctx.stillOpen() && !ctx.awaitingAnyCall()) {
                    close(state, ctx, e.timeNanos(), "trap");
                }
            }
            case CONTEXT_CLOSE -> close(state, ctx, e.timeNanos(), e.value() == null ? "rep" : e.value());
            case CLEANUP -> {
            }
        }
        return true;
    }

    /**
     * Principals, methods and state keys recur in every context: one shared instance each keeps an
     * open context's memory small. A map of the strings seen lately does it at a fraction of the cost
     * of {@link String#intern()} (a call into the JVM's string table, which took a seventh of the
     * detector core's time); it is cleared when it reaches {@link #INTERNED}, so it holds at most that many,
     * and a string seen before the clearing keeps its old instance (correct, only less shared).
     */
    private String intern(String s) {
        if (s == null) {
            return null;
        }
        String shared = interned.putIfAbsent(s, s);
        if (shared != null) {
            return shared;
        }
        if (interned.size() > INTERNED) {
            interned.clear();
        }
        return s;
    }

    static final int INTERNED = 1 << 16;
    private final java.util.HashMap<String, String> interned = new java.util.HashMap<>(1024);

    private static boolean pinned(CanisterState state, ContextState closed) {
        if (closed.caller == null || closed.method == null) {
            return false;
        }
        for (ContextState o : state.contextsOf(closed.caller, closed.method)) {
            if (o.stillOpen() && o.openedAt <= closed.closedAt) {
                return true;
            }
        }
        return false;
    }

    private static void answered(CanisterState state, String context, String call) {
        state.unboundedAwaiting.removeIf(a -> a[0].equals(context) && a[1].equals(call));
    }

    /** Starts the message this begin event opens. */
    public void beginMessage(CanisterState state, CallEvent e) {
        MessageState m = new MessageState();
        m.kind = switch (e.kind()) {
            case CALLBACK -> MessageState.Kind.CALLBACK;
            case CLEANUP -> MessageState.Kind.CLEANUP;
            default -> MessageState.Kind.ENTRY;
        };
        m.context = e.context();
        m.call = e.call();
        m.startSeq = e.seq();
        m.startTime = e.timeNanos();
        state.message = m;
    }

    private ContextState open(CanisterState state, CallEvent e) {
        ContextState ctx = new ContextState();
        ctx.id = e.context();
        ctx.openedAt = e.timeNanos();
        state.contexts.put(ctx.id, ctx);
        if (++state.openContexts > maxOpenContexts) {
            dropOldestOpen(state);
        }
        return ctx;
    }

    private static void close(CanisterState state, ContextState ctx, long at, String by) {
        if (ctx.stillOpen()) {
            state.openContexts = Math.max(0, state.openContexts - 1);
        }
        ctx.closedAt = at;
        ctx.closedBy = by;
    }

    /**
     * The memory bound on open contexts: the oldest open one leaves the state as if evicted (its later events, if
     * any come, open it again without its beginning) and is noted for {@link OpenContextLimitDetector}.
     */
    private static void dropOldestOpen(CanisterState state) {
        for (java.util.Iterator<ContextState> it = state.contexts.values().iterator(); it.hasNext();) {
            ContextState c = it.next();
            if (c.stillOpen()) {
                forget(state, it, c);
                state.unboundedAwaiting.removeIf(a -> a[0].equals(c.id));
                state.openContexts--;
                state.droppedOpen.add(c);
                return;
            }
        }
    }

    /** Takes the context the iterator is at out of the state; its owner deletes it from the store ({@code evicted}). */
    private static void forget(CanisterState state, java.util.Iterator<ContextState> it, ContextState c) {
        it.remove();
        state.unindex(c);
        state.evicted.add(c.id);
    }

    /** Drops what is older than the horizon: closed contexts no open context overlaps, old key writes. */
    public void evict(CanisterState state) {
        long cutoff = state.lastEventTime - horizonNanos;
        if (state.lastEvictionTime != Long.MIN_VALUE && state.lastEventTime - state.lastEvictionTime < horizonNanos / 16) {
            return; // eviction scans every context: run it after each sixteenth of the horizon of event time
        }
        state.lastEvictionTime = state.lastEventTime;
        // Contexts are kept in the order they opened: only the prefix opened before the cutoff can go. A
        // closed one stays while an open context of the same caller and method overlaps it (a double spend
        // needs both); a context that stays open for good (stalled) pins only its own kind.
        for (java.util.Iterator<ContextState> it = state.contexts.values().iterator(); it.hasNext();) {
            ContextState c = it.next();
            if (c.openedAt >= cutoff) {
                break;
            }
            if (c.closedAt != null && c.closedAt < cutoff && !pinned(state, c)) {
                forget(state, it, c);
            }
        }
        for (List<StateWrite> writes : state.keyWrites.values()) {
            writes.removeIf(w -> {
                if (w.time < cutoff) {
                    state.droppedWrites.add(w);
                    return true;
                }
                return false;
            });
        }
        state.keyWrites.values().removeIf(List::isEmpty);
    }
}
