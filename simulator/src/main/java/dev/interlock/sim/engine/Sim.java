package dev.interlock.sim.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import dev.interlock.ic.Principal;
import dev.interlock.model.trace.TraceFormat;
import dev.interlock.sim.ledger.TransferArgs;

/**
 * Discrete-event model of IC message execution, deterministic for a seed. Time advances in
 * rounds; in each round every canister with work executes a few messages, one at a time, picked
 * in a seed-chosen order from its per-source queues, so messages of different call contexts
 * interleave while one sender's requests keep their order. Messages sent in a round arrive in a
 * later one.
 */
public final class Sim {
    private final Rng rng;
    private final long roundNanos;
    private final int maxLatencyRounds;
    private final Evidence evidence;
    private final SimSink sink;
    private final Map<Principal, Canister> canisters = new LinkedHashMap<>();
    private final PriorityQueue<Scheduled> agenda = new PriorityQueue<>();
    private final Map<String, Long> lastDelivery = new HashMap<>();
    private final List<CallRecord> calls = new ArrayList<>();
    private final List<ContextRecord> contexts = new ArrayList<>();
    private final List<IngressRecord> ingress = new ArrayList<>();
    private final Map<ContextRecord, Request> ctxOrigin = new HashMap<>();
    private final Map<Principal, List<CallRecord>> callsByCanister = new HashMap<>();
    private final Map<Principal, List<ContextRecord>> contextsByCanister = new HashMap<>();
    private long now;
    private long seq;
    private long messagesExecuted;
    private long contextsOpened;
    private long boundedTimeoutNanos;

    private record Scheduled(long at, long seq, Runnable action) implements Comparable<Scheduled> {
        @Override
        public int compareTo(Scheduled o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }
    }

    record Request(Principal caller, String method, Object args, String correlation, String kind,
            IngressRecord ingress, Principal callerCanister, String callerCallId, Method timer) {
    }

    record Response(String callId, Outcome outcome) {
    }

    /** A user's call into a canister, and what it got back. */
    public static final class IngressRecord {
        public final Principal user;
        public final Principal canister;
        public final String method;
        public final long at;
        public Outcome result;

        IngressRecord(Principal user, Principal canister, String method, long at) {
            this.user = user;
            this.canister = canister;
            this.method = method;
            this.at = at;
        }
    }

    public Sim(long seed, long startTimeNanos, long roundNanos, Evidence evidence, SimSink sink) {
        this.rng = new Rng(seed);
        this.now = startTimeNanos;
        this.roundNanos = roundNanos;
        this.maxLatencyRounds = 2;
        this.evidence = evidence;
        this.sink = sink;
        this.boundedTimeoutNanos = 10 * roundNanos;
    }

    public Rng rng() {
        return rng;
    }

    public long now() {
        return now;
    }

    public long roundNanos() {
        return roundNanos;
    }

    Evidence evidence() {
        return evidence;
    }

    public Sim boundedTimeout(long nanos) {
        this.boundedTimeoutNanos = nanos;
        return this;
    }

    public <C extends Canister> C add(C canister) {
        if (canisters.putIfAbsent(canister.id, canister) != null) {
            throw new IllegalArgumentException("canister " + canister.id + " exists already");
        }
        return canister;
    }

    public Canister canister(Principal id) {
        return canisters.get(id);
    }

    boolean isMonitored(Principal id) {
        Canister c = canisters.get(id);
        return c != null && c.monitored;
    }

    public List<CallRecord> calls() {
        return calls;
    }

    public List<ContextRecord> contexts() {
        return contexts;
    }

    /** Calls made by one canister, in order. */
    public List<CallRecord> callsOf(Principal canister) {
        return callsByCanister.getOrDefault(canister, List.of());
    }

    /** Call contexts of one canister, in order. */
    public List<ContextRecord> contextsOf(Principal canister) {
        return contextsByCanister.getOrDefault(canister, List.of());
    }

    public List<IngressRecord> ingress() {
        return ingress;
    }

    public long messagesExecuted() {
        return messagesExecuted;
    }

    /** Every call context opened, kept in the history or not. */
    public long contextsOpened() {
        return contextsOpened;
    }

    // ---- scheduling

    public void at(long time, Runnable action) {
        agenda.add(new Scheduled(Math.max(time, now), seq++, action));
    }

    /** A user calls {@code method} of {@code canister} at {@code time}. */
    public IngressRecord ingress(long time, Principal user, Principal canister, String method, Object args) {
        IngressRecord r = new IngressRecord(user, canister, method, time);
        ingress.add(r);
        at(time, () -> {
            Canister c = canisters.get(canister);
            if (c == null) {
                r.result = Outcome.reject(RejectCode.DESTINATION_INVALID, "canister not found");
                return;
            }
            c.enqueue("ingress", new Request(user, method, args, null, "u", r, null, null, null));
        });
        return r;
    }

