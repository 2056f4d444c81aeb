package dev.interlock.ingest.normalise;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.HexFormat;

import dev.interlock.ic.icp.IcpBlock;
import dev.interlock.model.LedgerBlock;

/**
 * Normalises a decoded ICP ledger block into the event model. Accounts are the ledger's 32-byte
 * account identifiers in hex (the ICP ledger does not record owners and subaccounts); a transfer_from
 * is an {@code xfer}, an approve's amount is its allowance; the memo is the ICRC-1 memo when the block
 * has one, else the legacy nat64 memo as 8 big-endian bytes (omitted when 0).
 */
public final class IcpBlockDecoder {
    private static final HexFormat HEX = HexFormat.of();

    private IcpBlockDecoder() {
    }

    public static LedgerBlock decode(String ledger, IcpBlock b) {
        String op = switch (b.kind()) {
            case TRANSFER, TRANSFER_FROM -> "xfer";
            case MINT -> "mint";
            case BURN -> "burn";
            case APPROVE -> "approve";
        };
        BigInteger amount = unsigned(b.kind() == IcpBlock.Kind.APPROVE ? b.allowanceE8s().orElse(0) : b.amountE8s());
        BigInteger fee = b.feeE8s().isPresent() ? unsigned(b.feeE8s().getAsLong()) : null;
        String memo = b.icrc1Memo().map(HEX::formatHex)
                .orElse(b.memo() == 0 ? null : HEX.formatHex(ByteBuffer.allocate(8).putLong(b.memo()).array()));
        String to = b.kind() == IcpBlock.Kind.APPROVE ? b.spender() : b.to();
        return new LedgerBlock(ledger, b.index(), b.hashHex(), b.parentHash().map(HEX::formatHex).orElse(null), b.timestampNanos(),
                op, b.from(), to, amount, fee, memo,
                b.createdAtTimeNanos().isPresent() ? b.createdAtTimeNanos().getAsLong() : null);
    }

    private static BigInteger unsigned(long e8s) {
        return new BigInteger(Long.toUnsignedString(e8s));
    }
}
