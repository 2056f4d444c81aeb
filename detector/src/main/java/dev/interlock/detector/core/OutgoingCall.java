package dev.interlock.detector.core;

import dev.interlock.model.CallOutcome;
import dev.interlock.model.Transfer;

/** An outgoing call of a call context and, once it arrived, its response. Helpers avoid get/is
 * names so that JSON state holds fields only. */
public final class OutgoingCall {
    public String id;
    public String callee;
    public String method;
    public Transfer transfer;
    public CallOutcome outcome;
    public String callEventId;
    public String callbackEventId;

    public boolean hasTransfer() {
        return transfer != null;
    }

    /** A transfer the ledger accepted, as far as the calling canister was told. */
    public boolean paidOut() {
        return hasTransfer() && outcome != null && outcome.succeeded();
    }
}
