package dev.interlock.detector.core;

import java.util.List;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.Severity;

/**
 * STALLED_CALL: an unbounded-wait call with no response after a configured time (event time;
 * the runtime's timers also fire it when no new input arrives). While such a call is outstanding
 * the caller cannot be stopped or upgraded cleanly.
 *
 * Needs the required events only (the call line's wait kind). False-positive risk: callees that
 * are legitimately slow for longer than the threshold: set it above their normal latency.
 */
public final class StalledCallDetector implements Detector {
    private final long stallAfterNanos;

    public StalledCallDetector(long stallAfterNanos) {
        this.stallAfterNanos = stallAfterNanos;
    }

    @Override
    public AlertClass alertClass() {
        return AlertClass.STALLED_CALL;
    }

    @Override
    public String evidenceNeeded() {
        return "none";
    }

    @Override
    public void onTime(long nowNanos, CanisterState state, List<Alert> out) {
        for (String[] pair : state.unboundedAwaiting) {
            ContextState ctx = state.context(pair[0]);
            OutgoingCall c = ctx == null ? null : ctx.calls.get(pair[1]);
            if (c == null || c.stallReported || !c.awaiting() || nowNanos - c.sentAt < stallAfterNanos) {
                continue;
            }
            c.stallReported = true;
            out.add(Alerts.of(AlertClass.STALLED_CALL, Severity.WARNING, state, ctx.id + "/" + c.id)
                    .context(ctx).call(c).basis("call-without-response")
                    .explain("Call %s from context %s (%s of %s) to %s.%s has waited %d s without a response "
                            + "(unbounded wait). The canister cannot be stopped or upgraded cleanly while it waits; "
                            + "use bounded-wait calls to canisters you do not control.", c.id, ctx.id, ctx.method,
                            ctx.caller, c.callee, c.method, (nowNanos - c.sentAt) / 1_000_000_000L)
                    .at(nowNanos).build());
        }
    }
}
