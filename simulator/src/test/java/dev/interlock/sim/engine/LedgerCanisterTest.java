package dev.interlock.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.interlock.ic.Account;
import dev.interlock.ic.Principal;
import dev.interlock.sim.ledger.ApproveArgs;
import dev.interlock.sim.ledger.IcrcLedger;
import dev.interlock.sim.ledger.TransferArgs;
import dev.interlock.sim.ledger.TransferResult;

/** The ledger as a canister: approve and transfer_from between two canisters, through real calls. */
class LedgerCanisterTest {
    private static final long START = 1_767_225_600_000_000_000L;
    private static final long ROUND = 500_000_000L;

    @Test
    void aSpenderCanisterMovesFundsWithinTheAllowanceAnOwnerCanisterApproved() {
        Sim sim = new Sim(1, START, ROUND, Evidence.FULL, SimSink.NONE);
        Principal minter = Principal.canister(1);
        IcrcLedger ledger = new IcrcLedger(Principal.canister(2), Account.of(minter), BigInteger.TEN, null);
        sim.add(new LedgerCanister(ledger));
        Canister owner = sim.add(new Canister(Principal.canister(3), "owner", true, Canister.Language.RUST, 4096));
        Canister spender = sim.add(new Canister(Principal.canister(4), "spender", true, Canister.Language.RUST, 4096));
        Principal target = Principal.canister(5);
        ledger.transfer(minter, TransferArgs.transfer(Account.of(minter), Account.of(owner.id()), BigInteger.valueOf(1_000)), START);
        List<Object> results = new ArrayList<>();
        owner.method("approve", ex -> ex.call(ledger.id(), "icrc2_approve", new ApproveArgs(Account.of(owner.id()),
                Account.of(spender.id()), BigInteger.valueOf(300), null, null, null, null, null), Wait.UNBOUNDED,
                (cb, o) -> {
                    results.add(o.payload());
                    cb.reply();
                }, null));
        spender.method("pull", ex -> ex.call(ledger.id(), "icrc2_transfer_from", new TransferArgs(Account.of(owner.id()),
                Account.of(target), BigInteger.valueOf(250), null, null, null, Account.of(spender.id())), Wait.UNBOUNDED,
                (cb, o) -> {
                    results.add(o.payload());
                    cb.reply();
                }, null));
        sim.ingress(START, Principal.canister(9), owner.id(), "approve", null);
        sim.ingress(START + 10 * ROUND, Principal.canister(9), spender.id(), "pull", null);
        sim.runUntil(START + 30 * ROUND);

        assertThat(results).hasSize(2).allSatisfy(r -> assertThat(((TransferResult) r).isOk()).isTrue());
        assertThat(ledger.balance(Account.of(target))).isEqualTo(BigInteger.valueOf(250));
        assertThat(ledger.balance(Account.of(owner.id()))).isEqualTo(BigInteger.valueOf(1_000 - 10 - 250 - 10));
    }
}
