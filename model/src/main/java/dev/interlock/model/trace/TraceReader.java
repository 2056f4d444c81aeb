package dev.interlock.model.trace;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;
import dev.interlock.model.CallOutcome;
import dev.interlock.model.Transfer;

/**
 * Turns one canister's log records, in idx order, into {@link CallEvent}s, applying the
 * format's message rules: a message's events are provisional until the next message-begin
 * line; when a {@code [TRAP]:} record closes a message, its events are emitted marked rolled
 * back (the begin event excepted: the message did run), followed by a TRAP event. The trap record may
 * span several lines (a backtrace) and may follow a Rust {@code Panicked at …} line, which is an ordinary
 * line and does not end the message. Lines that cannot be used go to {@link Output#unusable} with the
 * reason; a trap record with no message-begin line before it goes to {@link Output#unattributedTrap}, never
 * to a guessed message. Event ids are {@code <canister>/<idx>}, so re-reading a record yields the same id.
 */
public final class TraceReader {
    /** Where read events go. */
    public interface Output {
        void event(CallEvent event);

        void unusable(long idx, String content, String reason);

        /**
         * A {@code [TRAP]:} record that cannot be attributed to a message (no message-begin line before it in
         * what was read). By default it is reported as unusable; ingest keeps it as a marked log line.
         */
        default void unattributedTrap(long idx, long timestampNanos, String content, String reason) {
            unusable(idx, content, reason);
        }
    }

    private final String canister;
    private final Output out;
    private final List<CallEvent> message = new ArrayList<>();
    private String messageContext;
    private boolean afterTrap;

    public TraceReader(String canister, Output out) {
        this.canister = canister;
        this.out = out;
    }

    public void accept(long idx, long timestampNanos, String content) {
        if (TraceFormat.isTrapRecord(content)) {
            trap(idx, timestampNanos, content);
            return;
        }
        if (!TraceFormat.isTraceLine(content)) {
            return; // ordinary log line (kept elsewhere for forensics)
        }
        TraceFormat.Parsed p;
        try {
            p = TraceFormat.parse(content);
        } catch (TraceFormatException e) {
            out.unusable(idx, content, e.getMessage());
            return;
        }
        if (!p.known()) {
            out.unusable(idx, content, "unknown event code \"" + p.code() + "\"");
            return;
        }
        if (p.event().beginsMessage()) {
            flush();
            messageContext = p.text("x");
            afterTrap = false;
        } else if (afterTrap) {
            out.unusable(idx, content, "\"" + p.code() + "\" follows a [TRAP] record without a message-begin line");
            return;
        }
        CallEvent e;
        try {
            e = toEvent(idx, timestampNanos, p);
        } catch (RuntimeException ex) {
            out.unusable(idx, content, "bad field value: " + ex.getMessage());
            return;
        }
        message.add(e);
    }

    /**
     * The idx of the first record whose events are still provisional (held until its message ends), or -1
     * when every record read so far has been emitted or reported. A reader that commits a cursor must keep it
     * below this idx: the held events are emitted only when their message ends.
     */
    public long pendingSince() {
        return message.isEmpty() ? -1 : message.get(0).seq();
    }

    /** Emits the current message's events as committed: call at the end of each batch of records. */
    public void flush() {
        for (int i = 0; i < message.size(); i++) {
            // the message is over (a begin line follows, or the batch ended without a trap): its last event says so
            out.event(i == message.size() - 1 ? message.get(i).asMessageEnd() : message.get(i));
        }
        message.clear();
    }

    private void trap(long idx, long ts, String content) {
        String firstLine = content.substring(TraceFormat.TRAP_PREFIX.length()).strip();
        int nl = firstLine.indexOf('\n');
        String reason = nl < 0 ? firstLine : firstLine.substring(0, nl);
        if (messageContext == null) {
            flush();
            out.unattributedTrap(idx, ts, content, "[TRAP] record that cannot be attributed to a message (no "
                    + "message-begin line before it)");
            afterTrap = true;
            return;
        }
        for (int i = 0; i < message.size(); i++) {
            CallEvent e = message.get(i);
            boolean begin = i == 0 && (e.kind() == CallEventKind.CONTEXT_OPEN || e.kind() == CallEventKind.CALLBACK
                    || e.kind() == CallEventKind.CLEANUP);
            out.event(begin ? e : e.asRolledBack());
        }
        message.clear();
        out.event(CallEvent.other(canister + "/" + idx, canister, idx, ts, CallEventKind.TRAP, messageContext, null,
                null, reason).asMessageEnd());
        messageContext = null;
        afterTrap = true;
    }

