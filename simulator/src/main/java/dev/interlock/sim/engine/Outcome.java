package dev.interlock.sim.engine;

import dev.interlock.sim.ledger.TransferResult;

/** A call's response as the caller's callback sees it: a reply (with its payload) or a reject. */
public record Outcome(boolean replied, Object payload, int rejectCode, String rejectMessage) {
    public static Outcome reply(Object payload) {
        return new Outcome(true, payload, 0, null);
    }

    public static Outcome reject(int code, String message) {
        return new Outcome(false, null, code, message);
    }

    /** A ledger reply {@code Ok(block)}. */
    public boolean transferOk() {
        return replied && payload instanceof TransferResult r && r.isOk();
    }

    public TransferResult transferResult() {
        return replied && payload instanceof TransferResult r ? r : null;
    }

    /** The ledger answered {@code Duplicate}: the transfer took effect earlier. */
    public boolean transferDuplicate() {
        TransferResult r = transferResult();
        return r != null && r.error() == TransferResult.Error.DUPLICATE;
    }

    public boolean unknown() {
        return !replied && rejectCode == RejectCode.SYS_UNKNOWN;
    }

    @Override
    public String toString() {
        return replied ? "reply(" + payload + ")" : "reject(" + rejectCode + ", " + rejectMessage + ")";
    }
}
