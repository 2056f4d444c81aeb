package dev.interlock.sim.scenario;

import java.util.ArrayList;
import java.util.List;

import dev.interlock.ic.Principal;
import dev.interlock.model.AlertClass;
import dev.interlock.sim.engine.Canister;
import dev.interlock.sim.engine.ContextRecord;

/**
 * 8. A caller floods an expensive method (cycles drain). Fixed: the canister limits calls per
 * authenticated caller per minute and rejects the rest at once. Invariant: at most
 * {@link #LIMIT} executed calls of one caller per {@link #WINDOW_NANOS}.
 */
public final class FloodScenario implements Scenario {
    public static final int LIMIT = 10;
    public static final long WINDOW_NANOS = 60_000_000_000L;

    @Override
    public String name() {
        return "flood";
    }

    @Override
    public AlertClass alertClass() {
        return AlertClass.RATE_ANOMALY;
    }

    @Override
    public String description() {
        return "one caller floods an expensive method; fix: per-caller rate limit in the canister";
    }

    @Override
    public Instance install(World w, Variant variant, long at) {
        Canister c = w.monitored("indexer");
        c.method("reindex", ex -> {
            if (variant == Variant.FIXED) {
                String key = "calls:" + ex.caller() + ":" + (ex.now() / WINDOW_NANOS);
                Object seen = ex.read(key);
                long n = seen == null ? 0 : (Long) seen;
                if (n >= LIMIT) {
                    ex.reject("rate limit: " + LIMIT + " calls per minute");
                    return;
                }
                ex.write(key, n + 1);
            }
            ex.write("work:" + ex.contextId(), Boolean.TRUE);
            ex.reply();
        });
        Principal flooder = w.newUser();
        int calls = 3 * LIMIT + w.sim.rng().nextInt(2 * LIMIT);
        long start = (at / WINDOW_NANOS + 1) * WINDOW_NANOS; // within one rate window
        for (int i = 0; i < calls; i++) {
            w.sim.ingress(start + w.sim.rng().nextLong(WINDOW_NANOS / 4), flooder, c.id(), "reindex", null);
        }
        return Scenario.Instance.of(List.of(c.id()), () -> {
            List<String> executed = new ArrayList<>();
            long first = Long.MAX_VALUE;
            for (ContextRecord ctx : w.sim.contextsOf(c.id())) {
                if (ctx.caller.equals(flooder) && ctx.replied) {
                    executed.add(ctx.id);
                    first = Math.min(first, ctx.openedAt);
                }
            }
            if (executed.size() <= LIMIT) {
                return List.of();
            }
            return List.of(new Incident(AlertClass.RATE_ANOMALY, name(), variant.label(), c.id().toString(),
                    flooder.toString(), executed, List.of(), List.of(), null, null, first,
                    executed.size() + " executed reindex calls by one caller within a minute (limit " + LIMIT + ")"));
        });
    }
}
