package dev.interlock.detector.core;

import java.util.List;
import java.util.Objects;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Severity;

/**
 * DOUBLE_SPEND: one logical request paid twice.
 *
 * <ul>
 * <li>Interleaved: two call contexts of the same caller on the same method, open at the same
 * time, each got a successful ledger transfer of the same amount to the same account: the check
 * that should allow one payment passed in both before either recorded its effect.</li>
 * <li>Retried: one context sent a transfer again, with a new {@code created_at_time}, after the
 * first was paid or answered SYS_UNKNOWN (which may have been paid): the retry was not checked on
 * the ledger and the ledger cannot deduplicate it.</li>
 * <li>Same request: two contexts each got a successful transfer for the same logical request, the
 * same journal id ({@code ji}) or the same memo to the same recipient on the same ledger, whether
 * or not they overlapped: typically the record of the first payment was rolled back by a trap (or
 * never written) and the request was served again. Memo-based, it assumes the memo names the
 * request, as the best practices recommend; a canister that puts one constant memo on repeated
 * payments of one amount to one account within the horizon would be flagged.</li>
 * </ul>
 *
 * Evidence: contexts, calls and block indexes of both transfers. Needs only the required trace
 * events. False-positive risk: a caller who legitimately asks for the same amount twice at the
 * same time; the guard and flag-first fixes never produce two transfers, so they are not flagged.
 */
public final class DoubleSpendDetector implements Detector {
    @Override
    public AlertClass alertClass() {
        return AlertClass.DOUBLE_SPEND;
    }

    @Override
    public String evidenceNeeded() {
        return "none";
    }

    @Override
    public void onEvent(CallEvent event, CanisterState state, List<Alert> out) {
        OutgoingCall paid = state.answeredTransfer(event);
        ContextState ctx = state.context(event.context());
        if (paid == null || ctx.caller == null || ctx.method == null) {
            return;
        }
        for (OutgoingCall earlier : ctx.calls.values()) {
            // Paid, or SYS_UNKNOWN (it may well have been paid), then sent again as a new transaction.
            if (earlier != paid && earlier.mayHavePaid() && samePayment(earlier, paid)
                    && earlier.transfer.createdAtTime() != null && paid.transfer.createdAtTime() != null
                    && !earlier.transfer.createdAtTime().equals(paid.transfer.createdAtTime())) {
                out.add(Alerts.of(AlertClass.DOUBLE_SPEND, Severity.CRITICAL, state, ctx.id + "/" + earlier.id + "+" + paid.id)
                        .context(ctx).call(earlier).call(paid).amount(paid.transfer.amount())
                        .basis("transfer-replies", earlier.paidOut() && paid.paidOut() ? "paid-twice"
                                : "sys-unknown-retried", "created-at-time-changed-on-retry")
                        .explain("Context %s of %s (%s) sent the transfer of %s to %s again (call %s after call %s, "
                                + "which %s) with a new created_at_time, so the ledger could not see it as a duplicate: "
                                + "it may have paid twice. A transfer answered SYS_UNKNOWN must be checked on the "
                                + "ledger, or retried with the very same arguments.", ctx.id, ctx.caller, ctx.method,
                                paid.transfer.amount(), paid.transfer.to(), paid.id, earlier.id,
                                earlier.paidOut() ? "was paid in block " + earlier.outcome.blockIndex()
                                        : "was answered SYS_UNKNOWN")
                        .build());
            }
        }
        if (!paid.paidOut()) {
            return;
        }
        for (String earlier : state.paidForSameRequest(ctx, paid)) {
            int nul = earlier.indexOf('\u0000');
            ContextState other = state.context(earlier.substring(0, nul));
            OutgoingCall theirs = other == null ? null : other.calls.get(earlier.substring(nul + 1));
            if (other == null || other == ctx || theirs == null) {
                continue;
            }
            boolean byJournal = paid.journal != null && paid.journal.equals(theirs.journal);
            out.add(Alerts.of(AlertClass.DOUBLE_SPEND, Severity.CRITICAL, state, pair(other.id, ctx.id))
                    .context(other).context(ctx).call(theirs).call(paid).amount(paid.transfer.amount())
                    .basis("transfer-replies", byJournal ? "same-journal-id" : "same-memo")
                    .explain("Contexts %s and %s of canister %s both got a successful transfer for one request (%s): "
                            + "%s to %s in block %s, then %s to %s in block %s. The record of the first payment did "
                            + "not stop the second (a trap rolled it back, or it was never written): record the "
                            + "request as served before the await, and retry with the very same arguments.",
                            other.id, ctx.id, state.canister, byJournal ? "journal " + paid.journal
                                    : "memo " + paid.transfer.memo(), theirs.transfer.amount(), theirs.transfer.to(),
                            theirs.outcome.blockIndex(), paid.transfer.amount(), paid.transfer.to(),
                            paid.outcome.blockIndex())
                    .build());
        }
        for (ContextState other : state.contextsOf(ctx.caller, ctx.method)) {
            if (other == ctx || !ctx.overlaps(other)) {
                continue;
            }
            for (OutgoingCall theirs : other.calls.values()) {
                if (theirs.paidOut() && samePayment(theirs, paid)) {
                    ContextState first = other.openedAt <= ctx.openedAt ? other : ctx;
                    ContextState second = first == ctx ? other : ctx;
                    boolean keys = !ctx.reads.isEmpty() && !other.reads.isEmpty();
                    Alerts.Builder b = Alerts.of(AlertClass.DOUBLE_SPEND, Severity.CRITICAL, state,
                            pair(first.id, second.id)).context(first).context(second)
                            .call(first == ctx ? paid : theirs).call(first == ctx ? theirs : paid)
                            .amount(paid.transfer.amount()).basis("context-overlap", "transfer-replies")
                            .explain("Caller %s had two interleaved %s calls on canister %s (contexts %s and %s). Both "
                                    + "were open at the same time and both got a successful ledger transfer of %s to %s "
                                    + "(blocks %s and %s): the check that should allow one payment passed in both "
                                    + "before either recorded its effect, so it was paid twice.", ctx.caller,
                                    ctx.method, state.canister, first.id, second.id, paid.transfer.amount(),
                                    paid.transfer.to(), theirs.outcome.blockIndex(), paid.outcome.blockIndex());
                    if (keys) {
                        b.basis("state-keys-read-before-await");
                    } else {
                        b.missing("state-keys");
                    }
                    out.add(b.build());
                    break;
                }
            }
        }
    }

    private static boolean samePayment(OutgoingCall a, OutgoingCall b) {
        return Objects.equals(a.callee, b.callee) && Objects.equals(a.transfer.to(), b.transfer.to())
                && a.transfer.amount().equals(b.transfer.amount());
    }

    static String pair(String a, String b) {
        return a.compareTo(b) < 0 ? a + "+" + b : b + "+" + a;
    }
}
