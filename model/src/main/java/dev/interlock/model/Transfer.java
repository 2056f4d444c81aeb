package dev.interlock.model;

import java.math.BigInteger;

/**
 * The ledger-relevant arguments of an outgoing transfer call ({@code icrc1_transfer},
 * {@code icrc2_transfer_from}, ...), as the calling canister printed them.
 *
 * @param to            receiving account, ICRC-1 text form
 * @param amount        amount in the ledger's smallest unit
 * @param memo          hex of the memo bytes, or null
 * @param createdAtTime the transfer's {@code created_at_time} in ns, or null when unset
 */
public record Transfer(String to, BigInteger amount, String memo, Long createdAtTime) {
}
