package dev.interlock.detector.core;

import java.util.List;

import dev.interlock.model.CallEvent;

/**
 * The correlate stage: folds one trace event into the canister's state. It tracks the message in
 * progress, links outgoing calls to their callbacks, records committed reads, writes and guards,
 * which contexts overlapped, and evicts closed contexts and old key writes once they are older
 * than the horizon (in event time), so state stays bounded. Rolled-back events never reach it.
 */
public final class Correlator {
    private final long horizonNanos;

    public Correlator(long horizonNanos) {
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
        if ((ctx != null && ctx.eventIds.contains(e.id())) || (e.seq() >= 0 && e.seq() <= state.lastSeq)) {
            return false;
        }
        state.lastEventTime = Math.max(state.lastEventTime, e.timeNanos());
        state.lastSeq = Math.max(state.lastSeq, e.seq());
        if (ctx == null) {
            ctx = open(state, e);
        }
        ctx.eventIds.add(e.id());
        MessageState msg = state.message;
        if (msg != null && msg.context != null && msg.context.equals(ctx.id)) {
            msg.eventIds.add(e.id());
        }
        switch (e.kind()) {
            case STATE_READ, STATE_WRITE, GUARD_ACQUIRE, GUARD_RELEASE, JOURNAL_INTENT, JOURNAL_RESULT ->
                    state.sawOptionalEvidence = true;
            default -> {
            }
        }
        switch (e.kind()) {
            case CONTEXT_OPEN -> {
                ctx.caller = e.caller();
                ctx.method = e.method();
            }
            case CALL -> {
                OutgoingCall call = ctx.calls.computeIfAbsent(e.call(), id -> new OutgoingCall());
                call.id = e.call();
                call.callee = e.callee();
                call.method = e.calleeMethod();
                call.transfer = e.transfer();
                call.waitKind = e.value();
                call.sentAt = e.timeNanos();
                call.sentSeq = e.seq();
                if ("u".equals(call.waitKind)) {
                    state.oldestUnbounded = Math.min(state.oldestUnbounded, e.timeNanos());
                }
                call.callEventId = e.id();
            }
            case CALLBACK -> {
                OutgoingCall call = ctx.calls.computeIfAbsent(e.call(), id -> new OutgoingCall());
                call.id = e.call();
                call.outcome = e.outcome();
                call.callbackEventId = e.id();
            }
            case SEND_FAILED -> {
                OutgoingCall call = ctx.calls.computeIfAbsent(e.call(), id -> new OutgoingCall());
                call.id = e.call();
                call.sendFailed = true;
                if (msg != null) {
                    msg.sendFailures.add(e.call());
                }
            }
            case STATE_READ -> {
                ctx.lastRead.put(e.subject(), e.seq());
                if (msg != null && !msg.writes.containsKey(e.subject())) {
                    msg.readsBeforeWrite.add(e.subject());
                }
            }
            case STATE_WRITE -> {
                StateWrite w = StateWrite.of(ctx.id, e.subject(), e.value(), e.seq(), e.timeNanos(), e.id());
                ctx.writes.add(w);
                state.keyWrites.computeIfAbsent(e.subject(), k -> new java.util.ArrayList<>()).add(w);
                if (msg != null) {
                    msg.writes.put(e.subject(), w);
                }
            }
            case GUARD_ACQUIRE -> {
                if (!"false".equals(e.value())) {
                    ctx.guards.add(e.subject());
                    state.guardOwners.put(e.subject(), ctx.id);
                }
            }
            case GUARD_RELEASE -> {
                ctx.guards.remove(e.subject());
                state.guardOwners.remove(e.subject(), ctx.id);
                if (msg != null) {
                    msg.releasedGuard = true;
                }
            }
            case JOURNAL_INTENT, JOURNAL_RESULT -> {
                if (msg != null) {
                    msg.journalled = true;
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
                    ctx.closedAt = e.timeNanos();
                    ctx.closedBy = "trap";
                }
            }
            case CONTEXT_CLOSE -> {
                ctx.closedAt = e.timeNanos();
                ctx.closedBy = e.value() == null ? "rep" : e.value();
            }
            case CLEANUP -> {
            }
        }
        return true;
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
        for (ContextState other : state.contexts.values()) {
            if (other.stillOpen()) {
                other.overlapping.add(ctx.id);
                ctx.overlapping.add(other.id);
            }
        }
        state.contexts.put(ctx.id, ctx);
        return ctx;
    }

    /** Drops what is older than the horizon: closed contexts nobody open overlaps, old key writes. */
    public void evict(CanisterState state) {
        long cutoff = state.lastEventTime - horizonNanos;
        state.contexts.values().removeIf(c -> c.closedAt != null && c.closedAt < cutoff
                && c.overlapping.stream().map(state::context).allMatch(o -> o == null || !o.stillOpen()));
        for (List<StateWrite> writes : state.keyWrites.values()) {
            writes.removeIf(w -> w.time < cutoff);
        }
        state.keyWrites.values().removeIf(List::isEmpty);
        state.replies.values().forEach(q -> {
            while (!q.isEmpty() && q.peekFirst() < cutoff) {
                q.pollFirst();
            }
        });
        state.replies.values().removeIf(java.util.ArrayDeque::isEmpty);
    }
}
