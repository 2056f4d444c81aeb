package dev.interlock.sim.scenario;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import dev.interlock.ic.Account;
import dev.interlock.ic.Principal;
import dev.interlock.model.AlertClass;
import dev.interlock.sim.engine.CallRecord;
import dev.interlock.sim.engine.Canister;
import dev.interlock.sim.engine.Callback;
import dev.interlock.sim.engine.ContextRecord;
import dev.interlock.sim.engine.Exec;
import dev.interlock.sim.engine.Wait;
import dev.interlock.sim.ledger.TransferArgs;

/**
 * 4. Mishandled rejects. (a) The user's balance is debited before the transfer call, and a
 * reject (queue full at the ledger), an error reply or a synchronous send failure is not rolled
 * back; in Motoko the uncaught {@code #call_error} throw commits the debit. Invariant: paid +
 * balance = deposit. (b) A bounded-wait transfer answered SYS_UNKNOWN is treated as failed and
 * retried with a new {@code created_at_time}, so the ledger cannot deduplicate: paid twice. Fixed:
 * restore on every failure; retry with the same arguments, and accept {@code Duplicate} as done.
 */
public final class RejectScenario implements Scenario {
    @Override
    public String name() {
        return "reject";
    }

    @Override
    public AlertClass alertClass() {
        return AlertClass.UNHANDLED_REJECT;
    }

    @Override
    public String description() {
        return "a reject or send failure leaves the debit in place, or SYS_UNKNOWN is retried as new; fix: restore, "
                + "retry idempotently";
    }

    @Override
    public Instance install(World w, Variant variant, long at) {
        return w.sim.rng().chance(0.5) ? debit(w, variant, at) : unknownRetry(w, variant, at);
    }

    private Instance debit(World w, Variant variant, long at) {
        Canister c = w.monitored("exchange").syncFail(0.25);
        w.ledgerCanister.rejectFrom(c.id(), 0.35);
        Principal user = w.newUser();
        BigInteger deposit = BigInteger.valueOf(50_000 + w.sim.rng().nextInt(50_000));
        c.set("balance:" + user, deposit);
        w.fund(c.id(), deposit.multiply(BigInteger.valueOf(3)));
        boolean motoko = c.language() == Canister.Language.MOTOKO;
        c.method("withdraw", ex -> {
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
                        } else if (variant == Variant.FIXED) {
                            cb.write(key, cb.readNat(key).add(amount));
                            cb.reject("transfer failed: " + o);
                        } else {
                            cb.reject("transfer failed: " + o); // the debit stays
                        }
                    }, null);
            if (!start.sent()) {
                if (variant == Variant.FIXED) {
                    ex.write(key, balance);
                    ex.reject("transfer not sent: " + start.rejectMessage());
                } else if (motoko) {
                    ex.throwUncaught("call_error: " + start.rejectMessage()); // commits the debit
                } else {
                    ex.reject("transfer not sent: " + start.rejectMessage()); // returns Err, debit committed
                }
            }
        });
        int calls = 3 + w.sim.rng().nextInt(3);
        BigInteger each = deposit.divide(BigInteger.valueOf(calls + 1));
        for (int i = 0; i < calls; i++) {
            w.sim.ingress(at + w.rounds(6 * i), user, c.id(), "withdraw", each);
        }
        return Scenario.Instance.of(List.of(c.id()), () -> {
            List<CallRecord> paid = Evidence.paid(w.sim, c.id(), Account.of(user));
            BigInteger balance = Evidence.nat(c.get("balance:" + user));
            BigInteger lost = deposit.subtract(Evidence.total(paid)).subtract(balance);
            if (lost.signum() == 0) {
                return List.of();
            }
            List<String> contexts = new ArrayList<>();
            List<CallRecord> failed = new ArrayList<>();
            for (ContextRecord ctx : w.sim.contextsOf(c.id())) {
                if (!ctx.replied && !ctx.open()) {
                    contexts.add(ctx.id);
                    failed.addAll(ctx.calls);
                }
            }
            return List.of(new Incident(AlertClass.UNHANDLED_REJECT, name(), variant.label(), c.id().toString(),
                    user.toString(), contexts, Evidence.callIds(failed), List.of(), World.LEDGER_ID.toString(), lost,
                    failed.isEmpty() ? at : failed.get(0).sentAt,
                    "debited " + lost + " for transfers that never happened (reject or send failure not rolled back)"));
        });
    }

    private Instance unknownRetry(World w, Variant variant, long at) {
        Canister c = w.monitored("payout");
        Principal user = w.newUser();
        BigInteger amount = BigInteger.valueOf(2_000 + w.sim.rng().nextInt(30_000));
        w.fund(c.id(), amount.multiply(BigInteger.valueOf(6)));
        long deadline = w.rounds(2 + w.sim.rng().nextInt(4));
        c.method("payout", ex -> {
            TransferArgs args = ex.pay(Account.of(ex.caller()), amount).withCreatedAt(ex.now())
                    .withMemo(ex.contextId().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            attempt(ex, args, variant, deadline, 3);
        });
        w.sim.ingress(at, user, c.id(), "payout", null);
        return Scenario.Instance.of(List.of(c.id()), () -> {
            List<CallRecord> paid = Evidence.paid(w.sim, c.id(), Account.of(user));
            if (paid.size() <= 1) {
                return List.of();
            }
            return List.of(new Incident(AlertClass.DOUBLE_SPEND, name(), variant.label(), c.id().toString(),
                    user.toString(), Evidence.contexts(paid), Evidence.callIds(paid), Evidence.blocks(paid),
                    World.LEDGER_ID.toString(), Evidence.total(paid).subtract(amount), paid.get(1).sentAt,
                    "SYS_UNKNOWN treated as failure and retried with a new created_at_time: " + paid.size()
                            + " payouts"));
        });
    }

    private static void attempt(Exec ex, TransferArgs args, Variant variant, long deadline, int triesLeft) {
        Callback onResponse = (cb, o) -> {
            if (o.transferOk() || o.transferDuplicate()) {
                cb.reply();
            } else if (o.unknown() && triesLeft > 1) {
                // Vulnerable: a "new" transfer. Fixed: the very same one, which the ledger deduplicates.
                TransferArgs retry = variant == Variant.FIXED ? args : args.withCreatedAt(cb.now());
                attempt(cb, retry, variant, deadline, triesLeft - 1);
            } else {
                cb.reject("payout failed: " + o);
            }
        };
        ex.call(World.LEDGER_ID, "icrc1_transfer", args, Wait.BOUNDED, deadline, onResponse, null);
    }
}
