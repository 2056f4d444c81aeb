package dev.interlock.detector.core;

import dev.interlock.model.CallOutcome;
import dev.interlock.model.Transfer;

/**
 * An outgoing call of a call context and, once it arrived, its response. Helpers avoid get/is
 * names so that JSON state holds fields only.
 */
public final class OutgoingCall {
    public String id;
    public String callee;
    public String method;
    /** u (unbounded), b (bounded) or n (notify), when the trace says. */
    public String waitKind;
    public Transfer transfer;
    /** The journal entry (trace {@code ji}) the transfer was recorded under: the logical request it pays, or null. */
    public String journal;
    public CallOutcome outcome;
    public boolean sendFailed;
    /** A STALLED_CALL alert was raised for it: do not look at it again. */
    public boolean stallReported;
    public long sentAt;
    public long sentSeq;

    public boolean hasTransfer() {
        return transfer != null;
    }

    /** A transfer the ledger accepted, as far as the calling canister was told. */
    public boolean paidOut() {
        return hasTransfer() && outcome != null && outcome.succeeded();
    }

    /** A transfer that the ledger may have executed: replied Ok, or answered SYS_UNKNOWN (effect unknown). */
    public boolean mayHavePaid() {
        return hasTransfer() && outcome != null && (outcome.succeeded()
                || (!outcome.isReply() && Integer.valueOf(6).equals(outcome.rejectCode())));
    }

    /** Sent, expecting a response, and none has arrived. */
    public boolean awaiting() {
        return !sendFailed && outcome == null && !"n".equals(waitKind);
    }

    /** The call failed: a reject, a synchronous send failure, or an error reply (a ledger Duplicate is success). */
    public boolean failed() {
        if (sendFailed) {
            return true;
        }
        if (outcome == null) {
            return false;
        }
        return !outcome.isReply() || (outcome.error() != null && !"Duplicate".equals(outcome.error()));
    }
}
