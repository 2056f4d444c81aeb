package dev.interlock.detector.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Evidence;
import dev.interlock.model.Severity;

/**
 * CALL_CYCLE, across canisters: the outstanding calls between monitored canisters, linked by
 * the trace format's correlation ids (the caller prints {@code r} on its call line, the callee
 * on its entry line). When a context makes a call to a canister that already appears among the
 * callers above it (A → B → C → A), every call in that chain is outstanding at once: a cycle, and
 * with unbounded waits or locks a deadlock. Without correlation ids no link is made and nothing
 * is raised (a best-effort match on caller and send order would guess).
 *
 * Holds outstanding calls and the links of open contexts only: answered calls and closed
 * contexts are dropped. Plain Java: the offline scan feeds it every canister's events; the service
 * will run it on a topic re-keyed to one partition.
 */
public final class CallGraph {
    private record Ctx(String canister, String context) {
    }

    private record Call(String canister, String call) {
    }

    private static final class Link {
        Ctx parent;
        String parentCall;
    }

    private final Map<Call, Ctx> callContexts = new HashMap<>();
    private final Map<Call, String> callees = new HashMap<>();
    private final Map<Ctx, Link> calledBy = new HashMap<>();
    private final Set<String> raised = new java.util.LinkedHashSet<>();

    /** Feeds one event (not rolled back) of any monitored canister; returns new CALL_CYCLE alerts. */
    public List<Alert> accept(CallEvent e) {
        if (e.rolledBack()) {
            return List.of();
        }
        switch (e.kind()) {
            case CONTEXT_OPEN -> {
                if (e.subject() != null && e.caller() != null) {
                    Call parentCall = new Call(e.caller(), e.subject());
                    Ctx parent = callContexts.get(parentCall);
                    if (parent != null) {
                        Link l = new Link();
                        l.parent = parent;
                        l.parentCall = e.subject();
                        calledBy.put(new Ctx(e.canister(), e.context()), l);
                    }
                }
            }
            case CALL -> {
                Call call = new Call(e.canister(), e.call());
                callContexts.put(call, new Ctx(e.canister(), e.context()));
                callees.put(call, e.callee());
                return cycle(e);
            }
            case CALLBACK, SEND_FAILED -> {
                // An answered call is no longer outstanding: forget it (children that still point to it
                // find it unknown, which breaks their chain exactly as an answered call does).
                Call call = new Call(e.canister(), e.call());
                callContexts.remove(call);
                callees.remove(call);
            }
            case CONTEXT_CLOSE, TRAP -> calledBy.remove(new Ctx(e.canister(), e.context()));
            default -> {
            }
        }
        return List.of();
    }

    private List<Alert> cycle(CallEvent e) {
        List<String> canisters = new ArrayList<>();
        List<String> contexts = new ArrayList<>();
        List<String> calls = new ArrayList<>();
        canisters.add(e.canister());
        contexts.add(e.canister() + ":" + e.context());
        calls.add(e.canister() + ":" + e.call());
        Ctx at = new Ctx(e.canister(), e.context());
        Set<Ctx> seen = new HashSet<>();
        while (seen.add(at)) {
            Link up = calledBy.get(at);
            if (up == null || !callContexts.containsKey(new Call(up.parent.canister(), up.parentCall))) {
                return List.of();
            }
            at = up.parent;
            canisters.add(0, at.canister());
            contexts.add(0, at.canister() + ":" + at.context());
            calls.add(0, at.canister() + ":" + up.parentCall);
            if (at.canister().equals(e.callee())) {
                String key = AlertClass.CALL_CYCLE + "/" + String.join(">", calls);
                if (!raised.add(key)) {
                    return List.of();
                }
                if (raised.size() > 10_000) {
                    raised.remove(raised.iterator().next());
                }
                canisters.add(e.callee());
                String explanation = "Outstanding calls form a cycle " + String.join(" -> ", canisters) + " (calls "
                        + calls + "): each waits for the next, and the last calls back into a canister that is "
                        + "still waiting. With unbounded waits or a lock held across the await this deadlocks; "
                        + "break the cycle or use bounded-wait calls.";
                // Reported on the canister the cycle returns to: the one whose outstanding call started it.
                return List.of(new Alert(Alert.VERSION, key, AlertClass.CALL_CYCLE, Severity.CRITICAL, e.callee(),
                        List.of(), null, explanation, new Evidence(List.of(e.id()), contexts, calls, List.of(), null,
                                List.of("correlation-ids", "outstanding-calls"), List.of()), e.timeNanos()));
            }
        }
        return List.of();
    }

    /** Outstanding calls held (for tests and metrics). */
    public int outstandingCalls() {
        return callContexts.size();
    }

    /** Open contexts linked to their caller (for tests and metrics). */
    public int linkedContexts() {
        return calledBy.size();
    }
}
