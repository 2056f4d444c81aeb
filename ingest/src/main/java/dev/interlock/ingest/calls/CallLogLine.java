package dev.interlock.ingest.calls;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.interlock.ic.Principal;

/**
 * The line schema of pushed batches and imported NDJSON files (docs/call-ingestion.md): one canister
 * log record per line,
 * <pre>{"v":1,"canister":"&lt;principal text&gt;","idx":123,"ts":1767225600000000000,"content":"ILK1 {…}"}</pre>
 * {@code v} (record schema version) is optional and must be 1; {@code timestamp_nanos} is accepted for
 * {@code ts} (the name {@code fetch_canister_logs} and the simulator use); other fields are ignored.
 * Parsing a line never throws: it yields a {@link CallLogRecord} or a {@link Rejection}.
 */
public final class CallLogLine {
    /** The record schema version this reader knows. */
    public static final int VERSION = 1;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private CallLogLine() {
    }

    /** What one line turned into. */
    public sealed interface Parsed permits Accepted, Refused {
    }

    public record Accepted(CallLogRecord record) implements Parsed {
    }

    public record Refused(Rejection rejection) implements Parsed {
    }

    /**
     * Parses one NDJSON line.
     *
     * @param defaultCanister the canister of records that name none (a file of one canister), or null
     */
    public static Parsed parse(String origin, long line, String raw, String defaultCanister) {
        JsonNode n;
        try {
            n = MAPPER.readTree(raw);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return refuse(origin, line, null, null, RejectReason.MALFORMED, "not valid JSON: "
                    + firstLine(e.getOriginalMessage()), raw);
        } catch (Exception e) {
            return refuse(origin, line, null, null, RejectReason.MALFORMED, "not valid JSON: " + firstLine(e.getMessage()),
                    raw);
        }
        if (n == null || !n.isObject()) {
            return refuse(origin, line, null, null, RejectReason.MALFORMED, "not a JSON object", raw);
        }
        JsonNode v = n.get("v");
        if (v != null && !v.isNull() && !(v.isIntegralNumber() && v.canConvertToInt() && v.asInt() == VERSION)) {
            return refuse(origin, line, null, null, RejectReason.UNSUPPORTED_VERSION,
                    "record version " + v + " is not supported (this reader knows v " + VERSION + ")", raw);
        }
        JsonNode c = n.get("canister");
        String canister;
        if (c == null || c.isNull()) {
            if (defaultCanister == null) {
                return refuse(origin, line, null, null, RejectReason.MISSING_FIELD, "field \"canister\" is required", raw);
            }
            canister = defaultCanister;
        } else if (!c.isTextual()) {
            return refuse(origin, line, null, null, RejectReason.BAD_FIELD, "field \"canister\" must be a string", raw);
        } else {
            canister = c.asText();
            String problem = principalProblem(canister);
            if (problem != null) {
                return refuse(origin, line, null, null, RejectReason.BAD_PRINCIPAL,
                        "field \"canister\" is not a valid principal: " + problem, raw);
            }
        }
        JsonNode i = n.get("idx");
        if (i == null || i.isNull()) {
            return refuse(origin, line, canister, null, RejectReason.MISSING_FIELD, "field \"idx\" is required", raw);
        }
        if (!i.isIntegralNumber() || !i.canConvertToLong() || i.asLong() < 0) {
            return refuse(origin, line, canister, null, RejectReason.BAD_FIELD,
                    "field \"idx\" must be a non-negative integer below 2^63, got " + abbreviate(i.toString()), raw);
        }
        long idx = i.asLong();
        JsonNode t = n.has("ts") ? n.get("ts") : n.get("timestamp_nanos");
        if (t == null || t.isNull()) {
            return refuse(origin, line, canister, idx, RejectReason.MISSING_FIELD,
                    "field \"ts\" (ns since the epoch) is required", raw);
        }
        if (!t.isIntegralNumber() || !t.canConvertToLong() || t.asLong() <= 0) {
            return refuse(origin, line, canister, idx, RejectReason.BAD_FIELD,
                    "field \"ts\" must be a positive integer (ns since the epoch), got " + abbreviate(t.toString()), raw);
        }
        JsonNode content = n.get("content");
        if (content == null || content.isNull()) {
            return refuse(origin, line, canister, idx, RejectReason.MISSING_FIELD, "field \"content\" is required", raw);
        }
        if (!content.isTextual()) {
            return refuse(origin, line, canister, idx, RejectReason.BAD_FIELD, "field \"content\" must be a string", raw);
        }
        return new Accepted(new CallLogRecord(origin, line, canister, idx, t.asLong(), content.asText(), raw));
    }

    /** Principals already found valid: every line names its canister, most trace lines a caller or callee. */
    private static final java.util.Set<String> VALID = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final int MAX_VALID = 100_000;

    /** Null when {@code text} is a valid principal, else what is wrong with it. */
    public static String principalProblem(String text) {
        if (VALID.contains(text)) {
            return null;
        }
        if (text.length() > 63) {
            return "longer than 63 characters";
        }
        try {
            Principal.fromText(text);
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        if (VALID.size() >= MAX_VALID) {
            VALID.clear(); // bounded: a flood of distinct principals only costs their decoding again
        }
        VALID.add(text);
        return null;
    }

    static Refused refuse(String origin, long line, String canister, Long idx, RejectReason reason, String detail,
            String raw) {
        return new Refused(new Rejection(origin, line, canister, idx, reason, detail, raw));
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String first = nl < 0 ? s : s.substring(0, nl);
        return (first.length() <= 160 ? first : first.substring(0, 160) + "…").replace("\r", "");
    }
}
