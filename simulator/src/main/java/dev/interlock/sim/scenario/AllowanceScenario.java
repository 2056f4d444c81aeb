package dev.interlock.sim.scenario;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.interlock.ic.Account;
import dev.interlock.ic.Principal;
import dev.interlock.ic.Value;
import dev.interlock.model.AlertClass;
import dev.interlock.sim.engine.CallRecord;
import dev.interlock.sim.engine.Canister;
import dev.interlock.sim.engine.Exec;
import dev.interlock.sim.engine.Outcome;
import dev.interlock.sim.engine.Sim;
import dev.interlock.sim.engine.Wait;
import dev.interlock.sim.ledger.ApproveArgs;
import dev.interlock.sim.ledger.TransferArgs;
import dev.interlock.sim.ledger.TransferResult;

/**
 * 10. Payouts through a third-party payment router holding an allowance: a shop pays merchants
 * by asking an (unmonitored) router to pull the funds from the shop's ledger account with
 * {@code icrc2_transfer_from} and pay the merchant. The router is hostile in both variants: it
 * pulls with a bounded-wait call whose deadline often expires although the ledger executed the
 * pull (SYS_UNKNOWN), then pulls again with a new {@code created_at_time}, which the ledger does
 * not deduplicate; and when a pull fails with a ledger error it replies {@code Ok} with the block
 * of its last successful pull, a variable shared by all calls (stale success); when every pull
 * timed out it rejects, although they may have been executed. The vulnerable shop
 * approves the router once for a large allowance and runs payouts concurrently: the router pulls
 * twice for one payout, the shop's account runs dry, and later payouts are replied {@code Ok}
 * with a block that pays something else. Fixed: one payout at a time (a guard released in
 * callback and cleanup; a merchant that finds it held is rejected and calls again), and before
 * each payout an approve of exactly amount + fee ({@code expected_allowance} 0, expiring a few
 * minutes ahead), so a second pull fails with {@code InsufficientAllowance}; when the router
 * rejects, the shop asks the ledger by approving again with {@code expected_allowance} = amount +
 * fee: accepted means nothing was pulled (pay again), refused means the pull happened (booked).
 * Invariants, from the ledger's blocks: at most one block per payout moves funds from the shop's
 * account to its merchant (payer, recipient, amount, memo), and every payout the router replied
 * {@code Ok} to is paid by some block. Matched by content, not by the replied index: the router
 * never learns a pull whose answer timed out, so even with the fix its {@code Ok} often names an
 * earlier payout's block while this payout was paid exactly once; and a router reject does not
 * mean nothing was pulled.
 */
public final class AllowanceScenario implements Scenario {
    /** The vulnerable shop's allowance: "large enough forever". */
    static final BigInteger UNBOUNDED_ALLOWANCE = BigInteger.valueOf(1_000_000_000_000L);
    /** Pull attempts of the router per {@code pay} call. */
    static final int ROUTER_TRIES = 3;
    /** The fixed shop's allowances expire this long after they are set. */
    static final long ALLOWANCE_LIFETIME_NANOS = 5L * 60 * 1_000_000_000L;
    /** Reject message of a fixed shop busy with another payout: the merchant calls again later. */
    static final String BUSY = "busy: another payout is in progress, call again";
    private static final String GUARD = "payout";
    private static final int MERCHANT_ATTEMPTS = 200;
    private static final int MERCHANT_PATIENCE_ROUNDS = 600;
    private static final HexFormat HEX = HexFormat.of();

    @Override
    public String name() {
        return "allowance";
    }

    @Override
    public AlertClass alertClass() {
        return AlertClass.LEDGER_RECONCILIATION;
    }

    @Override
    public String description() {
        return "payouts through a third-party router holding an unbounded allowance: it pulls twice and replies stale"
                + " success; fix: exact allowance per payout, one payout at a time";
    }

    /** What the shop asks the router: pull {@code amount} from {@code from}'s account and pay {@code to}. */
    public record PayRequest(Principal from, Account to, BigInteger amount, byte[] memo) {
    }

    /** One payout as the fixed shop runs it: amount, memo (the payout id) and the exact allowance. */
    private record Payout(Principal merchant, BigInteger amount, byte[] memo, Principal router, BigInteger allowance) {
    }

