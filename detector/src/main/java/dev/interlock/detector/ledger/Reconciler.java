package dev.interlock.detector.ledger;

import java.util.List;

import dev.interlock.detector.graph.SortedStore;
import dev.interlock.model.Alert;
import dev.interlock.model.CallEvent;
import dev.interlock.model.LedgerBlock;

/**
 * LEDGER_RECONCILIATION for one-way calls: a {@code notify} whose trace line names the ledger
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
    private final long windowNanos;

    public Reconciler(long windowNanos) {
        this.windowNanos = windowNanos;
        this.notifies = new NotifyTracker(SortedStore.inMemory(), windowNanos);
        this.matcher = new TransferMatcher(SortedStore.inMemory(), windowNanos);
    }

    public void accept(CallEvent e) {
        for (ReconcileMessage m : notifies.accept(e)) {
            matcher.accept(m, 0);
        }
    }

    public void block(LedgerBlock b) {
        ReconcileMessage m = ReconcileMessage.block(b);
        if (m != null) {
            matcher.accept(m, 0);
        }
    }

    /** Decides every expectation older than the window at {@code nowNanos}. */
    public List<Alert> tick(long nowNanos) {
        List<Alert> out = matcher.decideAt(nowNanos);
        // Blocks older than two windows can no longer settle anything still expected.
        matcher.sweepUpTo(nowNanos);
        return out;
    }

    /** Expectations not yet decided (still within their window). */
    public int undecided() {
        return matcher.undecided();
    }

    public long windowNanos() {
        return windowNanos;
    }
}