    /** A canister timer fires at {@code time}: a new call context of kind "t" whose caller is the canister. */
    public void timer(long time, Principal canister, String name, Method method) {
        at(time, () -> {
            Canister c = canisters.get(canister);
            c.enqueue("timer", new Request(canister, "timer:" + name, null, null, "t", null, null, null, method));
        });
    }

    /**
     * Upgrade: state and log survive; once the canister is idle (stopped), its {@code post_upgrade}
     * hook runs as a lifecycle context (kind "l") whose caller is the controller.
     */
    public void upgrade(long time, Principal canister, Principal controller) {
        at(time, () -> {
            Canister c = canisters.get(canister);
            if (!c.openContexts().isEmpty()) {
                upgrade(now + roundNanos, canister, controller);
                return;
            }
            if (c.methods.containsKey("post_upgrade")) {
                c.enqueue("lifecycle", new Request(controller, "post_upgrade", null, null, "l", null, null, null, null));
            }
        });
    }

    /** Reinstall: state, queues' pending callbacks and log are wiped; log idx goes on. */
    public void reinstall(long time, Principal canister, Map<String, Object> freshState) {
        at(time, () -> {
            Canister c = canisters.get(canister);
            if (!c.openContexts().isEmpty()) {
                reinstall(now + roundNanos, canister, freshState); // a canister must be stopped (idle) first
                return;
            }
            c.state.clear();
            c.state.putAll(freshState);
            c.log.purge();
            c.installEpoch++;
            c.contextCounter = 0;
            c.callCounter = 0;
        });
    }

    // ---- running

    /** Runs rounds until {@code endTime} (inclusive). */
    public void runUntil(long endTime) {
        while (now + roundNanos <= endTime) {
            now += roundNanos;
            round();
        }
    }

    /** Runs until nothing is queued or scheduled, or {@code maxTime} is reached. */
    public void runToQuiescence(long maxTime) {
        while (now + roundNanos <= maxTime && (!agenda.isEmpty() || anyWork())) {
            now += roundNanos;
            round();
        }
    }

    private boolean anyWork() {
        for (Canister c : canisters.values()) {
            if (c.hasWork()) {
                return true;
            }
        }
        return false;
    }

    private void round() {
        while (!agenda.isEmpty() && agenda.peek().at <= now) {
            agenda.poll().action.run();
        }
        List<Canister> ready = new ArrayList<>();
        for (Canister c : canisters.values()) {
            if (c.hasWork()) {
                ready.add(c);
            }
        }
        rng.shuffle(ready);
        for (Canister c : ready) {
            int n = 1 + rng.nextInt(c.maxMessagesPerRound);
            for (int i = 0; i < n && c.hasWork(); i++) {
                execute(c, c.takeNext(rng));
            }
        }
    }

    private void execute(Canister c, Object message) {
        messagesExecuted++;
        if (message instanceof Request r) {
            executeRequest(c, r);
        } else {
            Response resp = (Response) message;
            Canister.PendingCall p = c.pending.remove(resp.callId());
            if (p == null) {
                return; // answered already (a bounded-wait call that timed out)
            }
            runCallback(c, p, resp.outcome());
        }
    }

    private void executeRequest(Canister c, Request r) {
        if (c.native_()) {
            Object result;
            Outcome outcome;
            try {
                result = c.executeNative(r.caller(), r.method(), r.args(), now);
                outcome = Outcome.reply(result);
            } catch (IllegalArgumentException e) {
                outcome = Outcome.reject(RejectCode.CANISTER_ERROR, e.getMessage());
            }
            respond(r, outcome, c instanceof LedgerCanister);
            return;
        }
        Method m = r.timer() != null ? r.timer() : c.methods.get(r.method());
        ContextRecord ctx = new ContextRecord(c.id, c.nextContextId(), r.caller(), r.method(), r.kind(), now);
        c.contexts.put(ctx.id, ctx);
        contextsOpened++;
        if (c.keepHistory) {
            contexts.add(ctx);
            contextsByCanister.computeIfAbsent(c.id, k -> new ArrayList<>()).add(ctx);
        }
        ctxOrigin.put(ctx, r);
        if (c.monitored) {
            appendLog(c, TraceWriter.entry(ctx.id, r.method(), r.caller().toString(), r.kind(), r.correlation()));
        }
        if (m == null) {
            closeContext(c, ctx, false, RejectCode.CANISTER_ERROR, "method " + r.method() + " not found");
            return;
        }
        Exec ex = new Exec(this, c, ctx, r.args());
        try {
            m.run(ex);
            commit(c, ex);
        } catch (TrapException t) {
            trapped(c, ctx, t.getMessage(), null);
        }
    }

