package dev.interlock.sim.ledger;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

import dev.interlock.ic.Account;

/**
 * Arguments of {@code icrc1_transfer} (spender null) or {@code icrc2_transfer_from} (spender
 * set, {@code from} the owner's account). Fee, memo and created_at_time are optional as in the
 * standard. Structural equality (with the caller) is what the ledger deduplicates on.
 */
public record TransferArgs(Account from, Account to, BigInteger amount, BigInteger fee, byte[] memo,
        Long createdAtTime, Account spender) {

    public static TransferArgs transfer(Account from, Account to, BigInteger amount) {
        return new TransferArgs(from, to, amount, null, null, null, null);
    }

    public TransferArgs withCreatedAt(Long t) {
        return new TransferArgs(from, to, amount, fee, memo, t, spender);
    }

    public TransferArgs withMemo(byte[] m) {
        return new TransferArgs(from, to, amount, fee, m, createdAtTime, spender);
    }

    public TransferArgs withFee(BigInteger f) {
        return new TransferArgs(from, to, amount, f, memo, createdAtTime, spender);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransferArgs t && Objects.equals(from, t.from) && Objects.equals(to, t.to)
                && amount.equals(t.amount) && Objects.equals(fee, t.fee) && Arrays.equals(memo, t.memo)
                && Objects.equals(createdAtTime, t.createdAtTime) && Objects.equals(spender, t.spender);
    }

    @Override
    public int hashCode() {
        return Objects.hash(from, to, amount, fee, Arrays.hashCode(memo), createdAtTime, spender);
    }
}
