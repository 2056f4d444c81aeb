package dev.interlock.sim.scenario;

import java.util.ArrayList;
import java.util.List;

import dev.interlock.ic.Principal;
import dev.interlock.model.AlertClass;
import dev.interlock.sim.engine.CallRecord;
import dev.interlock.sim.engine.Canister;
import dev.interlock.sim.engine.Wait;

/**
 * 6. A call-graph loop A → B → C → A: A holds a lock while its call is outstanding, and the call
 * that comes back round to A needs that lock, so it waits forever and so does everything above
 * it. Fixed: C answers from its own state instead of calling back into A. Invariant: no cycle in
 * the graph of outstanding calls.
 */
public final class CycleScenario implements Scenario {
    @Override
    public String name() {
        return "cycle";
    }

    @Override
    public AlertClass alertClass() {
        return AlertClass.CALL_CYCLE;
    }

    @Override
    public String description() {
        return "A calls B calls C calls A while A's call is outstanding; fix: no call back into A";
    }

    @Override
    public Instance install(World w, Variant variant, long at) {
        Canister a = w.monitored("vault-a");
        Canister b = w.monitored("router-b");
        Canister c = w.monitored("pricer-c");
        a.method("rebalance", ex -> {
            if (!ex.acquire("rebalance")) {
                ex.reject("busy");
                return;
            }
            ex.call(b.id(), "route", null, Wait.UNBOUNDED, (cb, o) -> {
                cb.release("rebalance");
                cb.reply();
            }, cu -> cu.release("rebalance"));
        });
        a.method("valuation", ex -> {
            if (ex.readFlag("guard:rebalance")) {
                ex.stall(); // waits for the lock, which its own caller chain holds: deadlock
            } else {
                ex.reply();
            }
        });
        b.method("route", ex -> ex.call(c.id(), "price", null, Wait.UNBOUNDED, (cb, o) -> cb.reply(), null));
        c.method("price", variant == Variant.VULNERABLE
                ? ex -> ex.call(a.id(), "valuation", null, Wait.UNBOUNDED, (cb, o) -> cb.reply(), null)
                : ex -> ex.reply());
        Principal user = w.newUser();
        w.sim.ingress(at, user, a.id(), "rebalance", null);
        return Scenario.Instance.of(List.of(a.id(), b.id(), c.id()), () -> {
            List<CallRecord> ab = between(w, a.id(), b.id());
            List<CallRecord> bc = between(w, b.id(), c.id());
            List<CallRecord> ca = between(w, c.id(), a.id());
            List<Incident> out = new ArrayList<>();
            // The calls of a deadlocked cycle are stalled calls too: unanswered, unbounded waits.
            for (Canister x : List.of(a, b, c)) {
                for (CallRecord call : w.sim.callsOf(x.id())) {
                    long answered = call.respondedAt < 0 ? w.sim.now() : call.respondedAt;
                    if (call.wait == Wait.UNBOUNDED && answered - call.sentAt >= w.rounds(StallScenario.STALL_AFTER_ROUNDS)) {
                        out.add(new Incident(AlertClass.STALLED_CALL, name(), variant.label(), x.id().toString(),
                                user.toString(), List.of(call.context), List.of(call.callId), List.of(), null, null,
                                call.sentAt + w.rounds(StallScenario.STALL_AFTER_ROUNDS),
                                "unbounded-wait call to " + call.callee + " stalled in the call cycle"));
                    }
                }
            }
            for (CallRecord back : ca) {
                CallRecord first = outstandingAt(ab, back.sentAt);
                CallRecord second = outstandingAt(bc, back.sentAt);
                if (first != null && second != null) {
                    out.add(0, new Incident(AlertClass.CALL_CYCLE, name(), variant.label(), a.id().toString(),
                            user.toString(), List.of(first.context, second.context, back.context),
                            List.of(first.callId, second.callId, back.callId), List.of(), null, null, back.sentAt,
                            "outstanding calls " + a.id() + " -> " + b.id() + " -> " + c.id() + " -> " + a.id()));
                    break;
                }
            }
            return out;
        });
    }

    private static List<CallRecord> between(World w, Principal from, Principal to) {
        List<CallRecord> out = new ArrayList<>();
        for (CallRecord r : w.sim.callsOf(from)) {
            if (r.callee.equals(to) && !r.syncFailed) {
                out.add(r);
            }
        }
        return out;
    }

    private static CallRecord outstandingAt(List<CallRecord> calls, long t) {
        for (CallRecord r : calls) {
            if (r.sentAt <= t && (r.respondedAt < 0 || r.respondedAt > t)) {
                return r;
            }
        }
        return null;
    }
}
