package dev.interlock.detector.ledger;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.interlock.detector.core.OutgoingCall;
import dev.interlock.detector.graph.SortedStore;
import dev.interlock.model.Alert;
import dev.interlock.model.CallEvent;
import dev.interlock.model.LedgerBlock;

/**
 * LEDGER_RECONCILIATION offline: the notify rule and the payment rules, each as its two halves in
 * memory with the messages passed at once; the scan feeds it calls and blocks and decides at the end
 * of input.
 *
 * <p>Payments ({@link PaymentTracker}, {@link PaymentMatcher}): a transfer replied as successful
 * must have its block, and a block out of a monitored canister's account must have a call that
 * explains it.
 *
 * <p>Notifies: a {@code notify} whose trace line names the ledger
 * transfer it should cause ({@code tx}: recipient, amount, memo) and no block with that recipient,
 * amount and memo appears within the window. Nobody tells a canister whether a notify took
 * effect; the fix is to check later and correct, which the canister shows by completing a journal
 * entry (a {@code jr} line) for the request: then nothing is raised.
 *
 * <p>Deciding "not reconciled" needs the canister's optional evidence (journal events); from a
 * canister that prints none, nothing is raised.
 *
 * <p>Two halves, so that the service can run them where their input is: {@link NotifyTracker}
 * per canister (journals, evidence; on the calls partitions) and {@link TransferMatcher} per
 * recipient account (expectations meet blocks; on the reconcile repartition topic, keyed by
 * account), talking through {@link ReconcileMessage}s. This class is the offline whole: both
 * halves in memory, the messages passed at once; the scan feeds it calls and blocks and decides at
 * the end of input.
 */
public final class Reconciler {
    private final NotifyTracker notifies;
    private final TransferMatcher matcher;
    private final PaymentTracker payments;
    private final PaymentMatcher paymentMatcher;
    private final long windowNanos;
    /** Ledgers whose blocks name account identifiers: those configured, and those whose blocks were read so. */
    private final Set<String> identifierLedgers;

    public Reconciler(long windowNanos) {
        this(windowNanos, PaymentTracker.DEFAULT_IDENTIFIER_LEDGERS);
    }

    /** @param identifierLedgers ledgers whose blocks name account identifiers, not owners (the ICP ledger) */
    public Reconciler(long windowNanos, Set<String> identifierLedgers) {
        this.windowNanos = windowNanos;
        this.identifierLedgers = new HashSet<>(identifierLedgers);
        this.notifies = new NotifyTracker(SortedStore.inMemory(), windowNanos);
        this.matcher = new TransferMatcher(SortedStore.inMemory(), windowNanos);
        this.paymentMatcher = new PaymentMatcher(SortedStore.inMemory(), windowNanos);
        this.payments = new PaymentTracker(PaymentMatcher.SKEW_NANOS / 2, windowNanos, this.identifierLedgers);
    }

    /** An event without the engine's view of it (tests of the notify rule). */
    public void accept(CallEvent e) {
        accept(e, null, null);
    }

    /**
     * One event of a canister, in its order, after the detector engine took it.
     *
     * @param call   the engine's record of the event's outgoing call, or null
     * @param caller the caller of the event's context, when known
     */
    public void accept(CallEvent e, OutgoingCall call, String caller) {
        for (ReconcileMessage m : notifies.accept(e)) {
            matcher.accept(m, 0);
        }
        if (!e.rolledBack()) {
            for (PaymentMessage m : payments.accept(e, call, caller)) {
                paymentMatcher.accept(m, 0);
            }
        }
    }

    public void block(LedgerBlock b) {
        ReconcileMessage m = ReconcileMessage.block(b);
        if (m != null) {
            matcher.accept(m, 0);
        }
        if (Accounts.isIdentifier(b.from()) || Accounts.isIdentifier(b.to())) {
            identifierLedgers.add(b.ledger()); // offline, blocks are read before the calls
        }
        PaymentMessage p = PaymentMessage.block(b);
        if (p != null) {
            paymentMatcher.accept(p, 0);
        }
    }

    /**
     * End of input at {@code nowNanos}: decides every notify expectation older than the window, every reply whose
     * ledger's blocks reached it and every unexplained block of a monitored canister.
     */
    public List<Alert> tick(long nowNanos) {
        List<Alert> out = matcher.decideAt(nowNanos);
        out.addAll(paymentMatcher.decide(0, 0, true));
        // Blocks older than two windows can no longer settle anything still expected.
        matcher.sweepUpTo(nowNanos);
        return out;
    }

    /** Notify expectations not yet decided (still within their window). */
    public int undecided() {
        return matcher.undecided();
    }

    /** Successful replies that could not be checked: their ledger's blocks were not given, or did not reach them. */
    public long unverifiedReplies() {
        return paymentMatcher.unverifiable() + paymentMatcher.undecided();
    }

    public long windowNanos() {
        return windowNanos;
    }
}
