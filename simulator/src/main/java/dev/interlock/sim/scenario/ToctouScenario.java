package dev.interlock.sim.scenario;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import dev.interlock.ic.Account;
import dev.interlock.ic.Principal;
import dev.interlock.model.AlertClass;
import dev.interlock.sim.engine.CallRecord;
import dev.interlock.sim.engine.Canister;
import dev.interlock.sim.engine.ContextRecord;
import dev.interlock.sim.engine.Exec;
import dev.interlock.sim.engine.Wait;

/**
 * 2. TOCTOU: a vault checks the user's balance before awaiting the transfer and writes
 * {@code balance - amount} from the value it read, after the await, while another context spent
 * it meanwhile (lost update, overdraft). Fixed: deduct before the await, restore on failure.
 * Invariant: paid out + internal balance = deposit.
 */
public final class ToctouScenario implements Scenario {
    @Override
    public String name() {
        return "toctou";
    }

    @Override
    public AlertClass alertClass() {
        return AlertClass.REENTRANCY;
    }

    @Override
    public String description() {
        return "balance read before the await is written back stale after it; fix: deduct first, restore on failure";
    }

    @Override
    public Instance install(World w, Variant variant, long at) {
        Canister c = w.monitored("vault");
        Principal user = w.newUser();
        BigInteger deposit = BigInteger.valueOf(10_000 + w.sim.rng().nextInt(90_000));
        c.set("balance:" + user, deposit);
        // The vault pools many users' funds: the ledger would pay an overdraft.
        w.fund(c.id(), deposit.multiply(BigInteger.valueOf(10)));
        c.method("withdraw", variant == Variant.VULNERABLE ? ToctouScenario::vulnerable : ToctouScenario::fixed);
        int calls = 2 + w.sim.rng().nextInt(2);
        List<Integer> percents = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            // Each withdrawal alone is covered; together they exceed the deposit. Distinct amounts: distinct
            // requests (two equal ones at once could as well be one request paid twice).
            int pct;
            do {
                pct = 55 + w.sim.rng().nextInt(40);
            } while (percents.contains(pct));
            percents.add(pct);
            BigInteger amount = deposit.multiply(BigInteger.valueOf(pct)).divide(BigInteger.valueOf(100));
            w.sim.ingress(at + w.sim.rng().nextLong(w.rounds(3)), user, c.id(), "withdraw", amount);
        }
        return Scenario.Instance.of(List.of(c.id()), () -> {
            List<CallRecord> paid = Evidence.paid(w.sim, c.id(), Account.of(user));
            BigInteger balance = Evidence.nat(c.get("balance:" + user));
            BigInteger excess = Evidence.total(paid).add(balance).subtract(deposit);
            if (excess.signum() == 0) {
                return List.of();
            }
            List<String> contexts = new ArrayList<>();
            for (ContextRecord ctx : w.sim.contextsOf(c.id())) {
                if (ctx.caller.equals(user)) {
                    contexts.add(ctx.id);
                }
            }
            return List.of(new Incident(AlertClass.REENTRANCY, name(), variant.label(), c.id().toString(),
                    user.toString(), contexts, Evidence.callIds(paid), Evidence.blocks(paid),
                    World.LEDGER_ID.toString(), excess.abs(), paid.isEmpty() ? at : paid.get(paid.size() - 1).sentAt,
                    "balance:" + user + " read before an await was overwritten stale: paid " + Evidence.total(paid)
                            + ", left " + balance + ", deposit " + deposit));
        });
    }

    private static void vulnerable(Exec ex) {
        BigInteger amount = ex.args();
        String key = "balance:" + ex.caller();
        BigInteger balance = ex.readNat(key);
        if (balance.compareTo(amount) < 0) {
            ex.reject("insufficient balance");
            return;
        }
        ex.transfer(World.LEDGER_ID, ex.pay(Account.of(ex.caller()), amount).withCreatedAt(ex.now()), Wait.UNBOUNDED,
                (cb, o) -> {
                    if (o.transferOk()) {
                        cb.write(key, balance.subtract(amount)); // stale: read before the await
                        cb.reply();
                    } else {
                        cb.reject("transfer failed: " + o);
                    }
                }, null);
    }

    private static void fixed(Exec ex) {
        BigInteger amount = ex.args();
        String key = "balance:" + ex.caller();
        BigInteger balance = ex.readNat(key);
        if (balance.compareTo(amount) < 0) {
            ex.reject("insufficient balance");
            return;
        }
        ex.write(key, balance.subtract(amount));
        Exec.CallStart start = ex.transfer(World.LEDGER_ID, ex.pay(Account.of(ex.caller()), amount)
                .withCreatedAt(ex.now()), Wait.UNBOUNDED, (cb, o) -> {
                    if (o.transferOk()) {
                        cb.reply();
                    } else {
                        cb.write(key, cb.readNat(key).add(amount));
                        cb.reject("transfer failed: " + o);
                    }
                }, null);
        if (!start.sent()) {
            ex.write(key, balance);
            ex.reject("transfer not sent: " + start.rejectMessage());
        }
    }
}