    private void runCallback(Canister c, Canister.PendingCall p, Outcome outcome) {
        ContextRecord ctx = p.context;
        ctx.outstanding--;
        if (c.monitored) {
            appendLog(c, TraceWriter.callback(ctx.id, p.record.callId, outcome));
        }
        if (p.callback == null) {
            finishIfDone(c, ctx);
            return;
        }
        Exec ex = new Exec(this, c, ctx, null);
        try {
            p.callback.onResponse(ex, outcome);
            commit(c, ex);
        } catch (TrapException t) {
            trapped(c, ctx, t.getMessage(), p);
        }
    }

    private void commit(Canister c, Exec ex) {
        c.state.putAll(ex.writes);
        ContextRecord ctx = ex.context;
        for (Exec.Staged s : ex.staged) {
            send(c, ctx, s);
        }
        for (Exec.Timer t : ex.timers) {
            timer(now + t.delayNanos(), c.id, t.name(), t.method());
        }
        if (ex.stall) {
            ctx.stalled = true;
        }
        if (ex.replied) {
            closeContext(c, ctx, true, null, null, ex.replyPayload);
        } else if (ex.rejectCode != null) {
            closeContext(c, ctx, false, ex.rejectCode, ex.rejectMessage);
        } else {
            finishIfDone(c, ctx);
        }
    }

    /** A context with no reply, no outstanding call and no stall is rejected by the system. */
    private void finishIfDone(Canister c, ContextRecord ctx) {
        if (ctx.open() && ctx.outstanding == 0 && !ctx.stalled) {
            closeContext(c, ctx, false, RejectCode.CANISTER_ERROR, "canister did not reply to the call");
        }
    }

    private void trapped(Canister c, ContextRecord ctx, String message, Canister.PendingCall inCallback) {
        ctx.traps.add(message);
        appendTrapRecord(c, message);
        if (inCallback != null && inCallback.cleanup != null) {
            if (c.monitored) {
                appendLog(c, TraceWriter.cleanup(ctx.id, inCallback.record.callId));
            }
            Exec ex = new Exec(this, c, ctx, null);
            try {
                inCallback.cleanup.run(ex);
                c.state.putAll(ex.writes); // cleanup may change state but not call or reply
            } catch (TrapException t) {
                ctx.traps.add(t.getMessage());
                appendTrapRecord(c, t.getMessage());
            }
        }
        if (ctx.open() && ctx.outstanding == 0) {
            closeContext(c, ctx, false, RejectCode.CANISTER_ERROR, "canister trapped: " + message);
        }
    }

    private void appendTrapRecord(Canister c, String message) {
        if (c.language == Canister.Language.RUST && message != null && rng.chance(0.7)) {
            String where = "src/lib.rs:" + (20 + rng.nextInt(400)) + ":" + (5 + rng.nextInt(30));
            appendLog(c, "Panicked at '" + message + "', " + where);
            message = "Panicked at '" + message + "', " + where;
        }
        String body = message == null || message.isEmpty() ? "(no message)" : message;
        if (rng.chance(0.1)) {
            body = body + "\nCanister Backtrace:\n_wasm_backtrace::callback\n" + c.name + "::update::h" + rng.nextInt(9999);
        }
        appendLog(c, TraceFormat.TRAP_PREFIX + " " + body);
    }

    private void send(Canister c, ContextRecord ctx, Exec.Staged s) {
        CallRecord rec = s.record();
        recordCall(ctx, rec);
        Canister callee = canisters.get(rec.callee);
        if (rec.wait != Wait.NOTIFY) {
            ctx.outstanding++;
            c.pending.put(rec.callId, new Canister.PendingCall(rec, ctx, s.callback(), s.cleanup()));
        }
        if (rec.wait == Wait.BOUNDED) {
            at(now + (s.timeoutNanos() > 0 ? s.timeoutNanos() : boundedTimeoutNanos), () -> timeout(c, rec));
        }
        long arrival = arrival(c.id, rec.callee);
        at(arrival, () -> deliverRequest(c, callee, rec, s));
    }

    private long arrival(Principal from, Principal to) {
        String pair = from + ">" + to;
        long t = now + roundNanos * (1 + rng.nextInt(maxLatencyRounds));
        long last = lastDelivery.getOrDefault(pair, 0L);
        t = Math.max(t, last); // both delivered: they start in send order
        lastDelivery.put(pair, t);
        return t;
    }

