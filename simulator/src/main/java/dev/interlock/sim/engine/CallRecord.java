package dev.interlock.sim.engine;

import dev.interlock.ic.Principal;
import dev.interlock.sim.ledger.TransferArgs;

/**
 * What really happened to one outgoing call, for the ground truth: the engine fills it in as
 * the call is sent (or fails synchronously) and answered. Calls of a message that trapped
 * were never sent and have no record.
 */
public final class CallRecord {
    public final Principal canister;
    public final String context;
    public final String callId;
    public final Principal callee;
    public final String method;
    public final Wait wait;
    public final TransferArgs transfer;
    public final long sentAt;
    public boolean syncFailed;
    public boolean executedByCallee;
    public Outcome outcome;
    public long respondedAt = -1;
    /**
     * Block index the ledger produced, even when the caller never learned it (SYS_UNKNOWN); set on
     * calls to the ledger only (another canister's reply naming a block is in {@link #outcome}).
     */
    public Long block;

    CallRecord(Principal canister, String context, String callId, Principal callee, String method, Wait wait,
            TransferArgs transfer, long sentAt) {
        this.canister = canister;
        this.context = context;
        this.callId = callId;
        this.callee = callee;
        this.method = method;
        this.wait = wait;
        this.transfer = transfer;
        this.sentAt = sentAt;
    }

    public boolean outstanding() {
        return !syncFailed && outcome == null && wait != Wait.NOTIFY;
    }
}
