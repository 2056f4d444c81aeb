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
 * it nothing is raised. A ledger {@code Duplicate} counts as success. False-positive risk: a state
 * change meant to survive a failed call (a failure counter), or a restore done later by a timer.
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
        if (m.trapped) {
            return; // a trapped message committed nothing; CALLBACK_TRAP speaks for it
        }
        ContextState ctx = state.context(m.context);
        if (ctx == null) {
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
                if (before.seq >= c.sentSeq) {
                    continue;
                }
                StateWrite after = m.writes.get(before.key);
                boolean restored = after != null && after.seq > c.sentSeq && after != before;
                if (!restored) {
                    out.add(Alerts.of(AlertClass.UNHANDLED_REJECT, Severity.WARNING, state,
                            ctx.id + "/" + c.id + "/" + before.key).context(ctx).call(c).basis("state-keys", "call-outcome")
                            .explain("Context %s (%s of %s) wrote %s = %s before call %s to %s.%s, which failed (%s), "
                                    + "and did not restore it when it learned of the failure: the change stays although "
                                    + "the call's effect never happened. Restore on every failure path (reject, error "
                                    + "reply, send failure).", ctx.id, ctx.method, ctx.caller, before.key, before.value,
                                    c.id, c.callee, c.method, describe(c))
                            .build());
                    break;
                }
            }
        }
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
