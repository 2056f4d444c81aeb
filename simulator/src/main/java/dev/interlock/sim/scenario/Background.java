package dev.interlock.sim.scenario;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.interlock.ic.Account;
import dev.interlock.ic.Principal;
import dev.interlock.sim.engine.Canister;
import dev.interlock.sim.engine.Exec;
import dev.interlock.sim.engine.Wait;

/**
 * Honest traffic around the incidents: wallets that pay out the safe way (per-user guard,
 * deduct first, journal, {@code created_at_time} and memo, restore on failure, release in
 * cleanup), counters called by anonymous and authenticated users, and proxies that call other
 * canisters with a correlation id. Counters are reinstalled (log purged, idx goes on) and
 * upgraded (state and log kept, {@code post_upgrade} runs as a lifecycle context) once a run.
 */
public final class Background {
    private final World w;
    private final List<Canister> wallets = new ArrayList<>();
    private final List<Canister> counters = new ArrayList<>();
    private final List<Canister> proxies = new ArrayList<>();
    private final List<Principal> users = new ArrayList<>();
    private double anonymousShare = 0.3;

    public Background(World w, int canisters, int userCount) {
        this.w = w;
        for (int i = 0; i < userCount; i++) {
            users.add(w.newUser());
        }
        for (int i = 0; i < canisters; i++) {
            switch (i % 3) {
                case 0 -> wallets.add(wallet());
                case 1 -> counters.add(counter());
                default -> proxies.add(proxy());
            }
        }
    }

    private Canister wallet() {
        Canister c = w.monitored("wallet").keepHistory(false);
        for (Principal u : users) {
            c.set("balance:" + u, BigInteger.valueOf(1_000_000));
        }
        w.fund(c.id(), BigInteger.valueOf(1_000_000L * users.size() + 1_000_000));
        c.method("send", Background::send);
        c.method("balance", ex -> {
            ex.readNat("balance:" + ex.caller());
            ex.reply();
        });
        return c;
    }

    private static void send(Exec ex) {
        BigInteger amount = ex.args();
        String user = ex.caller().toString();
        String key = "balance:" + user;
        if (!ex.acquire("send:" + user)) {
            ex.reject("a send is in progress");
            return;
        }
        BigInteger balance = ex.readNat(key);
        if (balance.compareTo(amount) < 0) {
            ex.release("send:" + user);
            ex.reject("insufficient balance");
            return;
        }
        ex.write(key, balance.subtract(amount));
        String journal = ex.contextId();
        ex.journalIntent(journal, "transfer", null);
        Exec.CallStart start = ex.transfer(World.LEDGER_ID, ex.pay(Account.of(ex.caller()), amount)
                .withCreatedAt(ex.now()).withMemo(journal.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                Wait.UNBOUNDED, (cb, o) -> {
                    boolean ok = o.transferOk() || o.transferDuplicate();
                    if (!ok) {
                        cb.write(key, cb.readNat(key).add(amount));
                    }
                    cb.journalResult(journal, ok);
                    cb.release("send:" + user);
                    if (ok) {
                        cb.reply();
                    } else {
                        cb.reject("transfer failed: " + o);
                    }
                }, cu -> cu.release("send:" + user));
        if (!start.sent()) {
            ex.write(key, balance);
            ex.journalResult(journal, false);
            ex.release("send:" + user);
            ex.reject("transfer not sent: " + start.rejectMessage());
        }
    }

    private Canister counter() {
        Canister c = w.monitored("counter").keepHistory(false);
        c.method("increment", ex -> {
            BigInteger n = ex.readNat("count");
            ex.write("count", n.add(BigInteger.ONE));
            ex.reply();
        });
        c.method("get", ex -> {
            ex.readNat("count");
            ex.reply();
        });
        c.method("post_upgrade", ex -> {
            ex.write("version", BigInteger.valueOf(2));
            ex.reply();
        });
        return c;
    }

    private Canister proxy() {
        Canister c = w.monitored("proxy").keepHistory(false);
        c.method("forward", ex -> {
            Principal target = ex.args();
            ex.call(target, "increment", null, Wait.UNBOUNDED, (cb, o) -> {
                if (o.replied()) {
                    cb.reply();
                } else {
                    cb.reject("forward failed: " + o);
                }
            }, null);
        });
        return c;
    }

    /** Schedules Poisson-distributed user calls at {@code ratePerSecond} over [from, to). */
    public void drive(long from, long to, double ratePerSecond) {
        if (ratePerSecond <= 0) {
            return;
        }
        // Honest users call a few times a minute; anonymous callers a few times a second in all.
        while (users.size() < ratePerSecond * 60 / 4) {
            users.add(w.newUser());
        }
        anonymousShare = Math.min(0.3, 2 / ratePerSecond);
        double meanGapNanos = 1e9 / ratePerSecond;
        // Each arrival schedules the next: the agenda holds one pending arrival, not all of them.
        arrival(from, to, meanGapNanos);
        Principal controller = w.newUser();
        for (Canister c : counters) {
            w.sim.reinstall(from + w.sim.rng().nextLong(Math.max(1, to - from)), c.id(), Map.of());
            w.sim.upgrade(from + w.sim.rng().nextLong(Math.max(1, to - from)), c.id(), controller);
        }
    }

    private void arrival(long after, long to, double meanGapNanos) {
        long t = after + (long) (-Math.log(1 - w.sim.rng().nextDouble()) * meanGapNanos);
        if (t >= to) {
            return;
        }
        w.sim.at(t, () -> {
            call(t);
            arrival(t, to, meanGapNanos);
        });
    }

    private void call(long t) {
        int kind = w.sim.rng().nextInt(10);
        if (kind < 4 && !wallets.isEmpty()) {
            Principal user = w.sim.rng().pick(users);
            Canister wallet = w.sim.rng().pick(wallets);
            w.sim.ingress(t, user, wallet.id(), w.sim.rng().chance(0.7) ? "send" : "balance",
                    BigInteger.valueOf(1 + w.sim.rng().nextInt(1_000)));
        } else if (kind < 8 && !counters.isEmpty()) {
            Principal user = w.sim.rng().chance(anonymousShare) ? Principal.ANONYMOUS : w.sim.rng().pick(users);
            Canister counter = w.sim.rng().pick(counters);
            w.sim.ingress(t, user, counter.id(), w.sim.rng().chance(0.6) ? "increment" : "get", null);
        } else if (!proxies.isEmpty() && !counters.isEmpty()) {
            Principal user = w.sim.rng().pick(users);
            w.sim.ingress(t, user, w.sim.rng().pick(proxies).id(), "forward", w.sim.rng().pick(counters).id());
        }
    }
}
