package dev.interlock.detector.core;

import java.util.List;
import java.util.Objects;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Severity;

/**
 * NON_IDEMPOTENT_TRANSFER: two equal transfers (same ledger, recipient, amount and memo) from the
 * canister within the horizon, neither carrying {@code created_at_time}, the second paid and the
 * first paid or answered SYS_UNKNOWN: the ledger cannot deduplicate such transfers, so a retry pays
 * again.
 *
 * Evidence: both calls and their blocks. Needs only the required trace events (the call line
 * carries {@code tx.ts} when it is set). False-positive risk: two genuinely separate payments of
 * the same amount to the same account without created_at_time (still worth fixing).
 */
public final class NonIdempotentTransferDetector implements Detector {
    @Override
    public AlertClass alertClass() {
        return AlertClass.NON_IDEMPOTENT_TRANSFER;
    }

    @Override
    public String evidenceNeeded() {
        return "none";
    }

    @Override
    public void onEvent(CallEvent event, CanisterState state, List<Alert> out) {
        OutgoingCall paid = state.answeredTransfer(event);
        if (paid == null || paid.transfer.createdAtTime() != null) {
            return;
        }
        ContextState ctx = state.context(event.context());
        for (ContextState other : state.contexts.values()) {
            for (OutgoingCall earlier : other.calls.values()) {
                if (earlier != paid && earlier.mayHavePaid() && earlier.transfer.createdAtTime() == null
                        && Objects.equals(earlier.callee, paid.callee)
                        && Objects.equals(earlier.transfer.to(), paid.transfer.to())
                        && earlier.transfer.amount().equals(paid.transfer.amount())
                        && Objects.equals(earlier.transfer.memo(), paid.transfer.memo())) {
                    out.add(Alerts.of(AlertClass.NON_IDEMPOTENT_TRANSFER, Severity.CRITICAL, state,
                            other.id + "/" + earlier.id + "+" + ctx.id + "/" + paid.id).context(other).context(ctx)
                            .call(earlier).call(paid).amount(paid.transfer.amount())
                            .basis("transfer-replies", "no-created-at-time")
                            .explain("Two equal transfers of %s to %s without created_at_time (calls %s and %s; "
                                    + "the second %s, the first %s). Without created_at_time the ledger "
                                    + "does not deduplicate, so a retry pays again: set created_at_time and a memo on "
                                    + "every transfer and reuse them when retrying.", paid.transfer.amount(),
                                    paid.transfer.to(), earlier.id, paid.id, describe(paid), describe(earlier))
                            .build());
                    return;
                }
            }
        }
    }

    private static String describe(OutgoingCall c) {
        return c.paidOut() ? "paid in block " + c.outcome.blockIndex() : "answered SYS_UNKNOWN";
    }
}
