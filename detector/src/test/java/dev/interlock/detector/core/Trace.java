package dev.interlock.detector.core;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;
import dev.interlock.model.CallOutcome;
import dev.interlock.model.Transfer;

/** Builds a canister's call trace for tests, one event per call, with increasing seq and time. */
public final class Trace {
    public static final String CANISTER = "rrkah-fqaaa-aaaaa-aaaaq-cai";
    public static final String LEDGER = "mxzaz-hqaaa-aaaar-qaada-cai";
    public static final String ALICE = "wj67j-q7sgo-cbbk7-y62ca-6zvaj-3g3eq-6ywbw-h2bp6-qt75t-cbnki-dqe";
    public static final String BOB = "t5cdt-jvtku-fw5qv-gzk4g-wfg2n-4ggsb-rmhh6-iojyc-l73ev-agszo-yae";

    private final List<CallEvent> events = new ArrayList<>();
    private long seq;

    private String nextId() {
        return "e" + (seq + 1);
    }

    private long clockOffset;

    private long now() {
        return 1_700_000_000_000_000_000L + seq * 1_000_000L + clockOffset;
    }

    public Trace open(String context, String caller, String method) {
        events.add(CallEvent.open(nextId(), CANISTER, seq, now(), context, caller, method));
        seq++;
        return this;
    }

    /** A ledger transfer to ALICE with created_at_time set, as every well-written canister does. */
    public Trace transfer(String context, String call, long amount) {
        return transfer(context, call, amount, now());
    }

    public Trace transfer(String context, String call, long amount, Long createdAtTime) {
        events.add(new CallEvent(nextId(), CANISTER, seq, now(), CallEventKind.CALL, context, null, null, call, LEDGER,
                "icrc1_transfer", new Transfer(ALICE, BigInteger.valueOf(amount), null, createdAtTime), null, false,
                null, "u"));
        seq++;
        return this;
    }

    /** A ledger transfer to {@code to} with a memo (hex) and created_at_time set. */
    public Trace transfer(String context, String call, String to, long amount, String memo) {
        events.add(new CallEvent(nextId(), CANISTER, seq, now(), CallEventKind.CALL, context, null, null, call, LEDGER,
                "icrc1_transfer", new Transfer(to, BigInteger.valueOf(amount), memo, now()), null, false, null, "u"));
        seq++;
        return this;
    }

    /** A journal intent ({@code ji}), naming its call or not. */
    public Trace journalIntent(String context, String journal, String call) {
        return other(CallEventKind.JOURNAL_INTENT, context, call, journal, "transfer");
    }

    /** An unbounded call to another canister. */
    public Trace call(String context, String call, String callee, String method) {
        events.add(new CallEvent(nextId(), CANISTER, seq, now(), CallEventKind.CALL, context, null, null, call, callee,
                method, null, null, false, null, "u"));
        seq++;
        return this;
    }

    public Trace error(String context, String call, String error) {
        events.add(CallEvent.callback(nextId(), CANISTER, seq, now(), context, call, CallOutcome.replyError(error)));
        seq++;
        return this;
    }

    public Trace sendFailed(String context, String call) {
        return other(CallEventKind.SEND_FAILED, context, call, null, "2");
    }

    public Trace read(String context, String key, String value) {
        return other(CallEventKind.STATE_READ, context, null, key, value);
    }

    public Trace write(String context, String key, String value) {
        return other(CallEventKind.STATE_WRITE, context, null, key, value);
    }

    public Trace acquire(String context, String guard) {
        return other(CallEventKind.GUARD_ACQUIRE, context, null, guard, "true");
    }

    /** A guard found held by another context (not taken). */
    public Trace guardBusy(String context, String guard) {
        return other(CallEventKind.GUARD_ACQUIRE, context, null, guard, "false");
    }

    public Trace release(String context, String guard) {
        return other(CallEventKind.GUARD_RELEASE, context, null, guard, null);
    }

    public Trace trap(String context, String message) {
        return other(CallEventKind.TRAP, context, null, null, message);
    }

    public Trace cleanup(String context, String call) {
        return other(CallEventKind.CLEANUP, context, call, null, null);
    }

    public Trace replied(String context) {
        return other(CallEventKind.CONTEXT_CLOSE, context, null, null, "rep");
    }

    public Trace rejected(String context) {
        return other(CallEventKind.CONTEXT_CLOSE, context, null, null, "rej:4");
    }

    /** An unbounded call (w) or bounded (b) without transfer. */
    public Trace call(String context, String call, String callee, String method, String wait) {
        events.add(new CallEvent(nextId(), CANISTER, seq, now(), CallEventKind.CALL, context, null, null, call, callee,
                method, null, null, false, null, wait));
        seq++;
        return this;
    }

    public Trace openBy(String context, String caller, String method) {
        return open(context, caller, method);
    }

    /** Advances event time without an event. */
    public Trace after(long nanos) {
        clockOffset += nanos;
        return this;
    }

    /** Marks the last event as rolled back (its message trapped). */
    public Trace rolledBack() {
        CallEvent last = events.remove(events.size() - 1);
        events.add(last.asRolledBack());
        return this;
    }

    private Trace other(CallEventKind kind, String context, String call, String subject, String value) {
        events.add(CallEvent.other(nextId(), CANISTER, seq, now(), kind, context, call, subject, value));
        seq++;
        return this;
    }

    public long time() {
        return now();
    }

    public Trace reply(String context, String call, long blockIndex) {
        events.add(CallEvent.callback(nextId(), CANISTER, seq, now(), context, call, CallOutcome.reply(blockIndex)));
        seq++;
        return this;
    }

    public Trace reject(String context, String call, int code) {
        events.add(CallEvent.callback(nextId(), CANISTER, seq, now(), context, call,
                CallOutcome.reject(code, "rejected")));
        seq++;
        return this;
    }

    public Trace close(String context) {
        events.add(CallEvent.close(nextId(), CANISTER, seq, now(), context));
        seq++;
        return this;
    }

    public List<CallEvent> events() {
        return List.copyOf(events);
    }
}
