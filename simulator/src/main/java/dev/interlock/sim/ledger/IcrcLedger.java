package dev.interlock.sim.ledger;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.interlock.ic.Account;
import dev.interlock.ic.Principal;
import dev.interlock.ic.Value;
import dev.interlock.ic.ValueHash;

/**
 * An ICRC-1/ICRC-2 ledger as DFINITY's ledger behaves: balances, a fixed fee (paid to the fee
 * collector if one is set, else burned), deduplication of transactions that carry
 * {@code created_at_time} within the transaction window plus the permitted drift
 * ({@code Duplicate}, {@code TooOld}, {@code CreatedInFuture}), allowances, and an ICRC-3 block
 * log in the ICRC-1/2 schema, hash-chained with the representation-independent hash and split
 * across the ledger and archive canisters once it grows.
 */
public final class IcrcLedger {
    public static final long DEFAULT_TX_WINDOW_NANOS = 24L * 3600 * 1_000_000_000L;
    public static final long DEFAULT_PERMITTED_DRIFT_NANOS = 60L * 1_000_000_000L;

    private final Principal id;
    private final Account minting;
    private final BigInteger fee;
    private final Account feeCollector;
    private final long txWindow;
    private final long drift;
    private final int triggerThreshold;
    private final int numToArchive;
    private final int archiveCapacity;

    private final Map<Account, BigInteger> balances = new HashMap<>();
    private final Map<List<Account>, Allowance> allowances = new HashMap<>();
    private final Map<DedupKey, Long> seen = new HashMap<>();
    private final ArrayDeque<DedupEntry> seenOrder = new ArrayDeque<>();
    private final List<Value.Map> blocks = new ArrayList<>();
    private final List<byte[]> hashes = new ArrayList<>();
    private final List<Archive> archives = new ArrayList<>();
    private long archived;
    private Long feeCollectorBlock;

    private record Allowance(BigInteger amount, Long expiresAt) {
    }

    private record DedupKey(Principal caller, String method, TransferArgs args) {
    }

    private record DedupEntry(DedupKey key, long createdAt) {
    }

    /** An archive canister and the block range it holds. */
    public record Archive(Principal canister, long start, long length) {
    }

    public IcrcLedger(Principal id, Account minting, BigInteger fee, Account feeCollector) {
        this(id, minting, fee, feeCollector, DEFAULT_TX_WINDOW_NANOS, DEFAULT_PERMITTED_DRIFT_NANOS, 2000, 1000, 10_000);
    }

    public IcrcLedger(Principal id, Account minting, BigInteger fee, Account feeCollector, long txWindowNanos,
            long permittedDriftNanos, int triggerThreshold, int numToArchive, int archiveCapacity) {
        this.id = id;
        this.minting = minting;
        this.fee = fee;
        this.feeCollector = feeCollector;
        this.txWindow = txWindowNanos;
        this.drift = permittedDriftNanos;
        this.triggerThreshold = triggerThreshold;
        this.numToArchive = numToArchive;
        this.archiveCapacity = archiveCapacity;
    }

    public Principal id() {
        return id;
    }

    public BigInteger fee() {
        return fee;
    }

    public Account mintingAccount() {
        return minting;
    }

    public BigInteger balance(Account a) {
        return balances.getOrDefault(a, BigInteger.ZERO);
    }

    /** {@code icrc1_transfer}: a mint when the caller's account is the minting account, a burn when {@code to} is. */
    public TransferResult transfer(Principal caller, TransferArgs args, long now) {
        boolean mint = args.from().equals(minting);
        boolean burn = args.to().equals(minting);
        BigInteger effectiveFee = mint || burn ? BigInteger.ZERO : fee;
        TransferResult early = validate("icrc1_transfer", caller, args, effectiveFee, now);
        if (early != null) {
            return early;
        }
        if (!mint) {
            BigInteger available = balance(args.from());
            if (available.compareTo(args.amount().add(effectiveFee)) < 0) {
                return TransferResult.err(TransferResult.Error.INSUFFICIENT_FUNDS, available);
            }
            debit(args.from(), args.amount().add(effectiveFee));
        }
        if (!burn) {
            credit(args.to(), args.amount());
        }
        String op = mint ? "mint" : burn ? "burn" : "xfer";
        long index = append(op, args, effectiveFee, now, mint, burn);
        remember("icrc1_transfer", caller, args, index);
        return TransferResult.ok(index);
    }