    @Override
    public Instance install(World w, Variant variant, long at) {
        Canister shop = w.monitored("shop");
        Canister router = w.unmonitored("router");
        long deadline = w.rounds(3 + w.sim.rng().nextInt(2));
        router.method("pay", ex -> pull(ex, ex.args(), deadline, ROUTER_TRIES));

        int count = 3 + w.sim.rng().nextInt(3);
        List<Principal> merchants = new ArrayList<>();
        BigInteger owed = BigInteger.ZERO;
        for (int i = 0; i < count; i++) {
            Principal m = w.newUser();
            BigInteger amount = BigInteger.valueOf(1_000 + w.sim.rng().nextInt(49_001));
            merchants.add(m);
            shop.set("owed:" + m, amount);
            owed = owed.add(amount);
        }
        // Just enough: every payout, its pull's fee and an approve fee per payout, plus less than one payout.
        BigInteger fee = w.ledger.fee();
        BigInteger margin = BigInteger.valueOf(100 + w.sim.rng().nextInt(400));
        w.fund(shop.id(), owed.add(fee.multiply(BigInteger.valueOf(2L * count))).add(margin));

        shop.method("payout", variant == Variant.VULNERABLE ? ex -> vulnerable(ex, router.id())
                : ex -> fixed(ex, router.id(), fee));
        for (Principal m : merchants) {
            merchant(w, shop.id(), m, at + w.sim.rng().nextLong(w.rounds(4 * count)), MERCHANT_ATTEMPTS);
        }
        return Scenario.Instance.of(List.of(shop.id()), () -> check(w, variant, shop.id(), router.id()));
    }

    // ---- the router (third party, unmonitored; the same in both variants)

    /**
     * Pulls with a bounded wait; on SYS_UNKNOWN pulls again with a new created_at_time; on a ledger
     * error replies Ok with its last successful pull's block (0 before the first, as a Rust
     * {@code u64} starts); when every one of its {@link #ROUTER_TRIES} pulls timed out it rejects,
     * although the ledger may have executed them.
     */
    private static void pull(Exec ex, PayRequest req, long deadline, int triesLeft) {
        TransferArgs args = new TransferArgs(Account.of(req.from()), req.to(), req.amount(), null, req.memo(),
                ex.now(), Account.of(ex.self()));
        ex.call(World.LEDGER_ID, "icrc2_transfer_from", args, Wait.BOUNDED, deadline, (cb, o) -> {
            if (o.transferOk()) {
                long block = o.transferResult().blockIndex();
                cb.write("last_block", BigInteger.valueOf(block));
                cb.replyWith(TransferResult.ok(block));
            } else if (o.unknown() && triesLeft > 1) {
                pull(cb, req, deadline, triesLeft - 1);
            } else if (o.transferResult() != null) {
                cb.replyWith(TransferResult.ok(cb.readNat("last_block").longValueExact()));
            } else {
                cb.reject("pull failed: " + o);
            }
        }, null);
    }

    // ---- the shop

    /** The payout id: the payout's context id, unique per shop. */
    private static byte[] memo(Exec ex) {
        return ex.contextId().getBytes(StandardCharsets.UTF_8);
    }

    private static void vulnerable(Exec ex, Principal router) {
        Principal merchant = ex.caller();
        BigInteger amount = ex.readNat("owed:" + merchant);
        if (amount.signum() == 0) {
            ex.reject("nothing owed");
            return;
        }
        if (ex.readFlag("paid:" + merchant)) {
            ex.reject("already paid");
            return;
        }
        byte[] memo = memo(ex);
        String approved = "approved:" + router;
        if (ex.readFlag(approved)) {
            payThroughRouter(ex, router, merchant, amount, memo);
            return;
        }
        ex.write(approved, true);
        ApproveArgs approve = new ApproveArgs(Account.of(ex.self()), Account.of(router), UNBOUNDED_ALLOWANCE, null,
                null, null, null, ex.now());
        ex.call(World.LEDGER_ID, "icrc2_approve", approve, Wait.UNBOUNDED, (cb, o) -> {
            if (o.transferOk()) {
                payThroughRouter(cb, router, merchant, amount, memo);
            } else {
                cb.write(approved, false);
                cb.reject("approve failed: " + o);
            }
        }, null);
    }

