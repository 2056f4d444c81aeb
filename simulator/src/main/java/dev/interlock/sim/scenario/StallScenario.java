package dev.interlock.sim.scenario;

import java.util.ArrayList;
import java.util.List;

import dev.interlock.ic.Principal;
import dev.interlock.model.AlertClass;
import dev.interlock.sim.engine.CallRecord;
import dev.interlock.sim.engine.Canister;
import dev.interlock.sim.engine.ContextRecord;
import dev.interlock.sim.engine.Wait;

/**
 * 5. Calls to a stalling canister: an oracle that never answers some requests. With
 * unbounded-wait calls the caller's contexts stay open for good (the canister cannot be stopped
 * or upgraded cleanly). Fixed: bounded-wait calls, which end with SYS_UNKNOWN at their deadline.
 * Invariant: every call is answered within {@link #STALL_AFTER_ROUNDS} rounds.
 */
public final class StallScenario implements Scenario {
    public static final int STALL_AFTER_ROUNDS = 120;

    @Override
    public String name() {
        return "stall";
    }

    @Override
    public AlertClass alertClass() {
        return AlertClass.STALLED_CALL;
    }

    @Override
    public String description() {
        return "unbounded-wait calls to an oracle that stalls; fix: bounded-wait calls";
    }

    @Override
    public Instance install(World w, Variant variant, long at) {
        Canister oracle = w.unmonitored("oracle");
        oracle.method("get_price", ex -> {
            if (ex.rng().chance(0.6)) {
                ex.stall();
            } else {
                ex.reply();
            }
        });
        Canister c = w.monitored("lending");
        Wait wait = variant == Variant.VULNERABLE ? Wait.UNBOUNDED : Wait.BOUNDED;
        c.method("quote", ex -> ex.call(oracle.id(), "get_price", null, wait, w.rounds(20), (cb, o) -> {
            if (o.replied()) {
                cb.reply();
            } else {
                cb.reject("price unavailable: " + o);
            }
        }, null));
        Principal user = w.newUser();
        for (int i = 0; i < 3; i++) {
            w.sim.ingress(at + w.rounds(4 * i), user, c.id(), "quote", null);
        }
        return Scenario.Instance.of(List.of(c.id()), () -> {
            long limit = w.rounds(STALL_AFTER_ROUNDS);
            List<CallRecord> stalled = new ArrayList<>();
            List<String> contexts = new ArrayList<>();
            for (ContextRecord ctx : w.sim.contextsOf(c.id())) {
                for (CallRecord call : ctx.calls) {
                    long answered = call.respondedAt < 0 ? w.sim.now() : call.respondedAt;
                    if (call.wait == Wait.UNBOUNDED && answered - call.sentAt >= limit) {
                        stalled.add(call);
                        contexts.add(ctx.id);
                    }
                }
            }
            List<Incident> out = new ArrayList<>();
            for (int i = 0; i < stalled.size(); i++) {
                CallRecord s = stalled.get(i);
                out.add(new Incident(AlertClass.STALLED_CALL, name(), variant.label(), c.id().toString(),
                        user.toString(), List.of(contexts.get(i)), List.of(s.callId), List.of(), null, null,
                        s.sentAt + limit, "unbounded-wait call to " + oracle.id() + " unanswered for over "
                                + STALL_AFTER_ROUNDS + " rounds"));
            }
            return out;
        });
    }
}
