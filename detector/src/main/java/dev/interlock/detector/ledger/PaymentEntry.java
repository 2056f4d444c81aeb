package dev.interlock.detector.ledger;

import java.math.BigInteger;
import java.util.List;

import dev.interlock.model.CallOutcome;

/**
 * One fact of the payment matching in its {@code SortedStore}: a transfer call, a block, a
 * monitored canister's clock or a ledger's progress. Plain fields, JSON in the service's store.
 */
public final class PaymentEntry {
    public String payer;
    public String canister;
    public String context;
    public String caller;
    public String call;
    public String callee;
    public String method;
    public String waitKind;
    public String ledger;
    public String to;
    public BigInteger amount;
    public String memo;
    public Long createdAtTime;
    /** Call: when it was sent; block: its time; clock: the canister's latest event time; ledger: its latest block's time. */
    public long time;
    public String eventId;
    public String answerEventId;
    public Long answerNanos;
    public CallOutcome outcome;
    public boolean sendFailed;
    /** Block: its index; ledger: the latest index routed (-1 before any progress). */
    public Long blockIndex;
    public String op;
    public String spender;
    /** Call: the key of the block it explains; block: the key of the call that explains it. */
    public String matched;
    /** Call: its key among the replies awaiting their ledger (replied as successful, not yet decided). */
    public String expectation;
    /** Block: its key among the unexplained blocks awaiting a decision. */
    public String unexplained;
    /**
     * Clock: spans of the canister's log lost unread, newest last, as {since, until, from idx, to idx}; null while
     * there were none.
     */
    public List<long[]> gaps;
    /** Clock, ledger: wall-clock time (ms) of the last message, for telling a silent canister. */
    public long wall;
    /** Event time after which the entry is forgotten (0: kept). */
    public long expiry;

    public PaymentEntry() {
    }

    /** A call that cannot have caused a new block: never sent, or answered with a ledger error (a Duplicate too). */
    boolean definitelyFailed() {
        return sendFailed || (outcome != null && outcome.isReply() && outcome.error() != null);
    }

    /** A call the canister was told succeeded. */
    boolean repliedSuccess() {
        return !sendFailed && outcome != null && outcome.succeeded();
    }
}
