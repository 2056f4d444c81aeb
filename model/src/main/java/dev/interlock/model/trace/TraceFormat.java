package dev.interlock.model.trace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Call-trace format v1: one log line per event, {@code ILK1 } followed by a compact JSON
 * object. Lines of other major versions ({@code ILK2 …}) are recognised and reported as
 * unsupported; unknown fields are ignored; unknown event codes are kept as unknown events.
 */
public final class TraceFormat {
    public static final String PREFIX = "ILK1 ";
    /** Prefix of any version: {@code ILK<digits> }. */
    public static final String FAMILY = "ILK";
    /** A trace line longer than this is malformed: the default log buffer holds only 4 KiB. */
    public static final int MAX_LINE_BYTES = 512;
    public static final String TRAP_PREFIX = "[TRAP]:";
    public static final Set<String> WAIT_KINDS = Set.of("u", "b", "n");
    public static final Set<String> OUTCOMES = Set.of("ok", "rej");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TraceFormat() {
    }

    /** True for any line of the trace-format family, whatever its version. */
    public static boolean isTraceLine(String line) {
        if (!line.startsWith(FAMILY) || line.length() < 5) {
            return false;
        }
        int i = FAMILY.length();
        int digits = 0;
        while (i < line.length() && Character.isDigit(line.charAt(i))) {
            i++;
            digits++;
        }
        return digits > 0 && i < line.length() && line.charAt(i) == ' ';
    }

    /** True for the system's record of a trap (the first line of the record). */
    public static boolean isTrapRecord(String content) {
        return content.startsWith(TRAP_PREFIX);
    }

    /** A parsed v1 trace line. */
    public record Parsed(TraceEvent event, String code, JsonNode fields) {
        public String text(String field) {
            JsonNode n = fields.get(field);
            return n == null || n.isNull() ? null : n.asText();
        }

        public boolean known() {
            return event != null;
        }
    }

    /** Parses one trace line; the exception's message names the fault. */
    public static Parsed parse(String line) {
        if (!isTraceLine(line)) {
            throw new TraceFormatException("not a trace line (no ILK<version> prefix)");
        }
        if (!line.startsWith(PREFIX)) {
            throw new TraceFormatException("unsupported trace format version "
                    + line.substring(0, line.indexOf(' ')) + " (this reader knows ILK1)");
        }
        // a char is at most 3 UTF-8 bytes (a surrogate pair 4 for 2 chars): count bytes only for lines that may be long
        if (line.length() * 3L > MAX_LINE_BYTES && line.getBytes(StandardCharsets.UTF_8).length > MAX_LINE_BYTES) {
            throw new TraceFormatException("line longer than " + MAX_LINE_BYTES + " bytes");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(line.substring(PREFIX.length()));
        } catch (Exception e) {
            throw new TraceFormatException("not valid JSON after the prefix: " + firstLine(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new TraceFormatException("the body is not a JSON object");
        }
        JsonNode e = node.get("e");
        if (e == null || !e.isTextual()) {
            throw new TraceFormatException("field \"e\" (event code) is missing");
        }
        TraceEvent event = TraceEvent.byCode(e.asText());
        if (event == null) {
            return new Parsed(null, e.asText(), node);
        }
        List<String> problems = new ArrayList<>();
        for (String f : event.required()) {
            JsonNode v = node.get(f);
            if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
                problems.add("field \"" + f + "\" is required for \"" + event.code() + "\"");
            }
        }
        checkValues(event, node, problems);
        if (!problems.isEmpty()) {
            throw new TraceFormatException(String.join("; ", problems));
        }
        return new Parsed(event, event.code(), node);
    }

    private static void checkValues(TraceEvent event, JsonNode n, List<String> problems) {
        switch (event) {
            case CALL -> {
                if (n.hasNonNull("w") && !WAIT_KINDS.contains(n.get("w").asText())) {
                    problems.add("field \"w\" must be u, b or n");
                }
                JsonNode tx = n.get("tx");
                if (tx != null && !tx.isNull()) {
                    if (!tx.isObject() || !tx.hasNonNull("amt") || !tx.get("amt").asText().matches("\\d+")) {
                        problems.add("field \"tx.amt\" must be a decimal string of a non-negative amount");
                    }
                    for (String f : List.of("to", "from", "l", "memo")) {
                        if (tx.isObject() && tx.hasNonNull(f) && !tx.get(f).isTextual()) {
                            problems.add("field \"tx." + f + "\" must be a string");
                        }
                    }
                }
            }
            case CALLBACK -> {
                if (n.hasNonNull("o") && !OUTCOMES.contains(n.get("o").asText())) {
                    problems.add("field \"o\" must be ok or rej");
                } else if ("rej".equals(n.path("o").asText()) && !validRejectCode(n.get("rc"))) {
                    problems.add("field \"rc\" must be a reject code 1..6 when \"o\" is rej");
                }
            }
            case SEND_FAILED -> {
                if (!validRejectCode(n.get("rc"))) {
                    problems.add("field \"rc\" must be a reject code 1..6");
                }
            }
            case JOURNAL_RESULT -> {
                if (n.hasNonNull("ok") && !n.get("ok").isBoolean()) { // a missing "ok" is reported as required above
                    problems.add("field \"ok\" must be true or false");
                }
            }
            default -> {
            }
        }
    }

    private static boolean validRejectCode(JsonNode rc) {
        return rc != null && rc.isInt() && rc.asInt() >= 1 && rc.asInt() <= 6;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
