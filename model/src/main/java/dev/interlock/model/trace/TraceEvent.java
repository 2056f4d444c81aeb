package dev.interlock.model.trace;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The events of call-trace format v1 ({@code docs/trace-format.md}): the code a line carries in
 * its {@code e} field, the fields it requires, and whether it begins a message execution.
 */
public enum TraceEvent {
    /** Entry message of a new call context (context open): method, caller, kind, correlation id. */
    ENTRY("in", true, "x", "m", "f"),
    /** Callback message: the response to outgoing call {@code c} arrived (reply or reject). */
    CALLBACK("cb", true, "x", "c", "o"),
    /** Cleanup message: the callback of call {@code c} trapped; cleanup runs. */
    CLEANUP("cu", true, "x", "c"),
    /** Outgoing call {@code c} to canister {@code to}, method {@code m}, wait kind {@code w}. */
    CALL("call", false, "x", "c", "to", "m", "w"),
    /** Outgoing call {@code c} failed synchronously: nothing sent, no callback will run. */
    SEND_FAILED("sf", false, "x", "c", "rc"),
    /** State key read (optional evidence). */
    READ("rd", false, "x", "k"),
    /** State key written (optional evidence). */
    WRITE("wr", false, "x", "k"),
    /** Guard acquired ({@code ok} true) or found busy ({@code ok} false) (optional evidence). */
    GUARD_ACQUIRE("ga", false, "x", "g"),
    /** Guard released (optional evidence). */
    GUARD_RELEASE("gr", false, "x", "g"),
    /** Journal intent recorded before a failable call (optional evidence). */
    JOURNAL_INTENT("ji", false, "x", "j"),
    /** Journal result recorded after it (optional evidence). */
    JOURNAL_RESULT("jr", false, "x", "j", "ok"),
    /** The context replied to its caller (context close). */
    REPLY("rep", false, "x"),
    /** The context rejected its caller, or (Motoko) an uncaught throw ended it (context close). */
    REJECT("rej", false, "x");

    private static final Map<String, TraceEvent> BY_CODE = Arrays.stream(values())
            .collect(Collectors.toMap(TraceEvent::code, Function.identity()));

    private final String code;
    private final boolean beginsMessage;
    private final List<String> required;

    TraceEvent(String code, boolean beginsMessage, String... required) {
        this.code = code;
        this.beginsMessage = beginsMessage;
        this.required = List.of(required);
    }

    public String code() {
        return code;
    }

    public boolean beginsMessage() {
        return beginsMessage;
    }

    public List<String> required() {
        return required;
    }

    /** The event with this code, or null for a code this version does not know. */
    public static TraceEvent byCode(String code) {
        return BY_CODE.get(code);
    }
}
