package dev.interlock.model;

/**
 * The response to an outgoing call, as the calling canister saw it in its callback.
 *
 * @param status        REPLY or REJECT
 * @param blockIndex    for a successful ledger transfer, the block index in the reply
 * @param rejectCode    IC reject code 1..6 for a REJECT
 * @param rejectMessage the reject message, or an error text from the reply
 */
public record CallOutcome(Status status, Long blockIndex, Integer rejectCode, String rejectMessage) {
    public enum Status { REPLY, REJECT }

    public static CallOutcome reply(Long blockIndex) {
        return new CallOutcome(Status.REPLY, blockIndex, null, null);
    }

    public static CallOutcome reject(int code, String message) {
        return new CallOutcome(Status.REJECT, null, code, message);
    }

    public boolean isReply() {
        return status == Status.REPLY;
    }
}
