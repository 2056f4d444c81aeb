package dev.interlock.detector.core;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;
import dev.interlock.model.Evidence;
import dev.interlock.model.Severity;

/**
 * DOUBLE_SPEND: two call contexts of the same caller on the same method were open at the same
 * time and both got a successful ledger transfer: the check that should allow one payment
 * passed in both before either recorded its effect.
 *
 * <p>Evidence: both contexts' events, both transfer call ids and the block indexes from the
 * ledger's replies. This first version decides from overlap and transfer replies only; it
 * cannot yet tell a guarded design that legitimately pays twice (two different requests by
 * the same caller) from a double spend. State-key and guard evidence (trace-format issue)
 * will sharpen it; until then such alerts say that evidence was missing.
 */
public final class DoubleSpendDetector implements Detector {
    @Override
    public AlertClass alertClass() {
        return AlertClass.DOUBLE_SPEND;
    }

    @Override
    public void inspect(CallEvent event, CanisterState state, List<Alert> out) {
        if (event.kind() != CallEventKind.CALLBACK) {
            return;
        }
        ContextState ctx = state.context(event.context());
        OutgoingCall call = ctx == null ? null : ctx.calls.get(event.call());
        if (call == null || !call.paidOut() || ctx.caller == null || ctx.method == null) {
            return;
        }
        for (String otherId : ctx.overlapping) {
            ContextState other = state.context(otherId);
            if (other == null || !ctx.caller.equals(other.caller) || !ctx.method.equals(other.method)) {
                continue;
            }
            other.calls.values().stream().filter(OutgoingCall::paidOut).findFirst()
                    .ifPresent(paid -> out.add(alert(state.canister, other, paid, ctx, call, event.timeNanos())));
        }
    }

    private static Alert alert(String canister, ContextState first, OutgoingCall firstPaid, ContextState second,
            OutgoingCall secondPaid, long at) {
        List<Long> blocks = new ArrayList<>();
        Stream.of(firstPaid, secondPaid).forEach(c -> {
            if (c.outcome.blockIndex() != null) {
                blocks.add(c.outcome.blockIndex());
            }
        });
        List<String> events = new ArrayList<>(first.eventIds);
        events.addAll(second.eventIds);
        BigInteger atStake = secondPaid.transfer.amount();
        String ledger = firstPaid.callee;
        String explanation = String.format(
                "Caller %s had two interleaved %s calls on canister %s (contexts %s and %s). Both were open at the same "
                        + "time and both got a successful ledger transfer (%s to %s, blocks %s): the check that should "
                        + "allow one payment passed in both before either recorded its effect, so %s units were paid "
                        + "twice. Rests on the overlap of the two contexts and the ledger's replies; no state-key or "
                        + "guard evidence was available to confirm that both served one logical request.",
                first.caller, first.method, canister, first.id, second.id, atStake, secondPaid.transfer.to(), blocks,
                atStake);
        Evidence evidence = new Evidence(events, List.of(first.id, second.id), List.of(firstPaid.id, secondPaid.id),
                blocks, ledger, List.of("context-overlap", "transfer-replies"), List.of("state-keys", "guards"));
        return new Alert(Alert.VERSION, dedupKey(canister, first.id, second.id), AlertClass.DOUBLE_SPEND,
                Severity.CRITICAL, canister, List.of(first.caller), atStake, explanation, evidence, at);
    }

    static String dedupKey(String canister, String a, String b) {
        return AlertClass.DOUBLE_SPEND + "/" + canister + "/" + (a.compareTo(b) < 0 ? a + "+" + b : b + "+" + a);
    }
}
