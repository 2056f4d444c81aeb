package dev.interlock.detector.core;

import java.util.ArrayList;
import java.util.List;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.Severity;

/**
 * CALLBACK_TRAP: a callback trapped after a successful transfer (its accounting was discarded
 * while the ledger had paid), or trapped while its context held a guard that only the callback
 * would release. The cleanup that the IC runs after a trapped callback is the fix: when the
 * trace shows a cleanup with committed effects (state written, journal completed, guard released)
 * nothing is raised.
 *
 * Needs: the TRAP record (from the system) and the callback line (required). Deciding that a
 * cleanup repaired things needs the optional events; with required events only, a cleanup that
 * ran is given the benefit of the doubt. The guard rule needs guard events.
 */
public final class CallbackTrapDetector implements Detector {
    @Override
    public AlertClass alertClass() {
        return AlertClass.CALLBACK_TRAP;
    }

    @Override
    public String evidenceNeeded() {
        return "none (cleanup effects and guards need state-keys and guards)";
    }

    @Override
    public void onMessageEnd(MessageState m, CanisterState state, List<Alert> out) {
        // A pending trap is decided by the very next message: its cleanup, or anything else.
        for (PendingTrap p : new ArrayList<>(state.pendingTraps)) {
            if (p.trapSeq >= m.startSeq) {
                continue;
            }
            state.pendingTraps.remove(p);
            boolean cleanup = m.kind == MessageState.Kind.CLEANUP && p.call.equals(m.call) && p.context.equals(m.context);
            boolean repaired = cleanup && (m.hasCommittedEffects() || !state.sawOptionalEvidence);
            boolean released = cleanup && (m.releasedGuard || !state.sawOptionalEvidence);
            raise(p, state, out, p.paid && !repaired, p.guard != null && !released);
        }
        if (m.kind == MessageState.Kind.CALLBACK && m.trapped) {
            ContextState ctx = state.context(m.context);
            OutgoingCall call = ctx == null ? null : ctx.calls.get(m.call);
            if (ctx == null || call == null) {
                return;
            }
            String guard = ctx.holdsGuards() ? ctx.guards.iterator().next() : null;
            if (call.paidOut() || guard != null) {
                PendingTrap p = new PendingTrap();
                p.context = ctx.id;
                p.call = call.id;
                p.trapSeq = m.startSeq;
                p.paid = call.paidOut();
                p.guard = guard;
                p.trapMessage = m.trapMessage;
                state.pendingTraps.add(p);
            }
        }
    }

    @Override
    public void onTime(long nowNanos, CanisterState state, List<Alert> out) {
        if (state.inputEnded && !state.pendingTraps.isEmpty()) {
            // End of input, no message in progress: no cleanup can follow any more.
            for (PendingTrap p : new ArrayList<>(state.pendingTraps)) {
                state.pendingTraps.remove(p);
                raise(p, state, out, p.paid, p.guard != null);
            }
        }
    }

    private static void raise(PendingTrap p, CanisterState state, List<Alert> out, boolean lostBooking,
            boolean stuckGuard) {
        if (!lostBooking && !stuckGuard) {
            return;
        }
        ContextState ctx = state.context(p.context);
        OutgoingCall call = ctx == null ? null : ctx.calls.get(p.call);
        Alerts.Builder b = Alerts.of(AlertClass.CALLBACK_TRAP, Severity.CRITICAL, state, p.context + "/" + p.call)
                .context(ctx).call(call).basis("trap-record", "callback");
        if (lostBooking) {
            b.amount(call == null || call.transfer == null ? null : call.transfer.amount())
                    .explain("The callback of call %s in context %s trapped (%s) after the ledger accepted the transfer "
                            + "(block %s): the callback's accounting was discarded while the funds moved%s. Book the "
                            + "transfer before the await or in a cleanup, from a journal.", p.call, p.context,
                            p.trapMessage, call == null || call.outcome == null ? "?" : call.outcome.blockIndex(),
                            stuckGuard ? ", and guard " + p.guard + " stays held" : "");
        } else {
            b.basis("guards").explain("The callback of call %s in context %s trapped (%s) while the context held guard "
                    + "%s, which only that callback released: the guard stays held and blocks every later call. "
                    + "Release guards in the cleanup too (Rust: a drop guard; Motoko: finally).", p.call, p.context,
                    p.trapMessage, p.guard);
        }
        if (!state.sawOptionalEvidence) {
            b.missing("state-keys", "guards", "journal");
        }
        out.add(b.build());
    }

    /** A trapped callback waiting for its cleanup (which the IC runs at once, as the next message). */
    public static final class PendingTrap {
        public String context;
        public String call;
        public long trapSeq;
        public boolean paid;
        public String guard;
        public String trapMessage;
    }
}
