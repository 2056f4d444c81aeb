package dev.interlock.detector.streams;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;
import dev.interlock.model.CallOutcome;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.Transfer;

/** Builds the events of several canisters (each with its own seq) for the cross-canister topology tests. */
final class CrossCanisterEvents {
    static final long T0 = 1_767_225_600_000_000_000L;
    static final long MS = 1_000_000L;

    private final List<CallEvent> events = new ArrayList<>();
    private final Map<String, Long> seqs = new HashMap<>();

    private long seq(String canister) {
        return seqs.merge(canister, 1L, Long::sum) - 1;
    }

    private String id(String canister, long seq) {
        return canister + "/" + seq;
    }

    /** A context opened by {@code caller}; {@code correlation} is the caller's call id, or null. */
    CrossCanisterEvents open(String canister, long atMs, String context, String caller, String correlation) {
        long s = seq(canister);
        events.add(new CallEvent(id(canister, s), canister, s, T0 + atMs * MS, CallEventKind.CONTEXT_OPEN, context,
                caller, "run", null, null, null, null, null, false, correlation, "u"));
        return this;
    }

    /** An unbounded call that passes its call id as correlation id. */
    CrossCanisterEvents call(String canister, long atMs, String context, String call, String callee) {
        long s = seq(canister);
        events.add(new CallEvent(id(canister, s), canister, s, T0 + atMs * MS, CallEventKind.CALL, context, null, null,
                call, callee, "run", null, null, false, call, "u"));
        return this;
    }

    CrossCanisterEvents answered(String canister, long atMs, String context, String call) {
        long s = seq(canister);
        events.add(CallEvent.callback(id(canister, s), canister, s, T0 + atMs * MS, context, call,
                CallOutcome.reply(null)));
        return this;
    }

    /** A one-way notify naming the transfer it should cause. */
    CrossCanisterEvents notify(String canister, long atMs, String context, String call, String to, long amount,
            String memo) {
        long s = seq(canister);
        events.add(new CallEvent(id(canister, s), canister, s, T0 + atMs * MS, CallEventKind.CALL, context, null, null,
                call, "minter", "mint", new Transfer(to, BigInteger.valueOf(amount), memo, null), null, false, null,
                "n"));
        return this;
    }

    /** A ledger transfer from the canister's account (memo and created_at_time unset). */
    CrossCanisterEvents transfer(String canister, long atMs, String context, String call, String ledger, String to,
            long amount) {
        long s = seq(canister);
        events.add(new CallEvent(id(canister, s), canister, s, T0 + atMs * MS, CallEventKind.CALL, context, null, null,
                call, ledger, "icrc1_transfer", new Transfer(to, BigInteger.valueOf(amount), null, null), null, false,
                null, "u"));
        return this;
    }

    /** The ledger's reply to a transfer: paid in block {@code index}. */
    CrossCanisterEvents paid(String canister, long atMs, String context, String call, long index) {
        long s = seq(canister);
        events.add(CallEvent.callback(id(canister, s), canister, s, T0 + atMs * MS, context, call,
                CallOutcome.reply(index)));
        return this;
    }

    /** Optional evidence: a state-key write. */
    CrossCanisterEvents write(String canister, long atMs, String context) {
        return other(canister, atMs, CallEventKind.STATE_WRITE, context, "balance:u", "0");
    }

    CrossCanisterEvents journalIntent(String canister, long atMs, String context, String journal) {
        return other(canister, atMs, CallEventKind.JOURNAL_INTENT, context, journal, "mint");
    }

    CrossCanisterEvents journalResult(String canister, long atMs, String context, String journal) {
        return other(canister, atMs, CallEventKind.JOURNAL_RESULT, context, journal, "true");
    }

    private CrossCanisterEvents other(String canister, long atMs, CallEventKind kind, String context, String subject,
            String value) {
        long s = seq(canister);
        events.add(CallEvent.other(id(canister, s), canister, s, T0 + atMs * MS, kind, context, null, subject, value));
        return this;
    }

    List<CallEvent> events() {
        return List.copyOf(events);
    }

    List<CallEvent> of(String canister) {
        return events.stream().filter(e -> e.canister().equals(canister)).toList();
    }

    /** A transfer out of {@code from}'s default account (memo and created_at_time unset). */
    static LedgerBlock outflow(String ledger, long index, long atMs, String from, String to, long amount) {
        return new LedgerBlock(ledger, index, "h" + index, null, T0 + atMs * MS, "xfer", from, to,
                BigInteger.valueOf(amount), null, null, null);
    }

    static LedgerBlock block(String ledger, long index, long atMs, String to, long amount, String memo) {
        return new LedgerBlock(ledger, index, "h" + index, null, T0 + atMs * MS, "xfer", "payer", to,
                BigInteger.valueOf(amount), null, memo, null);
    }
}
