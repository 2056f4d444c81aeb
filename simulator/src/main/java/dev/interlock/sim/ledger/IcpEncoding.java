package dev.interlock.sim.ledger;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;

import dev.interlock.ic.Account;
import dev.interlock.ic.AccountIdentifier;
import dev.interlock.ic.Hashes;
import dev.interlock.ic.Principal;
import dev.interlock.ic.Value;
import dev.interlock.ic.icp.pb.Approve;
import dev.interlock.ic.icp.pb.Block;
import dev.interlock.ic.icp.pb.Burn;
import dev.interlock.ic.icp.pb.Hash;
import dev.interlock.ic.icp.pb.Icrc1Memo;
import dev.interlock.ic.icp.pb.Memo;
import dev.interlock.ic.icp.pb.Mint;
import dev.interlock.ic.icp.pb.Send;
import dev.interlock.ic.icp.pb.TimeStamp;
import dev.interlock.ic.icp.pb.Tokens;
import dev.interlock.ic.icp.pb.Transaction;
import dev.interlock.ic.icp.pb.TransferFrom;

/**
 * A simulator ledger's blocks as the ICP ledger stores them: each block is a protobuf {@code Block}
 * (accounts as 32-byte account identifiers, amounts in e8s, the ICRC-1 memo in {@code icrc1_memo}),
 * chained by the SHA-256 of the previous block's encoding, as the ICP ledger chains them. The view
 * follows the ledger as it grows; amounts must fit in 64 bits, as on the ICP ledger.
 */
public final class IcpEncoding {
    private final IcrcLedger ledger;
    private final List<byte[]> encoded = new ArrayList<>();
    private final List<byte[]> hashes = new ArrayList<>();

    public IcpEncoding(IcrcLedger ledger) {
        this.ledger = ledger;
    }

    public IcrcLedger ledger() {
        return ledger;
    }

    /** The encoded block {@code index}, as {@code query_encoded_blocks} returns it. */
    public synchronized byte[] block(long index) {
        catchUp();
        return encoded.get(Math.toIntExact(index));
    }

    /** SHA-256 of the encoded block {@code index}: its hash on the ICP ledger. */
    public synchronized byte[] hash(long index) {
        catchUp();
        return hashes.get(Math.toIntExact(index)).clone();
    }

    /** The certified data of the ICP ledger: the raw hash of the last block, or 32 zero bytes when empty. */
    public synchronized byte[] tipHash() {
        catchUp();
        return hashes.isEmpty() ? new byte[32] : hashes.get(hashes.size() - 1).clone();
    }

    /**
     * The block {@code index} altered after the fact (its memo changed) while its parent hash still
     * matches: what a compromised node would serve. Its hash no longer matches its successor's parent hash.
     */
    public synchronized byte[] tampered(long index) {
        catchUp();
        Block b = encode(ledger.blocks().get(Math.toIntExact(index)), index == 0 ? null : hashes.get(Math.toIntExact(index) - 1));
        Transaction tx = b.getTransaction().toBuilder().setMemo(Memo.newBuilder().setMemo(0xBAD)).build();
        return b.toBuilder().setTransaction(tx).build().toByteArray();
    }

    private void catchUp() {
        List<Value.Map> blocks = ledger.blocks();
        while (encoded.size() < blocks.size()) {
            int i = encoded.size();
            byte[] bytes = encode(blocks.get(i), i == 0 ? null : hashes.get(i - 1)).toByteArray();
            encoded.add(bytes);
            hashes.add(Hashes.sha256(bytes));
        }
    }

    /** One ICRC-3 block of the simulator as an ICP ledger {@code Block}. */
    static Block encode(Value.Map block, byte[] parentHash) {
        Value.Map tx = (Value.Map) block.get("tx");
        String op = ((Value.Text) tx.get("op")).value();
        Transaction.Builder t = Transaction.newBuilder().setMemo(Memo.newBuilder().setMemo(0));
        if (tx.get("memo") instanceof Value.Blob m) {
            t.setIcrc1Memo(Icrc1Memo.newBuilder().setMemo(ByteString.copyFrom(m.bytes())));
        }
        if (tx.get("ts") != null) {
            t.setCreatedAtTime(time(nat(tx.get("ts"))));
        }
        Tokens amount = tokens(nat(tx.get("amt")));
        switch (op) {
            case "mint" -> t.setMint(Mint.newBuilder().setTo(aid(tx.get("to"))).setAmount(amount));
            case "burn" -> {
                Burn.Builder b = Burn.newBuilder().setFrom(aid(tx.get("from"))).setAmount(amount);
                if (tx.get("spender") != null) {
                    b.setSpender(aid(tx.get("spender")));
                }
                t.setBurn(b);
            }
            case "approve" -> {
                Approve.Builder a = Approve.newBuilder().setAllowance(amount);
                if (tx.get("expected_allowance") != null) {
                    a.setExpectedAllowance(tokens(nat(tx.get("expected_allowance"))));
                }
                if (tx.get("expires_at") != null) {
                    a.setExpiresAt(time(nat(tx.get("expires_at"))));
                }
                t.setSend(Send.newBuilder().setFrom(aid(tx.get("from"))).setTo(aid(tx.get("spender")))
                        .setAmount(tokens(0)).setMaxFee(tokens(fee(block, tx))).setApprove(a));
            }
            default -> {
                Send.Builder s = Send.newBuilder().setFrom(aid(tx.get("from"))).setTo(aid(tx.get("to"))).setAmount(amount)
                        .setMaxFee(tokens(fee(block, tx)));
                if (tx.get("spender") != null) {
                    s.setTransferFrom(TransferFrom.newBuilder().setSpender(aid(tx.get("spender"))));
                }
                t.setSend(s);
            }
        }
        Block.Builder b = Block.newBuilder().setTimestamp(time(nat(block.get("ts")))).setTransaction(t);
        if (parentHash != null) {
            b.setParentHash(Hash.newBuilder().setHash(ByteString.copyFrom(parentHash)));
        }
        return b.build();
    }

    private static long fee(Value.Map block, Value.Map tx) {
        Value f = tx.get("fee") != null ? tx.get("fee") : block.get("fee");
        return f == null ? 0 : nat(f);
    }

    private static long nat(Value v) {
        BigInteger n = ((Value.Nat) v).value();
        if (n.bitLength() > 64) {
            throw new IllegalArgumentException("ICP amounts and times are 64-bit; got " + n);
        }
        return n.longValue();
    }

    private static Tokens tokens(long e8s) {
        return Tokens.newBuilder().setE8S(e8s).build();
    }

    private static TimeStamp time(long nanos) {
        return TimeStamp.newBuilder().setTimestampNanos(nanos).build();
    }

    private static dev.interlock.ic.icp.pb.AccountIdentifier aid(Value v) {
        Value.Array a = (Value.Array) v;
        Principal owner = Principal.of(((Value.Blob) a.items().get(0)).bytes());
        byte[] sub = a.items().size() > 1 ? ((Value.Blob) a.items().get(1)).bytes() : null;
        return dev.interlock.ic.icp.pb.AccountIdentifier.newBuilder()
                .setHash(ByteString.copyFrom(AccountIdentifier.of(Account.of(owner, sub)))).build();
    }
}
