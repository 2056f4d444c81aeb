package dev.interlock.model;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One event of a monitored canister's call trace, normalised from whatever source carried it.
 * Published to {@link Topics#CALLS}, keyed by canister, in the canister's own order.
 *
 * @param id           unique event id within its source, cited as evidence in alerts
 * @param canister     the monitored canister (principal text)
 * @param seq          position in the canister's stream (the log record idx for log sources)
 * @param timeNanos    event time, ns since the epoch (the IC round time for log sources)
 * @param kind         what happened
 * @param context      the call context id the event belongs to
 * @param caller       CONTEXT_OPEN: the caller's principal
 * @param method       CONTEXT_OPEN: the method called
 * @param call         CALL / CALLBACK: the outgoing call's id, unique within the canister
 * @param callee       CALL: the called canister
 * @param calleeMethod CALL: the called method
 * @param transfer     CALL to a ledger transfer method: its arguments
 * @param outcome      CALLBACK: reply or reject as the canister saw it
 * @param rolledBack   the message that printed this event trapped, so its effects never happened
 * @param subject      state key, guard name or journal id of evidence events; the correlation id (trace
 *                     field {@code r}) of CONTEXT_OPEN and CALL events
 * @param value        value of evidence events (written value, guard taken, journal result), a trap's message,
 *                     a CALL's wait kind (u, b, n), a CONTEXT_OPEN's kind (u, t, h, l) or how a context
 *                     closed (rep, rej:code)
 * @param endsMessage  the last event of its message execution: the reader saw the message end (the next
 *                     message-begin line, the end of the batch of records read, or the trap record) so the
 *                     detectors can decide what waited for the end at once; false when the source cannot
 *                     tell (they then learn it from the next message or a quiet spell). Left out of the
 *                     JSON when false.
 */
public record CallEvent(
        String id,
        String canister,
        long seq,
        long timeNanos,
        CallEventKind kind,
        String context,
        String caller,
        String method,
        String call,
        String callee,
        String calleeMethod,
        Transfer transfer,
        CallOutcome outcome,
        boolean rolledBack,
        String subject,
        String value,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean endsMessage) implements IngestRecord {

    /** An event whose source does not tell where its message ends. */
    public CallEvent(String id, String canister, long seq, long timeNanos, CallEventKind kind, String context,
            String caller, String method, String call, String callee, String calleeMethod, Transfer transfer,
            CallOutcome outcome, boolean rolledBack, String subject, String value) {
        this(id, canister, seq, timeNanos, kind, context, caller, method, call, callee, calleeMethod, transfer, outcome,
                rolledBack, subject, value, false);
    }

    public static CallEvent open(String id, String canister, long seq, long time, String context, String caller,
            String method) {
        return new CallEvent(id, canister, seq, time, CallEventKind.CONTEXT_OPEN, context, caller, method, null, null,
                null, null, null, false, null, null);
    }

    public static CallEvent call(String id, String canister, long seq, long time, String context, String call,
            String callee, String calleeMethod, Transfer transfer) {
        return new CallEvent(id, canister, seq, time, CallEventKind.CALL, context, null, null, call, callee,
                calleeMethod, transfer, null, false, null, null);
    }

    public static CallEvent callback(String id, String canister, long seq, long time, String context, String call,
            CallOutcome outcome) {
        return new CallEvent(id, canister, seq, time, CallEventKind.CALLBACK, context, null, null, call, null, null,
                null, outcome, false, null, null);
    }

    public static CallEvent close(String id, String canister, long seq, long time, String context) {
        return new CallEvent(id, canister, seq, time, CallEventKind.CONTEXT_CLOSE, context, null, null, null, null,
                null, null, null, false, null, null);
    }

    /** An event of another kind, with its optional call id, subject and value. */
    public static CallEvent other(String id, String canister, long seq, long time, CallEventKind kind, String context,
            String call, String subject, String value) {
        return new CallEvent(id, canister, seq, time, kind, context, null, null, call, null, null, null, null, false,
                subject, value);
    }

    /**
     * Records {@code fromIdx..toIdx} of the canister's log were lost unread, between the record read at
     * {@code sinceNanos} and the next one, read at {@code timeNanos}.
     */
    public static CallEvent logGap(String canister, long fromIdx, long toIdx, long sinceNanos, long timeNanos) {
        return new CallEvent(canister + "/" + toIdx + "/gap", canister, toIdx, timeNanos, CallEventKind.LOG_GAP, null,
                null, null, null, null, null, null, null, false, fromIdx + ".." + toIdx, Long.toString(sinceNanos));
    }

    /** For a LOG_GAP event: the first and last idx lost. */
    public long[] lostRange() {
        long[] range = kind == CallEventKind.LOG_GAP ? idxRange(subject) : null;
        if (range == null) {
            throw new IllegalStateException("not a log gap: " + id);
        }
        return range;
    }

    /** An idx range written {@code <from>..<to>} (a LOG_GAP's subject), as {from, to}; null when it is none. */
    public static long[] idxRange(String text) {
        int dots = text == null ? -1 : text.indexOf("..");
        if (dots <= 0 || !digits(text, 0, dots) || !digits(text, dots + 2, text.length())) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(text.substring(0, dots)), Long.parseLong(text.substring(dots + 2))};
        } catch (NumberFormatException e) {
            return null; // beyond a long
        }
    }

    private static boolean digits(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The same event, marked as rolled back by a trap of its message. */
    public CallEvent asRolledBack() {
        return new CallEvent(id, canister, seq, timeNanos, kind, context, caller, method, call, callee, calleeMethod,
                transfer, outcome, true, subject, value, endsMessage);
    }

    /** The same event, marked as the last of its message. */
    public CallEvent asMessageEnd() {
        return new CallEvent(id, canister, seq, timeNanos, kind, context, caller, method, call, callee, calleeMethod,
                transfer, outcome, rolledBack, subject, value, true);
    }

    @Override
    public String topic() {
        return Topics.CALLS;
    }

    @Override
    public String key() {
        return canister;
    }

    /** What is missing or wrong for this event's kind; empty when the event is usable. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        require(p, id, "id");
        require(p, canister, "canister");
        if (timeNanos <= 0) {
            p.add("timeNanos is missing");
        }
        if (kind == null) {
            p.add("kind is missing");
            return p;
        }
        if (kind != CallEventKind.LOG_GAP) {
            require(p, context, "context");
        }
        switch (kind) {
            case CONTEXT_OPEN -> {
                require(p, caller, "caller");
                require(p, method, "method");
            }
            case CALL -> {
                require(p, call, "call");
                require(p, callee, "callee");
                require(p, calleeMethod, "calleeMethod");
                if (transfer != null && (transfer.amount() == null || transfer.amount().signum() < 0)) {
                    p.add("transfer.amount must be a non-negative integer");
                }
            }
            case CALLBACK -> {
                require(p, call, "call");
                if (outcome == null || outcome.status() == null) {
                    p.add("outcome.status is missing");
                } else if (outcome.status() == CallOutcome.Status.REJECT
                        && (outcome.rejectCode() == null || outcome.rejectCode() < 1 || outcome.rejectCode() > 6)) {
                    p.add("outcome.rejectCode must be an IC reject code 1..6");
                }
            }
            case SEND_FAILED, CLEANUP -> require(p, call, "call");
            case STATE_READ, STATE_WRITE, GUARD_ACQUIRE, GUARD_RELEASE, JOURNAL_INTENT, JOURNAL_RESULT ->
                    require(p, subject, "subject");
            case CONTEXT_CLOSE, TRAP -> {
            }
            case LOG_GAP -> {
                if (idxRange(subject) == null) {
                    p.add("subject must be the lost idx range <from>..<to>");
                }
                if (value == null || !value.matches("\\d+")) {
                    p.add("value must be the time (ns) of the last record read before the gap");
                }
            }
        }
        return p;
    }

    private static void require(List<String> problems, String value, String field) {
        if (value == null || value.isBlank()) {
            problems.add(field + " is missing");
        }
    }
}
