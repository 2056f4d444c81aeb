package dev.interlock.sim.scenario;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.interlock.ic.Account;
import dev.interlock.ic.Principal;
import dev.interlock.model.AlertClass;
import dev.interlock.sim.engine.CallRecord;
import dev.interlock.sim.engine.Canister;
import dev.interlock.sim.engine.ContextRecord;
import dev.interlock.sim.engine.Wait;
import dev.interlock.sim.ledger.TransferArgs;

/**
 * 9. State changed before a one-way {@code notify}: a bridge debits the user and notifies a
 * minter, which mints on the ledger. A notify can be dropped (full queue) and nobody is told:
 * the user loses the amount. Fixed: a timer later asks the minter whether the request was
 * served and restores the balance if not. Invariant: balance + minted = deposit once settled.
 */
public final class NotifyScenario implements Scenario {
    @Override
    public String name() {
        return "notify";
    }

    @Override
    public AlertClass alertClass() {
        return AlertClass.LEDGER_RECONCILIATION;
    }

    @Override
    public String description() {
        return "debit before a one-way notify that may be lost; fix: reconcile with a timer and correct";
    }

    @Override
    public Instance install(World w, Variant variant, long at) {
        Canister minter = minter(w);
        Canister bridge = w.monitored("bridge");
        minter.rejectFrom(bridge.id(), 0.4);
        Principal user = w.newUser();
        BigInteger deposit = BigInteger.valueOf(10_000 + w.sim.rng().nextInt(90_000));
        bridge.set("balance:" + user, deposit);
        bridge.method("convert", ex -> {
            BigInteger amount = ex.args();
            String key = "balance:" + ex.caller();
            BigInteger balance = ex.readNat(key);
            if (balance.compareTo(amount) < 0) {
                ex.reject("insufficient balance");
                return;
            }
            ex.write(key, balance.subtract(amount));
            String request = ex.self() + "/" + ex.contextId();
            TransferArgs expected = TransferArgs.transfer(Account.of(w.minter), Account.of(ex.caller()), amount)
                    .withMemo(memo(request));
            if (variant == Variant.FIXED) {
                ex.journalIntent(request, "mint", null);
            }
            ex.notify(minter.id(), "mint", new MintRequest(request, ex.caller(), amount), expected);
            if (variant == Variant.FIXED) {
                ex.setTimer(w.rounds(30), "reconcile-" + ex.contextId(),
                        reconcile(w, minter.id(), request, ex.caller(), amount));
            }
            ex.reply();
        });
        int calls = 2 + w.sim.rng().nextInt(3);
        BigInteger each = deposit.divide(BigInteger.valueOf(calls + 1));
        for (int i = 0; i < calls; i++) {
            w.sim.ingress(at + w.rounds(3 * i), user, bridge.id(), "convert", each);
        }
        return Scenario.Instance.of(List.of(bridge.id()), () -> {
            BigInteger minted = BigInteger.ZERO;
            for (CallRecord r : w.sim.callsOf(minter.id())) {
                if (r.block != null && r.transfer != null
                        && r.transfer.to().equals(Account.of(user))) {
                    minted = minted.add(r.transfer.amount());
                }
            }
            BigInteger balance = Evidence.nat(bridge.get("balance:" + user));
            BigInteger lost = deposit.subtract(balance).subtract(minted);
            if (lost.signum() == 0) {
                return List.of();
            }
            List<String> contexts = new ArrayList<>();
            List<String> calls2 = new ArrayList<>();
            long first = Long.MAX_VALUE;
            for (ContextRecord ctx : w.sim.contextsOf(bridge.id())) {
                if ("convert".equals(ctx.method)) {
                    for (CallRecord call : ctx.calls) {
                        if (call.wait == Wait.NOTIFY && !call.executedByCallee) {
                            contexts.add(ctx.id);
                            calls2.add(call.callId);
                            first = Math.min(first, call.sentAt);
                        }
                    }
                }
            }
            return List.of(new Incident(AlertClass.LEDGER_RECONCILIATION, name(), variant.label(),
                    bridge.id().toString(), user.toString(), contexts, calls2, List.of(), World.LEDGER_ID.toString(),
                    lost, first == Long.MAX_VALUE ? at : first,
                    "debited " + lost + " for notified mints that never happened and were never reconciled"));
        });
    }

    /**
     * The fix: ask the minter whether the request was served; restore the balance only on a
     * definite "no", and ask again later when the question itself failed.
     */
    private static dev.interlock.sim.engine.Method reconcile(World w, Principal minter, String request,
            Principal caller, BigInteger amount) {
        return t -> t.call(minter, "status", request, Wait.UNBOUNDED, (cb, o) -> {
            if (!o.replied()) {
                cb.setTimer(w.rounds(10), "reconcile-again", reconcile(w, minter, request, caller, amount));
            } else if (!Boolean.TRUE.equals(o.payload())) {
                String k = "balance:" + caller;
                cb.write(k, cb.readNat(k).add(amount)); // the mint never happened: give it back
                cb.journalResult(request, false);
            } else {
                cb.journalResult(request, true);
            }
            cb.reply();
        }, null);
    }

    /** The memo the minter puts on the mint of a request: its id's last 32 bytes. */
    static byte[] memo(String request) {
        return request.substring(Math.max(0, request.length() - 32)).getBytes(StandardCharsets.UTF_8);
    }

    /** What the bridge asks the minter to do. */
    public record MintRequest(String id, Principal to, BigInteger amount) {
    }

    /** The minter owns the ledger's minting account: its transfers are mints. One per world. */
    static Canister minter(World w) {
        Canister existing = w.sim.canister(w.minter);
        if (existing != null) {
            return existing;
        }
        Canister m = w.sim.add(new Canister(w.minter, "minter", false, Canister.Language.RUST, 4096));
        m.method("mint", ex -> {
            MintRequest req = ex.args();
            if (ex.readFlag("minted:" + req.id())) {
                ex.reply();
                return;
            }
            ex.write("minted:" + req.id(), true);
            TransferArgs args = ex.pay(Account.of(req.to()), req.amount()).withCreatedAt(ex.now()).withMemo(memo(req.id()));
            ex.transfer(World.LEDGER_ID, args, Wait.UNBOUNDED, (cb, o) -> {
                if (!o.transferOk()) {
                    cb.write("minted:" + req.id(), false);
                }
                cb.reply();
            }, null);
        });
        m.method("status", ex -> {
            Object minted = ex.read("minted:" + ex.<String>args());
            ex.replyWith(Boolean.TRUE.equals(minted));
        });
        return m;
    }
}
