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
 * 3. A trap in the callback after a successful transfer. Either the accounting write is lost
 * (the ledger paid, the canister still owes: it pays again on the next claim), or a lock taken
 * before the await and released only in the callback stays held forever. Fixed: deduct before
 * the await and journal the payout (the cleanup books it), and release the lock in cleanup too.
 * Invariants: payouts = booked payouts; no lock held once every context closed. Each payout names
 * its claim in the memo (the user's claim number): a lost booking rolls the number back too, so the
 * next claim pays the same claim again, a DOUBLE_SPEND of one request as well.
 */
public final class CallbackTrapScenario implements Scenario {
    private static final double TRAP_CHANCE = 0.5;

    @Override
    public String name() {
        return "callback-trap";
    }

    @Override
    public AlertClass alertClass() {
        return AlertClass.CALLBACK_TRAP;
    }

    @Override
    public String description() {
        return "the callback traps after the transfer: booking lost or lock stuck; fix: journal + cleanup";
    }

    @Override
    public Instance install(World w, Variant variant, long at) {
        return w.sim.rng().chance(0.5) ? accounting(w, variant, at) : stuckLock(w, variant, at);
    }

    private Instance accounting(World w, Variant variant, long at) {
        Canister c = w.monitored("rewards");
        Principal user = w.newUser();
        BigInteger reward = BigInteger.valueOf(500 + w.sim.rng().nextInt(20_000));
        c.set("owed:" + user, reward);
        w.fund(c.id(), reward.multiply(BigInteger.valueOf(5)));
        c.method("claim", variant == Variant.VULNERABLE ? CallbackTrapScenario::claimVulnerable
                : CallbackTrapScenario::claimFixed);
        int claims = 2 + w.sim.rng().nextInt(2);
        for (int i = 0; i < claims; i++) {
            // Sequential claims: a lost booking lets the next one pay again.
            w.sim.ingress(at + w.rounds(8 * i), user, c.id(), "claim", null);
        }
        return Scenario.Instance.of(List.of(c.id()), () -> {
            List<CallRecord> paid = Evidence.paid(w.sim, c.id(), Account.of(user));
            BigInteger booked = Evidence.nat(c.get("booked:" + user));
            BigInteger gap = Evidence.total(paid).subtract(booked);
            if (gap.signum() == 0) {
                return List.of();
            }
            List<String> trapped = new ArrayList<>();
            for (ContextRecord ctx : w.sim.contextsOf(c.id())) {
                if (!ctx.traps.isEmpty()) {
                    trapped.add(ctx.id);
                }
            }
            List<Incident> incidents = new ArrayList<>();
            incidents.add(new Incident(AlertClass.CALLBACK_TRAP, name(), variant.label(), c.id().toString(),
                    user.toString(), trapped, Evidence.callIds(paid), Evidence.blocks(paid), World.LEDGER_ID.toString(),
                    gap, paid.get(0).sentAt, "paid " + Evidence.total(paid) + " but booked " + booked
                            + ": a callback trapped after the transfer"));
            java.util.Map<String, List<CallRecord>> byClaim = new java.util.LinkedHashMap<>();
            for (CallRecord r : paid) {
                byClaim.computeIfAbsent(java.util.Arrays.toString(r.transfer.memo()), k -> new ArrayList<>()).add(r);
            }
            for (List<CallRecord> same : byClaim.values()) {
                if (same.size() > 1) {
                    incidents.add(new Incident(AlertClass.DOUBLE_SPEND, name(), variant.label(), c.id().toString(),
                            user.toString(), Evidence.contexts(same), Evidence.callIds(same), Evidence.blocks(same),
                            World.LEDGER_ID.toString(), Evidence.total(same.subList(1, same.size())),
                            same.get(1).sentAt, same.size() + " payouts of one claim: its booking was rolled back"));
                }
            }
            return incidents;
        });
    }

    /** The memo of a claim: the user's claim number, which the booking advances. */
    private static byte[] claimMemo(Exec ex, String user) {
        return ("claim-" + ex.readNat("claims:" + user)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void claimVulnerable(Exec ex) {
        String user = ex.caller().toString();
        BigInteger owed = ex.readNat("owed:" + user);
        if (owed.signum() == 0) {
            ex.reject("nothing owed");
            return;
        }
        ex.transfer(World.LEDGER_ID, ex.pay(Account.of(ex.caller()), owed).withCreatedAt(ex.now())
                .withMemo(claimMemo(ex, user)), Wait.UNBOUNDED,
                (cb, o) -> {
                    if (!o.transferOk()) {
                        cb.reject("transfer failed: " + o);
                        return;
                    }
                    cb.write("owed:" + user, BigInteger.ZERO);
                    cb.write("claims:" + user, cb.readNat("claims:" + user).add(BigInteger.ONE));
                    cb.write("booked:" + user, cb.readNat("booked:" + user).add(owed));
                    if (cb.rng().chance(TRAP_CHANCE)) {
                        cb.trap("attempt to add with overflow");
                    }
                    cb.reply();
                }, null);
    }

    private static void claimFixed(Exec ex) {
        String user = ex.caller().toString();
        BigInteger owed = ex.readNat("owed:" + user);
        if (owed.signum() == 0) {
            ex.reject("nothing owed");
            return;
        }
        ex.write("owed:" + user, BigInteger.ZERO);
        byte[] memo = claimMemo(ex, user);
        ex.write("claims:" + user, ex.readNat("claims:" + user).add(BigInteger.ONE));
        String journal = ex.contextId();
        ex.journalIntent(journal, "transfer", null);
        Exec.CallStart start = ex.transfer(World.LEDGER_ID, ex.pay(Account.of(ex.caller()), owed)
                .withCreatedAt(ex.now()).withMemo(memo), Wait.UNBOUNDED, (cb, o) -> {
                    if (!o.transferOk()) {
                        cb.write("owed:" + user, cb.readNat("owed:" + user).add(owed));
                        cb.write("claims:" + user, cb.readNat("claims:" + user).subtract(BigInteger.ONE));
                        cb.journalResult(journal, false);
                        cb.reject("transfer failed: " + o);
                        return;
                    }
                    cb.journalResult(journal, true);
                    cb.write("booked:" + user, cb.readNat("booked:" + user).add(owed));
                    if (cb.rng().chance(TRAP_CHANCE)) {
                        cb.trap("attempt to add with overflow");
                    }
                    cb.reply();
                }, cu -> {
                    // The callback trapped after a successful transfer: book it from the journal.
                    cu.journalResult(journal, true);
                    cu.write("booked:" + user, cu.readNat("booked:" + user).add(owed));
                });
        if (!start.sent()) {
            ex.write("owed:" + user, owed);
            ex.write("claims:" + user, ex.readNat("claims:" + user).subtract(BigInteger.ONE));
            ex.journalResult(journal, false);
            ex.reject("transfer not sent: " + start.rejectMessage());
        }
    }

    private Instance stuckLock(World w, Variant variant, long at) {
        Canister c = w.monitored("payroll");
        Principal admin = w.newUser();
        w.fund(c.id(), BigInteger.valueOf(1_000_000));
        c.method("pay", ex -> {
            if (!ex.acquire("payroll")) {
                ex.reject("payroll run in progress");
                return;
            }
            BigInteger amount = BigInteger.valueOf(1_000);
            ex.transfer(World.LEDGER_ID, ex.pay(Account.of(ex.caller()), amount).withCreatedAt(ex.now()),
                    Wait.UNBOUNDED, (cb, o) -> {
                        if (cb.rng().chance(TRAP_CHANCE)) {
                            cb.trap("index out of bounds");
                        }
                        cb.release("payroll");
                        cb.reply();
                    }, variant == Variant.FIXED ? cu -> cu.release("payroll") : null);
        });
        for (int i = 0; i < 3; i++) {
            w.sim.ingress(at + w.rounds(8 * i), admin, c.id(), "pay", null);
        }
        return Scenario.Instance.of(List.of(c.id()), () -> {
            boolean open = !c.openContexts().isEmpty();
            if (open || !Boolean.TRUE.equals(c.get("guard:payroll"))) {
                return List.of();
            }
            List<String> trapped = new ArrayList<>();
            List<CallRecord> calls = new ArrayList<>();
            for (ContextRecord ctx : w.sim.contextsOf(c.id())) {
                if (!ctx.traps.isEmpty()) {
                    trapped.add(ctx.id);
                    calls.addAll(ctx.calls);
                }
            }
            return List.of(new Incident(AlertClass.CALLBACK_TRAP, name(), variant.label(), c.id().toString(),
                    admin.toString(), trapped, Evidence.callIds(calls), Evidence.blocks(calls),
                    World.LEDGER_ID.toString(), null, calls.isEmpty() ? at : calls.get(0).sentAt,
                    "guard 'payroll' is held with no open context: released only in a callback that trapped"));
        });
    }
}
