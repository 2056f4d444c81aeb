package dev.interlock.bench;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.interlock.ic.Account;
import dev.interlock.ic.Hashes;
import dev.interlock.ic.Principal;
import dev.interlock.ic.Value;
import dev.interlock.ic.ValueHash;
import dev.interlock.ic.icp.IcpBlock;
import dev.interlock.sim.ledger.IcpEncoding;
import dev.interlock.sim.ledger.IcrcLedger;
import dev.interlock.sim.ledger.TransferArgs;

/**
 * Block hashing on one thread (one core): the ICRC-3 hash of a block's Value (transfers with memo,
 * created_at_time and fee, mints, approves), the SHA-256 of an ICP ledger block's protobuf encoding,
 * and the ICP block decoded and hashed as the ingester does it. Scores are blocks per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 5)
public class BlockHashBench {
    private static final int BLOCKS = 4_096;

    private Value[] icrc;
    private byte[][] icp;
    private int next;

    @Setup
    public void setup() {
        Principal minter = Principal.canister(1);
        IcrcLedger ledger = new IcrcLedger(Principal.canister(2), Account.of(minter), BigInteger.valueOf(10_000), null);
        List<Account> users = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            byte[] sub = new byte[32];
            sub[31] = (byte) i;
            users.add(Account.of(Principal.selfAuthenticating(new byte[] {(byte) i, 1, 2, 3}), i % 2 == 0 ? null : sub));
        }
        for (Account u : users) {
            ledger.transfer(minter, TransferArgs.transfer(Account.of(minter), u, BigInteger.valueOf(1_000_000_000_000L)), 1_000);
        }
        long now = 1_764_000_000_000_000_000L;
        for (int i = ledger.blocks().size(); i < BLOCKS; i++) {
            Account from = users.get(i % users.size());
            Account to = users.get((i * 7 + 3) % users.size());
            TransferArgs t = TransferArgs.transfer(from, to, BigInteger.valueOf(100_000 + i)).withMemo(new byte[] {(byte) i, 2, 3, 4, 5, 6, 7, 8})
                    .withCreatedAt(now + i);
            ledger.transfer(from.owner(), t, now + i);
        }
        icrc = ledger.blocks().toArray(new Value[0]);
        IcpEncoding encoding = new IcpEncoding(ledger);
        icp = new byte[icrc.length][];
        for (int i = 0; i < icrc.length; i++) {
            icp[i] = encoding.block(i);
        }
    }

    private int nextIndex() {
        int i = next;
        next = (i + 1) & (BLOCKS - 1);
        return i;
    }

    @Benchmark
    public byte[] icrc3ValueHash() {
        return ValueHash.hash(icrc[nextIndex()]);
    }

    @Benchmark
    public byte[] icpSha256() {
        return Hashes.sha256(icp[nextIndex()]);
    }

    @Benchmark
    public IcpBlock icpDecodeAndHash() {
        int i = nextIndex();
        return IcpBlock.decode(i, icp[i]);
    }
}
