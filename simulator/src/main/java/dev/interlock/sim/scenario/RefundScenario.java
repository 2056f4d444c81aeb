package dev.interlock.sim.scenario;

import java.math.BigInteger;
import java.util.List;

import dev.interlock.ic.Account;
import dev.interlock.ic.Principal;
import dev.interlock.model.AlertClass;
import dev.interlock.sim.engine.CallRecord;
import dev.interlock.sim.engine.Canister;
import dev.interlock.sim.engine.Exec;
import dev.interlock.sim.engine.Wait;

/**
 * 1. Refund/withdraw: check eligibility, await the transfer, then set the "paid" flag. Two
 * interleaved calls of the same user both pass the check: paid twice. Fixed: a per-caller guard
 * released on every path (callback and cleanup), or the flag set before the await and restored
 * on failure. Invariant: at most one payout per user.
 */
public final class RefundScenario implements Scenario {
    @Override
    public String name() {
        return "refund";
    }

    @Override
    public AlertClass alertClass() {
        return AlertClass.DOUBLE_SPEND;
    }

    @Override
    public String description() {
        return "withdraw checks 'paid' before awaiting the transfer and sets it after; fix: guard or flag-first";
    }

    @Override
    public Instance install(World w, Variant variant, long at) {
        Canister c = w.monitored("refund");
        Principal user = w.newUser();
        BigInteger amount = BigInteger.valueOf(1_000 + w.sim.rng().nextInt(99_000));
        c.set("eligible:" + user, amount);
        w.fund(c.id(), amount.multiply(BigInteger.valueOf(5)));
        boolean guardFix = w.sim.rng().chance(0.5);
        c.method("withdraw", variant == Variant.VULNERABLE ? ex -> vulnerable(w, ex)
                : guardFix ? ex -> guarded(w, ex) : ex -> flagFirst(w, ex));
        int calls = 2 + w.sim.rng().nextInt(2);
        for (int i = 0; i < calls; i++) {
            w.sim.ingress(at + w.sim.rng().nextLong(w.rounds(3)), user, c.id(), "withdraw", null);
        }
        return Scenario.Instance.of(List.of(c.id()), () -> {
            List<CallRecord> paid = Evidence.paid(w.sim, c.id(), Account.of(user));
            if (paid.size() <= 1) {
                return List.of();
            }
            return List.of(new Incident(AlertClass.DOUBLE_SPEND, name(), variant.label(), c.id().toString(),
                    user.toString(), Evidence.contexts(paid), Evidence.callIds(paid), Evidence.blocks(paid),
                    World.LEDGER_ID.toString(), Evidence.total(paid).subtract(amount),
                    paid.get(1).sentAt, paid.size() + " payouts for one refund of " + amount));
        });
    }

    private static void vulnerable(World w, Exec ex) {
        String user = ex.caller().toString();
        if (ex.readFlag("paid:" + user)) {
            ex.reject("already paid");
            return;
        }
        BigInteger amount = ex.readNat("eligible:" + user);
        if (amount.signum() == 0) {
            ex.reject("not eligible");
            return;
        }
        ex.transfer(World.LEDGER_ID, ex.pay(Account.of(ex.caller()), amount).withCreatedAt(ex.now()), Wait.UNBOUNDED,
                (cb, o) -> {
                    if (o.transferOk()) {
                        cb.write("paid:" + user, true);
                        cb.reply();
                    } else {
                        cb.reject("transfer failed: " + o);
                    }
                }, null);
    }

    private static void guarded(World w, Exec ex) {
        String user = ex.caller().toString();
        if (!ex.acquire("withdraw:" + user)) {
            ex.reject("a withdrawal is in progress");
            return;
        }
        if (ex.readFlag("paid:" + user)) {
            ex.release("withdraw:" + user);
            ex.reject("already paid");
            return;
        }
        BigInteger amount = ex.readNat("eligible:" + user);
        Exec.CallStart start = ex.transfer(World.LEDGER_ID, ex.pay(Account.of(ex.caller()), amount)
                .withCreatedAt(ex.now()), Wait.UNBOUNDED,
                (cb, o) -> {
                    if (o.transferOk()) {
                        cb.write("paid:" + user, true);
                    }
                    cb.release("withdraw:" + user);
                    if (o.transferOk()) {
                        cb.reply();
                    } else {
                        cb.reject("transfer failed: " + o);
                    }
                }, cu -> cu.release("withdraw:" + user));
        if (!start.sent()) {
            ex.release("withdraw:" + user);
            ex.reject("transfer not sent: " + start.rejectMessage());
        }
    }

    private static void flagFirst(World w, Exec ex) {
        String user = ex.caller().toString();
        if (ex.readFlag("paid:" + user)) {
            ex.reject("already paid");
            return;
        }
        BigInteger amount = ex.readNat("eligible:" + user);
        ex.write("paid:" + user, true);
        Exec.CallStart start = ex.transfer(World.LEDGER_ID, ex.pay(Account.of(ex.caller()), amount).withCreatedAt(ex.now()), Wait.UNBOUNDED,
                (cb, o) -> {
                    if (o.transferOk()) {
                        cb.reply();
                    } else {
                        cb.write("paid:" + user, false);
                        cb.reject("transfer failed: " + o);
                    }
                }, null);
        if (!start.sent()) {
            ex.write("paid:" + user, false);
            ex.reject("transfer not sent: " + start.rejectMessage());
        }
    }
}
