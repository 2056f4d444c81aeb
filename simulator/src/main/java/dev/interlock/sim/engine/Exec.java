package dev.interlock.sim.engine;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.interlock.ic.Account;
import dev.interlock.ic.Principal;
import dev.interlock.sim.ledger.TransferArgs;

/**
 * One message execution, as a canister program sees it. State writes, outgoing calls and the
 * reply are staged and take effect only if the message ends without trapping; lines it prints
 * reach the log at once and stay even if it traps, exactly as on the IC.
 */
public final class Exec {
    final Sim sim;
    final Canister canister;
    final ContextRecord context;
    final long now;
    final Map<String, Object> writes = new HashMap<>();
    final List<Staged> staged = new ArrayList<>();
    Integer rejectCode;
    String rejectMessage;
    boolean replied;
    Object replyPayload;
    boolean uncaughtThrow;
    boolean stall;
    private final Object args;

    record Timer(long delayNanos, String name, Method method) {
    }

    final List<Timer> timers = new ArrayList<>();

    record Staged(CallRecord record, Callback callback, Cleanup cleanup, Object args, String correlation,
            long timeoutNanos) {
    }

    Exec(Sim sim, Canister canister, ContextRecord context, Object args) {
        this.sim = sim;
        this.canister = canister;
        this.context = context;
        this.now = sim.now();
        this.args = args;
    }

    // ---- who, what, when

    public Principal self() {
        return canister.id;
    }

    public Principal caller() {
        return context.caller;
    }

    public String method() {
        return context.method;
    }

    public String contextId() {
        return context.id;
    }

    public long now() {
        return now;
    }

    /** The entry message's argument (null in callbacks). */
    @SuppressWarnings("unchecked")
    public <T> T args() {
        return (T) args;
    }

    public Rng rng() {
        return sim.rng();
    }

    // ---- state

    public Object read(String key) {
        Object v = writes.containsKey(key) ? writes.get(key) : canister.state.get(key);
        trace(Evidence.FULL, TraceWriter.read(context.id, key, v));
        return v;
    }

    public BigInteger readNat(String key) {
        Object v = read(key);
        return v == null ? BigInteger.ZERO : (BigInteger) v;
    }

    public boolean readFlag(String key) {
        return Boolean.TRUE.equals(read(key));
    }

    public void write(String key, Object value) {
        writes.put(key, value);
        trace(Evidence.FULL, TraceWriter.write(context.id, key, value));
    }

    // ---- guards and journal (optional evidence)

    /** Takes a guard (a state flag); false when another context holds it. */
    public boolean acquire(String guard) {
        String key = "guard:" + guard;
        boolean held = Boolean.TRUE.equals(writes.containsKey(key) ? writes.get(key) : canister.state.get(key));
        trace(Evidence.FULL, TraceWriter.guardAcquire(context.id, guard, !held));
        if (!held) {
            writes.put(key, Boolean.TRUE);
        }
        return !held;
    }

    public void release(String guard) {
        writes.put("guard:" + guard, Boolean.FALSE);
        trace(Evidence.FULL, TraceWriter.guardRelease(context.id, guard));
    }

    public void journalIntent(String journal, String op, String call) {
        writes.put("journal:" + journal, "intent:" + op);
        trace(Evidence.FULL, TraceWriter.journalIntent(context.id, journal, op, call));
    }

    public void journalResult(String journal, boolean ok) {
        writes.put("journal:" + journal, ok ? "done" : "failed");
        trace(Evidence.FULL, TraceWriter.journalResult(context.id, journal, ok));
    }

    // ---- calls

    /** Result of starting a call: sent (its callback will run once) or failed synchronously. */
    public record CallStart(String callId, boolean sent, int rejectCode, String rejectMessage) {
    }

    public CallStart call(Principal callee, String method, Object callArgs, Wait wait, Callback cb, Cleanup cleanup) {
        return call(callee, method, callArgs, wait, 0, cb, cleanup);
    }

    /** A call; for bounded-wait calls {@code timeoutNanos} overrides the simulation's default deadline. */
    public CallStart call(Principal callee, String method, Object callArgs, Wait wait, long timeoutNanos, Callback cb,
            Cleanup cleanup) {
        return send(callee, method, callArgs, wait, timeoutNanos, cb, cleanup, null, null);
    }