    /** {@code icrc2_transfer_from}: the caller's account (args.spender) spends from args.from's allowance. */
    public TransferResult transferFrom(Principal caller, TransferArgs args, long now) {
        TransferResult early = validate("icrc2_transfer_from", caller, args, fee, now);
        if (early != null) {
            return early;
        }
        List<Account> key = List.of(args.from(), args.spender());
        Allowance allowance = allowances.get(key);
        BigInteger needed = args.amount().add(fee);
        BigInteger allowed = allowance == null || (allowance.expiresAt() != null && allowance.expiresAt() <= now)
                ? BigInteger.ZERO : allowance.amount();
        if (allowed.compareTo(needed) < 0) {
            return TransferResult.err(TransferResult.Error.INSUFFICIENT_ALLOWANCE, allowed);
        }
        BigInteger available = balance(args.from());
        if (available.compareTo(needed) < 0) {
            return TransferResult.err(TransferResult.Error.INSUFFICIENT_FUNDS, available);
        }
        allowances.put(key, new Allowance(allowed.subtract(needed), allowance.expiresAt()));
        debit(args.from(), needed);
        credit(args.to(), args.amount());
        long index = append("xfer", args, fee, now, false, false);
        remember("icrc2_transfer_from", caller, args, index);
        return TransferResult.ok(index);
    }

    /**
     * {@code icrc2_approve}: args.from is the approver's account, args.spender the spender,
     * args.amount the new allowance; {@code expectedAllowance} and {@code expiresAt} optional.
     */
    public TransferResult approve(Principal caller, TransferArgs args, BigInteger expectedAllowance, Long expiresAt,
            long now) {
        TransferResult early = validate("icrc2_approve", caller, args, fee, now);
        if (early != null) {
            return early;
        }
        if (expiresAt != null && expiresAt <= now) {
            return TransferResult.err(TransferResult.Error.GENERIC_ERROR, BigInteger.valueOf(expiresAt));
        }
        List<Account> key = List.of(args.from(), args.spender());
        Allowance current = allowances.get(key);
        BigInteger currentAmount = current == null ? BigInteger.ZERO : current.amount();
        if (expectedAllowance != null && !expectedAllowance.equals(currentAmount)) {
            return TransferResult.err(TransferResult.Error.GENERIC_ERROR, currentAmount);
        }
        BigInteger available = balance(args.from());
        if (available.compareTo(fee) < 0) {
            return TransferResult.err(TransferResult.Error.INSUFFICIENT_FUNDS, available);
        }
        debit(args.from(), fee);
        allowances.put(key, new Allowance(args.amount(), expiresAt));
        Value.MapBuilder tx = Value.map().put("amt", Value.nat(args.amount()));
        if (expectedAllowance != null) {
            tx.put("expected_allowance", Value.nat(expectedAllowance));
        }
        if (expiresAt != null) {
            tx.put("expires_at", Value.nat(expiresAt));
        }
        if (args.fee() != null) {
            tx.put("fee", Value.nat(args.fee()));
        }
        tx.put("from", Value.account(args.from()));
        if (args.memo() != null) {
            tx.put("memo", Value.blob(args.memo()));
        }
        tx.put("op", Value.text("approve")).put("spender", Value.account(args.spender()));
        if (args.createdAtTime() != null) {
            tx.put("ts", Value.nat(args.createdAtTime()));
        }
        long index = appendBlock(args.fee() == null ? fee : null, now, tx.build(), true);
        remember("icrc2_approve", caller, args, index);
        return TransferResult.ok(index);
    }

    private TransferResult validate(String method, Principal caller, TransferArgs args, BigInteger expectedFee,
            long now) {
        if (args.fee() != null && !args.fee().equals(expectedFee)) {
            return TransferResult.err(TransferResult.Error.BAD_FEE, expectedFee);
        }
        Long created = args.createdAtTime();
        if (created != null) {
            if (created + txWindow + drift < now) {
                return TransferResult.err(TransferResult.Error.TOO_OLD, null);
            }
            if (created > now + drift) {
                return TransferResult.err(TransferResult.Error.CREATED_IN_FUTURE, BigInteger.valueOf(now));
            }
            evictOlderThan(now - txWindow - drift);
            Long dup = seen.get(new DedupKey(caller, method, args));
            if (dup != null) {
                return TransferResult.err(TransferResult.Error.DUPLICATE, BigInteger.valueOf(dup));
            }
        }
        return null;
    }

