package dev.interlock.sim.ledger;

import java.math.BigInteger;

/** {@code Ok(block index)} or one of the ICRC-1/2 transfer errors. */
public record TransferResult(Long blockIndex, Error error, BigInteger detail) {
    public enum Error { BAD_FEE, INSUFFICIENT_FUNDS, INSUFFICIENT_ALLOWANCE, TOO_OLD, CREATED_IN_FUTURE, DUPLICATE,
        GENERIC_ERROR }

    public static TransferResult ok(long index) {
        return new TransferResult(index, null, null);
    }

    public static TransferResult err(Error e, BigInteger detail) {
        return new TransferResult(null, e, detail);
    }

    public boolean isOk() {
        return error == null;
    }

    /** The standard's variant name, as a canister would print it: {@code BadFee}, {@code Duplicate}, … */
    public String errorName() {
        return switch (error) {
            case BAD_FEE -> "BadFee";
            case INSUFFICIENT_FUNDS -> "InsufficientFunds";
            case INSUFFICIENT_ALLOWANCE -> "InsufficientAllowance";
            case TOO_OLD -> "TooOld";
            case CREATED_IN_FUTURE -> "CreatedInFuture";
            case DUPLICATE -> "Duplicate";
            case GENERIC_ERROR -> "GenericError";
        };
    }

    @Override
    public String toString() {
        return isOk() ? "Ok(" + blockIndex + ")" : errorName() + (detail == null ? "" : "(" + detail + ")");
    }
}
