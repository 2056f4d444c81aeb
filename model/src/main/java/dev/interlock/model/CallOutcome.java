package dev.interlock.model;

/**
 * The response to an outgoing call, as the calling canister saw it in its callback.
 *
 * @param status        REPLY or REJECT
 * @param blockIndex    for a successful ledger transfer, the block index in the reply
 * @param rejectCode    IC reject code 1..6 for a REJECT
 * @param rejectMessage the reject message
 * @param error         for a reply carrying a ledger error ({@code InsufficientFunds}, {@code Duplicate}, …): its name
 */
public record CallOutcome(Status status, Long blockIndex, Integer rejectCode, String rejectMessage, String error) {
    public enum Status { REPLY, REJECT }

    public static CallOutcome reply(Long blockIndex) {
        return new CallOutcome(Status.REPLY, blockIndex, null, null, null);
    }

    public static CallOutcome replyError(String error) {
        return new CallOutcome(Status.REPLY, null, null, null, error);
    }

    public static CallOutcome reject(int code, String message) {
        return new CallOutcome(Status.REJECT, null, code, message, null);
    }

    public boolean isReply() {
        return status == Status.REPLY;
    }

    /** A reply without an error: for a ledger transfer, the ledger accepted it. */
    public boolean succeeded() {
        return status == Status.REPLY && error == null;
    }
}
