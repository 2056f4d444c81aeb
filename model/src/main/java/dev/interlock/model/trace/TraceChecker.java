package dev.interlock.model.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The checker behind {@code ./interlock trace-check}: reads a canister's log (plain lines, or
 * NDJSON log records {@code {"canister"?, "idx", "timestamp_nanos", "content"}}) and reports
 * every line that breaks the trace format's rules, by line number.
 */
public final class TraceChecker {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One fault (the file is wrong) or warning (suspicious, but possible in a correct log). */
    public record Finding(long line, boolean fault, String message) {
        @Override
        public String toString() {
            return "line " + line + ": " + (fault ? "" : "warning: ") + message;
        }
    }

    public record Report(long lines, long traceEvents, long trapRecords, List<Finding> findings) {
        public long faults() {
            return findings.stream().filter(Finding::fault).count();
        }

        public long warnings() {
            return findings.size() - faults();
        }
    }

    private static final class CanisterView {
        boolean inMessage;
        boolean afterTrap;
        long lastIdx = -1;
        final Set<String> calls = new HashSet<>();
        final Set<String> contexts = new HashSet<>();
    }

    private final Map<String, CanisterView> canisters = new HashMap<>();
    private final List<Finding> findings = new ArrayList<>();
    private long lineNo;
    private long traceEvents;
    private long trapRecords;

    /** Feeds the next line of the file. */
    public void accept(String raw) {
        lineNo++;
        if (raw.isBlank()) {
            return;
        }
        String canister = "";
        String content = raw;
        if (raw.startsWith("{")) {
            JsonNode record;
            try {
                record = MAPPER.readTree(raw);
            } catch (Exception e) {
                fault("not a JSON log record");
                return;
            }
            if (!record.hasNonNull("content") || !record.get("content").isTextual()) {
                fault("log record without a text \"content\"");
                return;
            }
            content = record.get("content").asText();
            canister = record.path("canister").asText("");
            if (record.has("idx")) {
                CanisterView v = view(canister);
                long idx = record.get("idx").asLong(-1);
                if (idx <= v.lastIdx) {
                    fault("record idx " + idx + " does not increase (previous " + v.lastIdx + ")");
                }
                v.lastIdx = Math.max(v.lastIdx, idx);
            }
        }
        check(canister, content);
    }

    private void check(String canister, String content) {
        CanisterView v = view(canister);
        if (TraceFormat.isTrapRecord(content)) {
            trapRecords++;
            v.inMessage = false;
            v.afterTrap = true;
            return;
        }
        if (!TraceFormat.isTraceLine(content)) {
            return; // an ordinary log line: allowed anywhere
        }
        traceEvents++;
        TraceFormat.Parsed p;
        try {
            p = TraceFormat.parse(content);
        } catch (TraceFormatException e) {
            fault(e.getMessage());
            return;
        }
        if (!p.known()) {
            warn("unknown event code \"" + p.code() + "\" (kept, ignored by this version)");
            return;
        }
        String x = p.text("x");
        if (p.event().beginsMessage()) {
            v.inMessage = true;
            v.afterTrap = false;
        } else if (v.afterTrap) {
            fault("\"" + p.code() + "\" follows a [TRAP] record without a message-begin line (in, cb or cu): "
                    + "every message must print one first");
            v.afterTrap = false;
        } else if (!v.inMessage) {
            warn("\"" + p.code() + "\" before any message-begin line (the log may have been truncated)");
        }
        switch (p.event()) {
            case ENTRY -> v.contexts.add(x);
            case CALL -> {
                if (!v.calls.add(p.text("c"))) {
                    fault("call id \"" + p.text("c") + "\" used twice");
                }
            }
            case CALLBACK, CLEANUP -> {
                if (!v.calls.contains(p.text("c"))) {
                    warn("response to call \"" + p.text("c") + "\" whose call line is not in this log");
                }
            }
            case REPLY, REJECT -> {
                if (!v.contexts.contains(x)) {
                    warn("close of context \"" + x + "\" whose entry line is not in this log");
                }
            }
            default -> {
            }
        }
    }

    private CanisterView view(String canister) {
        return canisters.computeIfAbsent(canister, c -> new CanisterView());
    }

    private void fault(String message) {
        findings.add(new Finding(lineNo, true, message));
    }

    private void warn(String message) {
        findings.add(new Finding(lineNo, false, message));
    }

    public Report report() {
        return new Report(lineNo, traceEvents, trapRecords, List.copyOf(findings));
    }
}
