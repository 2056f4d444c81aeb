package dev.interlock.sim.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.interlock.ic.Principal;

/**
 * A canister: methods, committed state, input queues, open call contexts, pending outgoing
 * calls and its log. Monitored canisters print call-trace lines; the ledger does not.
 */
public class Canister {
    public enum Language { RUST, MOTOKO }

    final Principal id;
    final String name;
    final boolean monitored;
    final Language language;
    final Map<String, Method> methods = new HashMap<>();
    final Map<String, Object> state = new HashMap<>();
    final CanisterLog log;
    /** Per-source FIFO queues: "ingress", "req:<sender>", and one "resp:<call>" per response. */
    final LinkedHashMap<String, ArrayDeque<Object>> queues = new LinkedHashMap<>();
    final Map<String, PendingCall> pending = new HashMap<>();
    final Map<String, ContextRecord> contexts = new LinkedHashMap<>();
    long contextCounter;
    long callCounter;
    int installEpoch;
    int queued;

    /** Faults: chance that a request delivered here is rejected as if the input queue were full. */
    double rejectIncoming;
    /** Faults: like {@link #rejectIncoming}, but only for requests from one sender. */
    final Map<Principal, Double> rejectFrom = new HashMap<>();
    /** Faults: chance that an outgoing call fails synchronously (output queue full, too few cycles). */
    double syncFail;
    /** Input queue capacity per sender. */
    int queueCapacity = 500;
    /** Keep closed contexts and calls for the ground truth; honest background canisters need not. */
    boolean keepHistory = true;
    /** Most messages executed in one round. */
    int maxMessagesPerRound = 50;

    static final class PendingCall {
        final CallRecord record;
        final ContextRecord context;
        final Callback callback;
        final Cleanup cleanup;
        boolean answered;

        PendingCall(CallRecord record, ContextRecord context, Callback callback, Cleanup cleanup) {
            this.record = record;
            this.context = context;
            this.callback = callback;
            this.cleanup = cleanup;
        }
    }

    public Canister(Principal id, String name, boolean monitored, Language language, int logLimit) {
        this.id = id;
        this.name = name;
        this.monitored = monitored;
        this.language = language;
        this.log = new CanisterLog(logLimit);
    }

    public Canister method(String name, Method m) {
        methods.put(name, m);
        return this;
    }

    public Canister set(String key, Object value) {
        state.put(key, value);
        return this;
    }

    public Canister rejectIncoming(double p) {
        this.rejectIncoming = p;
        return this;
    }

    public Canister rejectFrom(Principal sender, double p) {
        rejectFrom.put(sender, p);
        return this;
    }

    public Canister syncFail(double p) {
        this.syncFail = p;
        return this;
    }

    public Canister maxMessagesPerRound(int n) {
        this.maxMessagesPerRound = n;
        return this;
    }

    public Canister keepHistory(boolean keep) {
        this.keepHistory = keep;
        return this;
    }

    public Canister queueCapacity(int n) {
        this.queueCapacity = n;
        return this;
    }

    public Principal id() {
        return id;
    }

    public String name() {
        return name;
    }

    public boolean monitored() {
        return monitored;
    }

    public Language language() {
        return language;
    }

    public CanisterLog log() {
        return log;
    }

    public Object get(String key) {
        return state.get(key);
    }

    /** Committed state, for invariant checks. */
    public Map<String, Object> state() {
        return java.util.Collections.unmodifiableMap(state);
    }

    public List<ContextRecord> openContexts() {
        List<ContextRecord> open = new ArrayList<>();
        for (ContextRecord c : contexts.values()) {
            if (c.open()) {
                open.add(c);
            }
        }
        return open;
    }

    String nextContextId() {
        return epochPrefix() + "c" + (++contextCounter);
    }

    String nextCallId() {
        return epochPrefix() + "k" + (++callCounter);
    }

    private String epochPrefix() {
        return installEpoch == 0 ? "" : installEpoch + ".";
    }

    void enqueue(String queue, Object message) {
        queues.computeIfAbsent(queue, q -> new ArrayDeque<>()).addLast(message);
        queued++;
    }

    int queueLength(String queue) {
        ArrayDeque<Object> q = queues.get(queue);
        return q == null ? 0 : q.size();
    }

    boolean hasWork() {
        return queued > 0;
    }

    /** A random non-empty queue's head: per-source FIFO, no order across sources. */
    Object takeNext(Rng rng) {
        int pick = rng.nextInt(queues.size());
        Iterator<Map.Entry<String, ArrayDeque<Object>>> it = queues.entrySet().iterator();
        Map.Entry<String, ArrayDeque<Object>> chosen = null;
        for (int i = 0; i <= pick; i++) {
            chosen = it.next();
        }
        Object m = chosen.getValue().pollFirst();
        if (chosen.getValue().isEmpty()) {
            queues.remove(chosen.getKey());
        }
        queued--;
        return m;
    }

    /** Canister-specific execution of a request; the ledger overrides it. */
    boolean native_() {
        return false;
    }

    Object executeNative(Principal caller, String method, Object args, long now) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String toString() {
        return name + "(" + id + ")";
    }
}