    /** The vulnerable payout: trusts the router's Ok, no guard. */
    private static void payThroughRouter(Exec ex, Principal router, Principal merchant, BigInteger amount,
            byte[] memo) {
        TransferArgs expected = ex.pay(Account.of(merchant), amount).withMemo(memo);
        ex.call(router, "pay", new PayRequest(ex.self(), Account.of(merchant), amount, memo), Wait.UNBOUNDED, 0,
                (cb, o) -> {
                    if (o.transferOk()) {
                        cb.write("paid:" + merchant, true);
                        cb.reply();
                    } else {
                        cb.reject("payout failed: " + o);
                    }
                }, null, World.LEDGER_ID, expected);
    }

    private static void fixed(Exec ex, Principal router, BigInteger fee) {
        Principal merchant = ex.caller();
        if (!ex.acquire(GUARD)) {
            ex.reject(BUSY);
            return;
        }
        BigInteger amount = ex.readNat("owed:" + merchant);
        if (amount.signum() == 0) {
            ex.release(GUARD);
            ex.reject("nothing owed");
            return;
        }
        if (ex.readFlag("paid:" + merchant)) {
            ex.release(GUARD);
            ex.reject("already paid");
            return;
        }
        approveExact(ex, new Payout(merchant, amount, memo(ex), router, amount.add(fee)), false);
    }

    /**
     * Sets the router's allowance to exactly the payout (amount + fee). First ({@code reconcile}
     * false) only if no allowance is left from an earlier payout ({@code expected_allowance} 0);
     * after an unclear answer of the router ({@code reconcile} true) only if the allowance is still
     * untouched: the ledger's refusal then proves the router's pull happened.
     */
    private static void approveExact(Exec ex, Payout p, boolean reconcile) {
        ApproveArgs approve = new ApproveArgs(Account.of(ex.self()), Account.of(p.router()), p.allowance(),
                reconcile ? p.allowance() : BigInteger.ZERO, ex.now() + ALLOWANCE_LIFETIME_NANOS, null, null,
                ex.now());
        Exec.CallStart start = ex.call(World.LEDGER_ID, "icrc2_approve", approve, Wait.UNBOUNDED, (cb, o) -> {
            TransferResult r = o.transferResult();
            if (o.transferOk()) {
                payExact(cb, p); // nothing was pulled for this payout: (re)try it
            } else if (reconcile && r != null && r.error() == TransferResult.Error.GENERIC_ERROR) {
                book(cb, p); // the allowance was spent: the router's pull happened
            } else if (reconcile) {
                approveExact(cb, p, true); // no answer yet: ask again, never pay on a guess
            } else {
                cb.release(GUARD); // nothing was sent to the router: the merchant may call again
                cb.reject(BUSY + " (approve: " + o + ")");
            }
        }, cu -> cu.release(GUARD));
        if (!start.sent() && !reconcile) {
            ex.release(GUARD);
            ex.reject(BUSY + " (approve not sent)");
        } else if (!start.sent()) {
            ex.reject("payout unsettled: " + start.rejectMessage()); // keeps the guard: no second payout on a guess
        }
    }

    private static void payExact(Exec ex, Payout p) {
        TransferArgs expected = ex.pay(Account.of(p.merchant()), p.amount()).withMemo(p.memo());
        Exec.CallStart start = ex.call(p.router(), "pay",
                new PayRequest(ex.self(), Account.of(p.merchant()), p.amount(), p.memo()), Wait.UNBOUNDED, 0,
                (cb, o) -> {
                    if (o.transferOk()) {
                        book(cb, p);
                    } else {
                        approveExact(cb, p, true); // rejected or an error reply: did the pull happen?
                    }
                }, cu -> cu.release(GUARD), World.LEDGER_ID, expected);
        if (!start.sent()) {
            ex.reject("payout unsettled: " + start.rejectMessage()); // keeps the guard: no second payout on a guess
        }
    }

    private static void book(Exec ex, Payout p) {
        ex.write("paid:" + p.merchant(), true);
        ex.release(GUARD);
        ex.reply();
    }

    // ---- the merchants

    /** A merchant calls {@code payout} and calls again later when the shop was busy. */
    private static void merchant(World w, Principal shop, Principal merchant, long t, int attemptsLeft) {
        Sim.IngressRecord r = w.sim.ingress(t, merchant, shop, "payout", null);
        w.sim.at(t + w.rounds(1), () -> awaitAnswer(w, shop, merchant, r, attemptsLeft, MERCHANT_PATIENCE_ROUNDS));
    }

