package dev.interlock.sim.scenario;

import java.math.BigInteger;
import java.util.List;

import dev.interlock.ic.Account;
import dev.interlock.ic.Principal;
import dev.interlock.model.AlertClass;
import dev.interlock.sim.engine.CallRecord;
import dev.interlock.sim.engine.Callback;
import dev.interlock.sim.engine.Canister;
import dev.interlock.sim.engine.Exec;
import dev.interlock.sim.engine.Wait;
import dev.interlock.sim.ledger.TransferArgs;

/**
 * 7. Transfers retried without {@code created_at_time}: after a timeout the canister sends the
 * same transfer again, and the ledger, which deduplicates only transactions that carry
 * {@code created_at_time}, books both. Fixed: {@code created_at_time} and a memo on every
 * transfer, the same on every retry; {@code Duplicate} means done. Invariant: one payout per
 * payout request.
 */
public final class RetryScenario implements Scenario {
    @Override
    public String name() {
        return "retry";
    }

    @Override
    public AlertClass alertClass() {
        return AlertClass.NON_IDEMPOTENT_TRANSFER;
    }

    @Override
    public String description() {
        return "retried transfers without created_at_time; fix: created_at_time and memo on every transfer";
    }

    @Override
    public Instance install(World w, Variant variant, long at) {
        Canister c = w.monitored("salary");
        Principal user = w.newUser();
        BigInteger amount = BigInteger.valueOf(1_000 + w.sim.rng().nextInt(50_000));
        w.fund(c.id(), amount.multiply(BigInteger.valueOf(6)));
        long deadline = w.rounds(2 + w.sim.rng().nextInt(4));
        c.method("pay", ex -> {
            TransferArgs args = ex.pay(Account.of(ex.caller()), amount);
            if (variant == Variant.FIXED) {
                args = args.withCreatedAt(ex.now()).withMemo(ex.contextId().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            attempt(ex, args, deadline, 3);
        });
        w.sim.ingress(at, user, c.id(), "pay", null);
        return Scenario.Instance.of(List.of(c.id()), () -> {
            List<CallRecord> paid = Evidence.paid(w.sim, c.id(), Account.of(user));
            if (paid.size() <= 1) {
                return List.of();
            }
            return List.of(new Incident(AlertClass.NON_IDEMPOTENT_TRANSFER, name(), variant.label(),
                    c.id().toString(), user.toString(), Evidence.contexts(paid), Evidence.callIds(paid),
                    Evidence.blocks(paid), World.LEDGER_ID.toString(), Evidence.total(paid).subtract(amount),
                    paid.get(1).sentAt, paid.size() + " equal transfers without created_at_time"));
        });
    }

    private static void attempt(Exec ex, TransferArgs args, long deadline, int triesLeft) {
        Callback onResponse = (cb, o) -> {
            if (o.transferOk() || o.transferDuplicate()) {
                cb.reply();
            } else if (!o.replied() && triesLeft > 1) {
                attempt(cb, args, deadline, triesLeft - 1);
            } else {
                cb.reject("payment failed: " + o);
            }
        };
        ex.call(World.LEDGER_ID, "icrc1_transfer", args, Wait.BOUNDED, deadline, onResponse, null);
    }
}
