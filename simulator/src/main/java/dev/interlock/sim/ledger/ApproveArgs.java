package dev.interlock.sim.ledger;

import java.math.BigInteger;

import dev.interlock.ic.Account;

/** Arguments of {@code icrc2_approve}: from the caller's account, let {@code spender} spend {@code amount}. */
public record ApproveArgs(Account from, Account spender, BigInteger amount, BigInteger expectedAllowance, Long expiresAt,
        BigInteger fee, byte[] memo, Long createdAtTime) {

    public TransferArgs asTransferArgs() {
        return new TransferArgs(from, null, amount, fee, memo, createdAtTime, spender);
    }
}