    private void remember(String method, Principal caller, TransferArgs args, long index) {
        if (args.createdAtTime() != null) {
            DedupKey k = new DedupKey(caller, method, args);
            seen.put(k, index);
            seenOrder.add(new DedupEntry(k, args.createdAtTime()));
        }
    }

    private void evictOlderThan(long cutoff) {
        // Entries are evicted by created_at_time; out-of-order ones leave with the first older entry after them.
        while (!seenOrder.isEmpty() && seenOrder.peekFirst().createdAt() < cutoff) {
            seen.remove(seenOrder.pollFirst().key());
        }
    }

    private void debit(Account a, BigInteger amount) {
        balances.put(a, balance(a).subtract(amount));
    }

    private void credit(Account a, BigInteger amount) {
        balances.merge(a, amount, BigInteger::add);
    }

    private long append(String op, TransferArgs args, BigInteger effectiveFee, long now, boolean mint, boolean burn) {
        Value.MapBuilder tx = Value.map().put("amt", Value.nat(args.amount()));
        if (args.fee() != null) {
            tx.put("fee", Value.nat(args.fee()));
        }
        if (!mint) {
            tx.put("from", Value.account(args.from()));
        }
        if (args.memo() != null) {
            tx.put("memo", Value.blob(args.memo()));
        }
        tx.put("op", Value.text(op));
        if (args.spender() != null) {
            tx.put("spender", Value.account(args.spender()));
        }
        if (!burn) {
            tx.put("to", Value.account(args.to()));
        }
        if (args.createdAtTime() != null) {
            tx.put("ts", Value.nat(args.createdAtTime()));
        }
        BigInteger topFee = !mint && !burn && args.fee() == null ? effectiveFee : null;
        return appendBlock(topFee, now, tx.build(), !mint && !burn);
    }

    private long appendBlock(BigInteger topLevelFee, long now, Value.Map tx, boolean paysFee) {
        long index = blocks.size();
        Value.MapBuilder b = Value.map();
        if (topLevelFee != null) {
            b.put("fee", Value.nat(topLevelFee));
        }
        if (paysFee && feeCollector != null) {
            if (feeCollectorBlock == null) {
                b.put("fee_col", Value.account(feeCollector));
                feeCollectorBlock = index;
            } else {
                b.put("fee_col_block", Value.nat(feeCollectorBlock));
            }
            credit(feeCollector, fee);
        }
        if (index > 0) {
            b.put("phash", Value.blob(hashes.get((int) index - 1)));
        }
        b.put("ts", Value.nat(now)).put("tx", tx);
        Value.Map block = b.build();
        blocks.add(block);
        hashes.add(ValueHash.hash(block));
        maybeArchive();
        return index;
    }

    private void maybeArchive() {
        if (blocks.size() - archived <= triggerThreshold) {
            return;
        }
        long toMove = numToArchive;
        while (toMove > 0) {
            Archive last = archives.isEmpty() ? null : archives.get(archives.size() - 1);
            if (last == null || last.length() >= archiveCapacity) {
                byte[] base = id.bytes();
                byte[] archiveId = java.util.Arrays.copyOf(base, base.length);
                // the top byte of the canister number: archives of ledgers with small numbers never collide
                archiveId[0] ^= (byte) (archives.size() + 1);
                last = new Archive(Principal.of(archiveId), archived, 0);
                archives.add(last);
            }
            long room = archiveCapacity - last.length();
            long n = Math.min(room, toMove);
            archives.set(archives.size() - 1, new Archive(last.canister(), last.start(), last.length() + n));
            archived += n;
            toMove -= n;
        }
    }

    public List<Value.Map> blocks() {
        return java.util.Collections.unmodifiableList(blocks);
    }

    public byte[] hash(long index) {
        return hashes.get((int) index).clone();
    }

    public long length() {
        return blocks.size();
    }

    public List<Archive> archives() {
        return List.copyOf(archives);
    }

    /** The canister that serves block {@code index}: an archive, or the ledger for recent blocks. */
    public Principal holderOf(long index) {
        for (Archive a : archives) {
            if (index >= a.start() && index < a.start() + a.length()) {
                return a.canister();
            }
        }
        return id;
    }

    @Override
    public String toString() {
        return "IcrcLedger[" + id + ", " + blocks.size() + " blocks]";
    }

    @Override
    public int hashCode() {
        return Objects.hash(id);
    }

    @Override
    public boolean equals(Object o) {
        return o == this;
    }
}