    private CallEvent toEvent(long idx, long ts, TraceFormat.Parsed p) {
        String id = canister + "/" + idx;
        String x = p.text("x");
        JsonNode f = p.fields();
        return switch (p.event()) {
            case ENTRY -> new CallEvent(id, canister, idx, ts, CallEventKind.CONTEXT_OPEN, x, p.text("f"), p.text("m"),
                    null, null, null, null, null, false, p.text("r"), p.text("k"));
            case CALL -> new CallEvent(id, canister, idx, ts, CallEventKind.CALL, x, null, null, p.text("c"), p.text("to"),
                    p.text("m"), transfer(f), null, false, p.text("r"), p.text("w"));
            case CALLBACK -> CallEvent.callback(id, canister, idx, ts, x, p.text("c"), outcome(f));
            case CLEANUP -> CallEvent.other(id, canister, idx, ts, CallEventKind.CLEANUP, x, p.text("c"), null, null);
            case SEND_FAILED -> CallEvent.other(id, canister, idx, ts, CallEventKind.SEND_FAILED, x, p.text("c"), null,
                    p.text("rc"));
            case REPLY -> CallEvent.other(id, canister, idx, ts, CallEventKind.CONTEXT_CLOSE, x, null, null, "rep");
            case REJECT -> CallEvent.other(id, canister, idx, ts, CallEventKind.CONTEXT_CLOSE, x, null, null,
                    "rej:" + f.path("rc").asInt(4) + (f.path("thr").asBoolean(false) ? ":thr" : ""));
            case READ -> CallEvent.other(id, canister, idx, ts, CallEventKind.STATE_READ, x, null, p.text("k"),
                    p.text("v"));
            case WRITE -> CallEvent.other(id, canister, idx, ts, CallEventKind.STATE_WRITE, x, null, p.text("k"),
                    p.text("v"));
            case GUARD_ACQUIRE -> CallEvent.other(id, canister, idx, ts, CallEventKind.GUARD_ACQUIRE, x, null,
                    p.text("g"), String.valueOf(f.path("ok").asBoolean(true)));
            case GUARD_RELEASE -> CallEvent.other(id, canister, idx, ts, CallEventKind.GUARD_RELEASE, x, null,
                    p.text("g"), null);
            case JOURNAL_INTENT -> CallEvent.other(id, canister, idx, ts, CallEventKind.JOURNAL_INTENT, x,
                    p.text("c"), p.text("j"), p.text("op"));
            case JOURNAL_RESULT -> CallEvent.other(id, canister, idx, ts, CallEventKind.JOURNAL_RESULT, x, null,
                    p.text("j"), String.valueOf(f.get("ok").asBoolean()));
        };
    }

    private static Transfer transfer(JsonNode f) {
        JsonNode tx = f.get("tx");
        if (tx == null || tx.isNull()) {
            return null;
        }
        return new Transfer(tx.path("to").asText(null), new BigInteger(tx.get("amt").asText()),
                tx.hasNonNull("memo") ? tx.get("memo").asText() : null,
                tx.hasNonNull("ts") ? tx.get("ts").asLong() : null,
                tx.hasNonNull("from") ? tx.get("from").asText() : null,
                tx.hasNonNull("l") ? tx.get("l").asText() : null);
    }

    private static CallOutcome outcome(JsonNode f) {
        if ("rej".equals(f.path("o").asText())) {
            return CallOutcome.reject(f.get("rc").asInt(), f.hasNonNull("rm") ? f.get("rm").asText() : null);
        }
        if (f.hasNonNull("err")) {
            return CallOutcome.replyError(f.get("err").asText());
        }
        return CallOutcome.reply(f.hasNonNull("b") ? f.get("b").asLong() : null);
    }
}
