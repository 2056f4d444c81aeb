package dev.interlock.ic.icp;

import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;

import dev.interlock.ic.AccountIdentifier;
import dev.interlock.ic.Hashes;
import dev.interlock.ic.icp.pb.Block;
import dev.interlock.ic.icp.pb.Send;
import dev.interlock.ic.icp.pb.Transaction;

/**
 * A decoded ICP ledger block. The ICP ledger hashes a block as SHA-256 of its protobuf encoding, so
 * {@link #hash()} is computed over the bytes received ({@link #encoded()}), never over a re-encoding.
 * Amounts are e8s (unsigned 64-bit, read with {@link Long#toUnsignedString}); account identifiers are
 * 32-byte hex.
 */
public record IcpBlock(long index, byte[] encoded, byte[] hash, Optional<byte[]> parentHash, long timestampNanos,
        Kind kind, String from, String to, String spender, long amountE8s, OptionalLong feeE8s, long memo,
        Optional<byte[]> icrc1Memo, OptionalLong createdAtTimeNanos, OptionalLong allowanceE8s,
        OptionalLong expectedAllowanceE8s, OptionalLong expiresAtNanos) {

    /** The operation a block records. */
    public enum Kind { MINT, BURN, TRANSFER, TRANSFER_FROM, APPROVE }

    /** Protobuf nesting in a block is at most four levels; anything deeper is hostile. */
    private static final int RECURSION_LIMIT = 16;

    /** Decodes one encoded block at {@code index}; the message names what is wrong. */
    public static IcpBlock decode(long index, byte[] encoded) {
        Block b;
        try {
            CodedInputStream in = CodedInputStream.newInstance(encoded);
            in.setRecursionLimit(RECURSION_LIMIT);
            b = Block.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("ICP block " + index + ": not a protobuf Block: " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("ICP block " + index + ": unreadable: " + e.getMessage(), e);
        }
        if (!b.hasTransaction()) {
            throw new IllegalArgumentException("ICP block " + index + ": has no transaction");
        }
        Optional<byte[]> parent = Optional.empty();
        if (b.hasParentHash()) {
            byte[] p = b.getParentHash().getHash().toByteArray();
            if (p.length != 32) {
                throw new IllegalArgumentException("ICP block " + index + ": parent hash has " + p.length + " bytes, not 32");
            }
            parent = Optional.of(p);
        }
        Transaction tx = b.getTransaction();
        Optional<byte[]> icrc1Memo = tx.hasIcrc1Memo() ? Optional.of(tx.getIcrc1Memo().getMemo().toByteArray()) : Optional.empty();
        OptionalLong created = tx.hasCreatedAtTime() ? OptionalLong.of(tx.getCreatedAtTime().getTimestampNanos()) : OptionalLong.empty();
        long memo = tx.getMemo().getMemo();
        long ts = b.getTimestamp().getTimestampNanos();
        byte[] hash = Hashes.sha256(encoded);
        String where = "ICP block " + index;
        return switch (tx.getTransferCase()) {
            case MINT -> new IcpBlock(index, encoded, hash, parent, ts, Kind.MINT, null,
                    account(tx.getMint().getTo(), where + " mint.to"), null, tx.getMint().getAmount().getE8S(),
                    OptionalLong.empty(), memo, icrc1Memo, created, OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
            case BURN -> new IcpBlock(index, encoded, hash, parent, ts, Kind.BURN,
                    account(tx.getBurn().getFrom(), where + " burn.from"), null,
                    tx.getBurn().hasSpender() ? account(tx.getBurn().getSpender(), where + " burn.spender") : null,
                    tx.getBurn().getAmount().getE8S(), OptionalLong.empty(), memo, icrc1Memo, created,
                    OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
            case SEND -> send(index, encoded, hash, parent, ts, tx.getSend(), memo, icrc1Memo, created, where);
            case TRANSFER_NOT_SET -> throw new IllegalArgumentException(where + ": the transaction has no operation");
        };
    }

    private static IcpBlock send(long index, byte[] encoded, byte[] hash, Optional<byte[]> parent, long ts, Send s, long memo,
            Optional<byte[]> icrc1Memo, OptionalLong created, String where) {
        String from = account(s.getFrom(), where + " send.from");
        String to = account(s.getTo(), where + " send.to");
        OptionalLong fee = OptionalLong.of(s.getMaxFee().getE8S());
        return switch (s.getExtensionCase()) {
            case APPROVE -> {
                if (!s.getApprove().hasAllowance()) {
                    throw new IllegalArgumentException(where + ": an approve without allowance");
                }
                var a = s.getApprove();
                yield new IcpBlock(index, encoded, hash, parent, ts, Kind.APPROVE, from, null, to, s.getAmount().getE8S(), fee,
                        memo, icrc1Memo, created, OptionalLong.of(a.getAllowance().getE8S()),
                        a.hasExpectedAllowance() ? OptionalLong.of(a.getExpectedAllowance().getE8S()) : OptionalLong.empty(),
                        a.hasExpiresAt() ? OptionalLong.of(a.getExpiresAt().getTimestampNanos()) : OptionalLong.empty());
            }
            case TRANSFER_FROM -> {
                if (!s.getTransferFrom().hasSpender()) {
                    throw new IllegalArgumentException(where + ": a transfer_from without spender");
                }
                yield new IcpBlock(index, encoded, hash, parent, ts, Kind.TRANSFER_FROM, from, to,
                        account(s.getTransferFrom().getSpender(), where + " transfer_from.spender"), s.getAmount().getE8S(), fee,
                        memo, icrc1Memo, created, OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
            }
            case EXTENSION_NOT_SET -> new IcpBlock(index, encoded, hash, parent, ts, Kind.TRANSFER, from, to, null,
                    s.getAmount().getE8S(), fee, memo, icrc1Memo, created, OptionalLong.empty(), OptionalLong.empty(),
                    OptionalLong.empty());
        };
    }

    private static String account(dev.interlock.ic.icp.pb.AccountIdentifier id, String where) {
        try {
            return HexFormat.of().formatHex(AccountIdentifier.normalize(id.getHash().toByteArray()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    public String hashHex() {
        return HexFormat.of().formatHex(hash);
    }
}
