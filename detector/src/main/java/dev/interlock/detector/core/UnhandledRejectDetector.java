package dev.interlock.detector.core;

import java.util.ArrayList;
import java.util.List;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.Severity;

/**
 * UNHANDLED_REJECT: a context changed state before a call (a debit, a flag) and the call failed
 * (a reject, an error reply, or a synchronous send failure), yet the message that learned of the
 * failure did not write that state again: the change stays although its reason never happened.
 * A Motoko uncaught throw after a send failure commits the change too and is caught the same way.
 *
 * Needs state-key evidence (the writes before the call and the restoring write after it); without
 * it nothing is raised. A ledger {@code Duplicate} counts as success. A write followed by another
 * call that succeeded before the failed one was sent belongs to that call and is not expected back.
 * False-positive risk: a state change meant to survive a failed call (a failure counter), or a
 * restore done later by a timer. False-negative risk: a change made before a successful call (a
 * balance query) that was meant for the failing one after it.
 */
public final class UnhandledRejectDetector implements Detector {
    @Override
    public AlertClass alertClass() {
        return AlertClass.UNHANDLED_REJECT;
    }

    @Override
    public String evidenceNeeded() {
        return "state-keys";
    }

    @Override
    public void onMessageEnd(MessageState m, CanisterState state, List<Alert> out) {
        // A failed call whose callback trapped: only a cleanup that writes the key can still restore it.
        for (PendingRestore p : new ArrayList<>(state.pendingRestores)) {
            if (p.trapSeq >= m.startSeq) {
                continue;
            }
            state.pendingRestores.remove(p);
            boolean cleanupRestored = m.kind == MessageState.Kind.CLEANUP && p.call.equals(m.call)
                    && p.context.equals(m.context) && m.writes.containsKey(p.key);
            ContextState ctx = state.context(p.context);
            OutgoingCall c = ctx == null ? null : ctx.calls.get(p.call);
            if (!cleanupRestored && ctx != null && c != null) {
                out.add(alert(state, ctx, c, p.key, p.value, " (its callback trapped, so any restore was discarded)"));
            }
        }
        ContextState ctx = state.context(m.context);
        if (ctx == null) {
            return;
        }
        if (m.trapped) {
            OutgoingCall c = m.kind == MessageState.Kind.CALLBACK ? ctx.calls.get(m.call) : null;
            if (c != null && c.failed()) {
                for (StateWrite before : ctx.writes) {
                    if (before.seq < c.sentSeq) {
                        PendingRestore p = new PendingRestore();
                        p.context = ctx.id;
                        p.call = c.id;
                        p.key = before.key;
                        p.value = before.value;
                        p.trapSeq = m.startSeq;
                        state.pendingRestores.add(p);
                        break;
                    }
                }
            }
            return;
        }
        List<OutgoingCall> failed = new ArrayList<>();
        if (m.kind == MessageState.Kind.CALLBACK) {
            OutgoingCall c = ctx.calls.get(m.call);
            if (c != null && c.failed()) {
                failed.add(c);
            }
        }
        for (String id : m.sendFailures) {
            OutgoingCall c = ctx.calls.get(id);
            if (c != null) {
                failed.add(c);
            }
        }
        for (OutgoingCall c : failed) {
            for (StateWrite before : ctx.writes) {
                if (before.seq >= c.sentSeq || settledBefore(ctx, before, c)) {
                    continue;
                }
                StateWrite after = m.writes.get(before.key);
                boolean restored = after != null && after.seq > c.sentSeq && after != before;
                if (!restored) {
                    out.add(alert(state, ctx, c, before.key, before.value, ""));
                    break;
                }
            }
        }
    }

    /**
     * A write followed by another call that succeeded before {@code failed} was sent was made for that call (a flag
     * set before an approval that went through, say): the later failure does not undo its reason.
     */
    private static boolean settledBefore(ContextState ctx, StateWrite write, OutgoingCall failed) {
        for (OutgoingCall x : ctx.calls.values()) {
            if (x != failed && x.sentSeq > write.seq && x.sentSeq < failed.sentSeq && x.outcome != null
                    && !x.failed()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onTime(long nowNanos, CanisterState state, List<Alert> out) {
        if (state.inputEnded && !state.pendingRestores.isEmpty()) {
            for (PendingRestore p : new ArrayList<>(state.pendingRestores)) {
                state.pendingRestores.remove(p);
                ContextState ctx = state.context(p.context);
                OutgoingCall c = ctx == null ? null : ctx.calls.get(p.call);
                if (ctx != null && c != null) {
                    out.add(alert(state, ctx, c, p.key, p.value, " (its callback trapped, so any restore was discarded)"));
                }
            }
        }
    }

    private static Alert alert(CanisterState state, ContextState ctx, OutgoingCall c, String key, String value,
            String note) {
        return Alerts.of(AlertClass.UNHANDLED_REJECT, Severity.WARNING, state, ctx.id + "/" + c.id + "/" + key)
                .context(ctx).call(c).basis("state-keys", "call-outcome")
                .explain("Context %s (%s of %s) wrote %s = %s before call %s to %s.%s, which failed (%s), and did not "
                        + "restore it when it learned of the failure%s: the change stays although the call's effect "
                        + "never happened. Restore on every failure path (reject, error reply, send failure).", ctx.id,
                        ctx.method, ctx.caller, key, value, c.id, c.callee, c.method, describe(c), note)
                .build();
    }

    /** A failed call whose callback trapped, waiting to see whether a cleanup restores the key. */
    public static final class PendingRestore {
        public String context;
        public String call;
        public String key;
        public String value;
        public long trapSeq;
    }

    private static String describe(OutgoingCall c) {
        if (c.sendFailed) {
            return "synchronous send failure";
        }
        if (!c.outcome.isReply()) {
            return "reject " + c.outcome.rejectCode() + (c.outcome.rejectMessage() == null ? ""
                    : ": " + c.outcome.rejectMessage());
        }
        return "error reply " + c.outcome.error();
    }
}