    private static void awaitAnswer(World w, Principal shop, Principal merchant, Sim.IngressRecord r,
            int attemptsLeft, int patience) {
        Outcome o = r.result;
        if (o == null) {
            if (patience > 0) {
                w.sim.at(w.sim.now() + w.rounds(2),
                        () -> awaitAnswer(w, shop, merchant, r, attemptsLeft, patience - 2));
            }
            return;
        }
        if (!o.replied() && o.rejectMessage() != null && o.rejectMessage().startsWith(BUSY) && attemptsLeft > 1) {
            merchant(w, shop, merchant, w.sim.now() + w.rounds(2 + w.sim.rng().nextInt(6)), attemptsLeft - 1);
        }
    }

    // ---- ground truth

    /**
     * From the ledger: the blocks the router's pulls produced (their content read from the ledger),
     * matched to the shop's payouts by payer, recipient, amount and memo.
     */
    private List<Incident> check(World w, Variant variant, Principal shop, Principal router) {
        // The shop's payouts: its calls to router.pay, grouped by memo (a payout may call the router again).
        Map<String, List<CallRecord>> payouts = new LinkedHashMap<>();
        for (CallRecord c : w.sim.callsOf(shop)) {
            if (c.callee.equals(router) && "pay".equals(c.method) && c.transfer != null && !c.syncFailed) {
                payouts.computeIfAbsent(HEX.formatHex(c.transfer.memo()), k -> new ArrayList<>()).add(c);
            }
        }
        List<Value.Map> blocks = w.ledger.blocks();
        Value shopAccount = Value.account(Account.of(shop));
        // Every block that moved funds out of the shop's account: the router is its only spender.
        List<Long> pulled = new ArrayList<>();
        for (CallRecord c : w.sim.callsOf(router)) {
            if (c.block != null && shopAccount.equals(tx(blocks, c.block).get("from"))) {
                pulled.add(c.block);
            }
        }
        pulled.sort(null);
        List<Incident> out = new ArrayList<>();
        for (List<CallRecord> calls : payouts.values()) {
            CallRecord first = calls.get(0);
            TransferArgs t = first.transfer;
            Principal merchant = t.to().owner();
            List<Long> paying = new ArrayList<>();
            for (long b : pulled) {
                if (pays(tx(blocks, b), t)) {
                    paying.add(b);
                }
            }
            List<String> callIds = calls.stream().map(c -> c.callId).toList();
            for (int i = 1; i < paying.size(); i++) {
                long b = paying.get(i);
                Value.Map block = blocks.get((int) b);
                BigInteger amount = ((Value.Nat) tx(blocks, b).get("amt")).value();
                out.add(new Incident(AlertClass.LEDGER_RECONCILIATION, name(), variant.label(), shop.toString(),
                        merchant.toString(), List.of(first.context), callIds, List.of(b), World.LEDGER_ID.toString(),
                        amount, ((Value.Nat) block.get("ts")).value().longValueExact(),
                        "block " + b + " moved " + amount + " from the shop's account with no call of the shop that"
                                + " explains it (the router pulled twice)"));
            }
            if (!paying.isEmpty()) {
                continue;
            }
            for (CallRecord c : calls) {
                if (c.outcome != null && c.outcome.transferOk()) {
                    long b = c.outcome.transferResult().blockIndex();
                    out.add(new Incident(AlertClass.LEDGER_RECONCILIATION, name(), variant.label(), shop.toString(),
                            merchant.toString(), List.of(c.context), List.of(c.callId), List.of(b),
                            World.LEDGER_ID.toString(), t.amount(), c.respondedAt >= 0 ? c.respondedAt : c.sentAt,
                            "router replied Ok(block " + b + ") but the ledger has no block that pays this payout"));
                }
            }
        }
        return out;
    }

    private static Value.Map tx(List<Value.Map> blocks, long index) {
        return (Value.Map) blocks.get((int) index).get("tx");
    }

    /** The block moves the payout's amount from the shop (checked by the caller) to its merchant with its memo. */
    private static boolean pays(Value.Map tx, TransferArgs payout) {
        return Value.account(payout.to()).equals(tx.get("to"))
                && tx.get("amt") instanceof Value.Nat amt && amt.value().equals(payout.amount())
                && tx.get("memo") instanceof Value.Blob memo && Arrays.equals(memo.bytes(), payout.memo());
    }
}
