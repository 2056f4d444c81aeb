package dev.interlock.detector.ledger;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import dev.interlock.model.CallEvent;
import dev.interlock.model.LedgerBlock;

/**
 * What the canister side ({@link NotifyTracker}) and the ledger side (blocks) tell the account side
 * ({@link TransferMatcher}) of the reconciliation. In the service these are the records of the
 * reconcile repartition topic, keyed by {@link #account()}: a notify's expected transfer and the
 * blocks that could settle it meet on the recipient account, the one field both carry. The account is
 * keyed by its account identifier, so that blocks of ledgers that name identifiers (the ICP ledger's)
 * and of those that name owners meet the same notifies (a text that is neither is kept as it is).
 *
 * @param type       what happened
 * @param account    recipient account's identifier (lowercase hex; a text that is no account, as it is): the join
 *                   key
 * @param amount     expected or transferred amount
 * @param memo       hex memo, or null (an expectation without memo accepts any block of its amount)
 * @param canister   EXPECT, RESOLVED, EVIDENCE: the notifying canister
 * @param context    EXPECT: the notifying context
 * @param call       EXPECT, RESOLVED, EVIDENCE: the notify's call id
 * @param journal    EXPECT, RESOLVED: the journal entry the notify belongs to, or null
 * @param callee     EXPECT: the canister notified
 * @param eventId    EXPECT: the notify's trace event
 * @param timeNanos  event time: the notify sent, the block made, the journal completed
 * @param evidence   EXPECT: the canister printed optional evidence before the notify
 * @param ledger     BLOCK: the ledger
 * @param blockIndex BLOCK: the block index
 * @param recipient  EXPECT: the recipient account as the trace printed it (for people), or null
 */
public record ReconcileMessage(
        Type type,
        String account,
        BigInteger amount,
        String memo,
        String canister,
        String context,
        String call,
        String journal,
        String callee,
        String eventId,
        long timeNanos,
        boolean evidence,
        String ledger,
        Long blockIndex,
        String recipient) {

    public enum Type {
        /** A one-way notify names the transfer it should cause. */
        EXPECT,
        /** A ledger block paid {@code amount} to {@code account}. */
        BLOCK,
        /** The notifying canister completed the notify's journal entry: it reconciled the notify itself. */
        RESOLVED,
        /** The notifying canister printed its first optional evidence after the notify. */
        EVIDENCE
    }

    /** A notify's expectation. */
    public static ReconcileMessage expect(CallEvent e, String journal, boolean evidence) {
        String to = e.transfer().to();
        return new ReconcileMessage(Type.EXPECT, key(to), e.transfer().amount(), e.transfer().memo(), e.canister(),
                e.context(), e.call(), journal, e.callee(), e.id(), e.timeNanos(), evidence, null, null, to);
    }

    /** A block as the matcher needs it, or null for blocks without recipient or amount (burns, approvals). */
    public static ReconcileMessage block(LedgerBlock b) {
        if (b.to() == null || b.amount() == null) {
            return null;
        }
        return new ReconcileMessage(Type.BLOCK, key(b.to()), b.amount(), b.memo(), null, null, null, null, null, null,
                b.timestampNanos(), false, b.ledger(), b.index(), null);
    }

    /** The join key of a recipient account: its account identifier, or the text as it is when it is no account. */
    public static String key(String account) {
        String id = Accounts.identifier(account);
        return id == null ? account : id;
    }

    /** What is missing for this message's type; empty when usable. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (type == null) {
            p.add("type is missing");
            return p;
        }
        if (account == null || account.isEmpty()) {
            p.add("account is missing");
        }
        if (amount == null || amount.signum() < 0) {
            p.add("amount must be a non-negative integer");
        }
        if (type != Type.BLOCK && (canister == null || call == null)) {
            p.add("canister and call are required for " + type);
        }
        return p;
    }
}