    private void deliverRequest(Canister caller, Canister callee, CallRecord rec, Exec.Staged s) {
        if (callee == null) {
            answer(caller, rec, Outcome.reject(RejectCode.DESTINATION_INVALID, "canister " + rec.callee + " not found"));
            return;
        }
        String queue = "req:" + caller.id;
        boolean full = callee.queueLength(queue) >= callee.queueCapacity || rng.chance(callee.rejectIncoming)
                || rng.chance(callee.rejectFrom.getOrDefault(caller.id, 0.0));
        if (full) {
            answer(caller, rec, Outcome.reject(RejectCode.SYS_TRANSIENT, "canister queue full"));
            return;
        }
        callee.enqueue(queue, new Request(caller.id, rec.method, s.args(), s.correlation(), "u", null, caller.id,
                rec.callId, null));
    }

    /**
     * {@code fromLedger}: the responder is the ledger, so an {@code Ok(block)} reply names a block
     * it produced; another canister replying a block index (a payment router, say) only claims one,
     * and the call's {@link CallRecord#block} stays unset (the claim is in its outcome).
     */
    private void respond(Request r, Outcome outcome, boolean fromLedger) {
        if (r.ingress() != null) {
            r.ingress().result = outcome;
            return;
        }
        Canister caller = canisters.get(r.callerCanister());
        Canister.PendingCall p = caller.pending.get(r.callerCallId());
        if (p != null) {
            p.record.executedByCallee = true;
            if (fromLedger && outcome.transferResult() != null && outcome.transferResult().isOk()) {
                p.record.block = outcome.transferResult().blockIndex();
            }
        } else {
            // A bounded-wait call that already timed out, or a notify: the effect happened all the same.
            List<CallRecord> own = callsOf(caller.id);
            for (int i = own.size() - 1; i >= 0; i--) {
                CallRecord rec = own.get(i);
                if (rec.callId.equals(r.callerCallId())) {
                    rec.executedByCallee = true;
                    if (fromLedger && outcome.transferResult() != null && outcome.transferResult().isOk()) {
                        rec.block = outcome.transferResult().blockIndex();
                    }
                    break;
                }
            }
        }
        at(now + roundNanos * (1 + rng.nextInt(maxLatencyRounds)), () -> answer(caller, r.callerCallId(), outcome));
    }

    private void answer(Canister caller, CallRecord rec, Outcome outcome) {
        at(now + roundNanos, () -> answer(caller, rec.callId, outcome));
    }

    private void answer(Canister caller, String callId, Outcome outcome) {
        Canister.PendingCall p = caller.pending.get(callId);
        if (p == null || p.answered) {
            return;
        }
        p.answered = true;
        p.record.outcome = outcome;
        p.record.respondedAt = now;
        caller.enqueue("resp:" + callId, new Response(callId, outcome));
    }

    private void timeout(Canister caller, CallRecord rec) {
        Canister.PendingCall p = caller.pending.get(rec.callId);
        if (p != null && !p.answered) {
            answer(caller, rec.callId, Outcome.reject(RejectCode.SYS_UNKNOWN, "deadline expired"));
        }
    }

    private void closeContext(Canister c, ContextRecord ctx, boolean replied, Integer code, String message) {
        closeContext(c, ctx, replied, code, message, null);
    }

    private void closeContext(Canister c, ContextRecord ctx, boolean replied, Integer code, String message,
            Object payload) {
        if (!ctx.open()) {
            return;
        }
        ctx.closedAt = now;
        ctx.replied = replied;
        ctx.rejectCode = code;
        if (!c.keepHistory) {
            c.contexts.remove(ctx.id);
        }
        Request origin = ctxOrigin.remove(ctx);
        if (origin != null && "u".equals(ctx.kind)) {
            respond(origin, replied ? Outcome.reply(payload) : Outcome.reject(code, message), false);
        }
    }

    void recordCall(ContextRecord ctx, CallRecord rec) {
        ctx.calls.add(rec);
        if (!canisters.get(rec.canister).keepHistory) {
            return;
        }
        calls.add(rec);
        callsByCanister.computeIfAbsent(rec.canister, k -> new ArrayList<>()).add(rec);
    }

    void appendLog(Canister c, String content) {
        LogRecord r = c.log.append(now, content);
        if (c.monitored) {
            sink.logRecord(c.id, r);
        }
    }

    /** The transfer arguments of a call, when it was a ledger transfer. */
    public static TransferArgs transferOf(CallRecord r) {
        return r.transfer;
    }
}
