package dev.interlock.sim.scenario;

import java.math.BigInteger;
import java.nio.ByteBuffer;

import dev.interlock.ic.Account;
import dev.interlock.ic.Hashes;
import dev.interlock.ic.Principal;
import dev.interlock.sim.engine.Canister;
import dev.interlock.sim.engine.LedgerCanister;
import dev.interlock.sim.engine.Rng;
import dev.interlock.sim.engine.Sim;
import dev.interlock.sim.ledger.IcrcLedger;
import dev.interlock.sim.ledger.TransferArgs;
import dev.interlock.sim.ledger.TransferResult;

/** A simulation plus what scenarios share: one ICRC ledger, its minter, id allocation. */
public final class World {
    public static final Principal LEDGER_ID = Principal.fromText("mxzaz-hqaaa-aaaar-qaada-cai");
    public static final BigInteger FEE = BigInteger.TEN;

    public final Sim sim;
    public final LedgerCanister ledgerCanister;
    public final IcrcLedger ledger;
    public final Principal minter;
    private final Rng ids;
    private final int logLimit;
    private long nextCanister = 0x1000;
    private long nextUser;

    public World(Sim sim, long idSeed, int logLimit) {
        this.sim = sim;
        this.ids = new Rng(idSeed);
        this.logLimit = logLimit;
        this.minter = newCanisterId();
        this.ledger = new IcrcLedger(LEDGER_ID, Account.of(minter), FEE, Account.of(Principal.canister(0x0fff)));
        this.ledgerCanister = sim.add(new LedgerCanister(ledger));
    }

    public Principal newCanisterId() {
        return Principal.canister(nextCanister++);
    }

    /** A self-authenticating user principal (as from an Ed25519/secp256k1 key). */
    public Principal newUser() {
        byte[] key = ByteBuffer.allocate(16).putLong(ids.nextLong(Long.MAX_VALUE)).putLong(nextUser++).array();
        return Principal.selfAuthenticating(Hashes.sha256(key));
    }

    /** A monitored canister that prints call-trace lines. */
    public Canister monitored(String name) {
        Canister.Language lang = ids.chance(0.3) ? Canister.Language.MOTOKO : Canister.Language.RUST;
        return sim.add(new Canister(newCanisterId(), name, true, lang, logLimit));
    }

    /** A canister Interlock does not see the logs of (third parties). */
    public Canister unmonitored(String name) {
        return sim.add(new Canister(newCanisterId(), name, false, Canister.Language.RUST, logLimit));
    }

    /** Mints {@code amount} to the owner's default account (a mint block). */
    public void fund(Principal owner, BigInteger amount) {
        TransferResult r = ledger.transfer(minter, TransferArgs.transfer(Account.of(minter), Account.of(owner), amount),
                sim.now());
        if (!r.isOk()) {
            throw new IllegalStateException("funding failed: " + r);
        }
    }

    public long rounds(int n) {
        return n * sim.roundNanos();
    }
}