    /**
     * A call to another canister whose effect should be a transfer on {@code ledger} made by the
     * callee (a payment router pulling with {@code icrc2_transfer_from}, say): the trace line names
     * {@code expectedTransfer} as {@code tx}, with {@code "l"} the ledger when the callee is not the
     * ledger itself, so that Interlock can check the transfer appears. {@code timeoutNanos} as in
     * {@link #call(Principal, String, Object, Wait, long, Callback, Cleanup)}.
     */
    public CallStart call(Principal callee, String method, Object callArgs, Wait wait, long timeoutNanos, Callback cb,
            Cleanup cleanup, Principal ledger, TransferArgs expectedTransfer) {
        return send(callee, method, callArgs, wait, timeoutNanos, cb, cleanup, expectedTransfer,
                ledger != null && !ledger.equals(callee) ? ledger : null);
    }

    private CallStart send(Principal callee, String method, Object callArgs, Wait wait, long timeoutNanos, Callback cb,
            Cleanup cleanup, TransferArgs expected, Principal expectedLedger) {
        String callId = canister.nextCallId();
        TransferArgs tx = callArgs instanceof TransferArgs t ? t : expected;
        // "l" belongs to an expected transfer only, never to a transfer the call itself asks the ledger for.
        String ledger = tx == expected && tx != null && expectedLedger != null ? expectedLedger.toString() : null;
        String correlation = sim.isMonitored(callee) ? callId : null;
        trace(Evidence.REQUIRED,
                TraceWriter.call(context.id, callId, callee.toString(), method, wait, correlation, tx, ledger));
        CallRecord record = new CallRecord(canister.id, context.id, callId, callee, method, wait, tx, now);
        if (sim.rng().chance(canister.syncFail)) {
            record.syncFailed = true;
            String msg = sim.rng().chance(0.5) ? "output queue full" : "insufficient cycles";
            trace(Evidence.REQUIRED, TraceWriter.sendFailed(context.id, callId, RejectCode.SYS_TRANSIENT, msg));
            sim.recordCall(context, record);
            return new CallStart(callId, false, RejectCode.SYS_TRANSIENT, msg);
        }
        staged.add(new Staged(record, cb, cleanup, callArgs, correlation, timeoutNanos));
        return new CallStart(callId, true, 0, null);
    }

    /** {@code icrc1_transfer} from this canister's default account. */
    public CallStart transfer(Principal ledger, TransferArgs args, Wait wait, Callback cb, Cleanup cleanup) {
        return call(ledger, "icrc1_transfer", args, wait, cb, cleanup);
    }

    /** Transfer arguments from this canister's default account. */
    public TransferArgs pay(Account to, BigInteger amount) {
        return TransferArgs.transfer(Account.of(canister.id), to, amount);
    }

    public CallStart notify(Principal callee, String method, Object callArgs) {
        return call(callee, method, callArgs, Wait.NOTIFY, null, null);
    }

    /** A notify whose expected effect is a ledger transfer; the trace line carries it as {@code tx}. */
    public CallStart notify(Principal callee, String method, Object callArgs, TransferArgs expectedTransfer) {
        return send(callee, method, callArgs, Wait.NOTIFY, 0, null, null, expectedTransfer, null);
    }

    /** Sets a one-shot timer (staged like any effect: a trap cancels it). */
    public void setTimer(long delayNanos, String name, Method method) {
        timers.add(new Timer(delayNanos, name, method));
    }

    // ---- ending the context

    public void reply() {
        replied = true;
        trace(Evidence.REQUIRED, TraceWriter.reply(context.id));
    }

    /** Replies with a value the caller's callback receives as {@link Outcome#payload()}. */
    public void replyWith(Object payload) {
        replyPayload = payload;
        reply();
    }

    public void reject(String message) {
        rejectCode = RejectCode.CANISTER_REJECT;
        rejectMessage = message;
        trace(Evidence.REQUIRED, TraceWriter.reject(context.id, RejectCode.CANISTER_REJECT, message, false));
    }

    /** Motoko: an uncaught throw. Unlike a trap it commits the message's state changes, and rejects the caller. */
    public void throwUncaught(String message) {
        uncaughtThrow = true;
        rejectCode = RejectCode.CANISTER_REJECT;
        rejectMessage = message;
        trace(Evidence.REQUIRED, TraceWriter.reject(context.id, RejectCode.CANISTER_REJECT, message, true));
    }

    /** Traps: nothing this message staged happens; printed lines stay, and the system adds a [TRAP] record. */
    public void trap(String message) {
        throw new TrapException(message);
    }

    /** Never replies: the context stays open (as if awaiting a call that never returns). */
    public void stall() {
        stall = true;
    }

    /** An ordinary log line. */
    public void print(String line) {
        sim.appendLog(canister, line);
    }

    private void trace(Evidence level, String line) {
        if (canister.monitored && (level == Evidence.REQUIRED || sim.evidence() == Evidence.FULL)) {
            sim.appendLog(canister, line);
        }
    }
}
