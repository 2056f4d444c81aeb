package dev.interlock.detector.core;

import dev.interlock.model.CallEvent;

/**
 * The correlate stage: folds one trace event into the canister's state. It links outgoing
 * calls to their callbacks, records which contexts overlapped, and evicts closed contexts
 * once they are older than the horizon (in event time), so state stays bounded.
 */
public final class Correlator {
    private final long horizonNanos;

    public Correlator(long horizonNanos) {
        this.horizonNanos = horizonNanos;
    }

    /** Applies the event; false when it is a duplicate of one already applied. */
    public boolean apply(CanisterState state, CallEvent e) {
        state.lastEventTime = Math.max(state.lastEventTime, e.timeNanos());
        ContextState ctx = state.context(e.context());
        if (ctx != null && ctx.eventIds.contains(e.id())) {
            return false;
        }
        if (ctx == null) {
            ctx = new ContextState();
            ctx.id = e.context();
            ctx.openedAt = e.timeNanos();
            for (ContextState other : state.contexts.values()) {
                if (other.stillOpen()) {
                    other.overlapping.add(ctx.id);
                    ctx.overlapping.add(other.id);
                }
            }
            state.contexts.put(ctx.id, ctx);
        }
        ctx.eventIds.add(e.id());
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
                call.callEventId = e.id();
            }
            case CALLBACK -> {
                OutgoingCall call = ctx.calls.computeIfAbsent(e.call(), id -> new OutgoingCall());
                call.id = e.call();
                call.outcome = e.outcome();
                call.callbackEventId = e.id();
            }
            case CONTEXT_CLOSE -> ctx.closedAt = e.timeNanos();
            default -> {
                // Evidence events (state keys, guards, journal, traps) are kept for the detectors of later issues.
            }
        }
        evict(state);
        return true;
    }

    private void evict(CanisterState state) {
        long cutoff = state.lastEventTime - horizonNanos;
        state.contexts.values().removeIf(c -> c.closedAt != null && c.closedAt < cutoff
                && c.overlapping.stream().map(state::context).allMatch(o -> o == null || !o.stillOpen()));
    }
}
