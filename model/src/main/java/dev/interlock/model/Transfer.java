package dev.interlock.model;

import java.math.BigInteger;

/**
 * The ledger-relevant arguments of an outgoing transfer call ({@code icrc1_transfer},
 * {@code icrc2_transfer_from}, ...), as the calling canister printed them; on a call to another
 * canister whose effect should be a ledger transfer (a notify to a minter, a payment router), the
 * transfer it expects.
 *
 * @param to            receiving account, ICRC-1 text form
 * @param amount        amount in the ledger's smallest unit
 * @param memo          hex of the memo bytes, or null
 * @param createdAtTime the transfer's {@code created_at_time} in ns, or null when unset
 * @param from          the account the funds come from when it is not the calling canister's own
 *                      ({@code icrc2_transfer_from}: the owner's account, ICRC-1 text), else null
 * @param ledger        the ledger of an expected transfer, on a call whose callee is not the ledger
 *                      (trace field {@code tx.l}), else null: the callee is the ledger
 */
public record Transfer(String to, BigInteger amount, String memo, Long createdAtTime, String from, String ledger) {

    /** A transfer from the calling canister's own account on the called ledger. */
    public Transfer(String to, BigInteger amount, String memo, Long createdAtTime) {
        this(to, amount, memo, createdAtTime, null, null);
    }
}
