package dev.interlock.ingest.source.boundary;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.interlock.model.IngressEvent;
import dev.interlock.model.Json;

/**
 * Reads one access-log line of an API boundary node (the JSON object {@code ic-boundary} publishes per request;
 * docs/boundary-node-logs.md) into an {@link IngressEvent}, or says exactly why it cannot.
 *
 * <p>Required: {@code ic_canister_id} (and it must be the canister the stream is for), {@code timestamp} (RFC 3339),
 * {@code http_status} (an integer 100..599) and {@code request_type}. Every other field is optional, but when present
 * it must have its type (a number where a number is due). Unknown fields are ignored: newer boundary nodes may add
 * some. {@code "N/A"} and {@code "none"} placeholders become null.
 *
 * <p>The line is read as a stream of tokens, keeping only the fields above (a tree of every field cost more than the
 * rest of the ingest path together); the rules are those of reading it whole.
 */
public final class AccessLogParser {
    /** What the boundary node writes for a client hash when it has no salt, and for an unknown country. */
    static final String NOT_AVAILABLE = "N/A";

    private final String canister;
    private final int maxLineBytes;

    public AccessLogParser(String canister, int maxLineBytes) {
        this.canister = canister;
        this.maxLineBytes = maxLineBytes;
    }

    /** An event or the reason the line cannot be one. */
    public sealed interface Result permits Parsed, Bad {
    }

    public record Parsed(IngressEvent event) implements Result {
    }

    /**
     * @param kind   what is wrong, for counting: {@code too-long}, {@code not-json}, {@code missing-field},
     *               {@code bad-field} or {@code wrong-canister}
     * @param reason what is wrong with this line, naming the field and value
     */
    public record Bad(String kind, String reason) implements Result {
    }

    /** Parses a line the stream of {@code boundaryNode} carried. */
    public Result parse(String boundaryNode, byte[] line) {
        if (line.length > maxLineBytes) {
            return new Bad("too-long", "line of " + line.length + " bytes is longer than max-line-bytes (" + maxLineBytes + ")");
        }
        JsonNode[] n = new JsonNode[FIELDS.length];
        try (JsonParser p = Json.mapper().getFactory().createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new Bad("not-json", "not a JSON object");
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                int f = field(p.currentName());
                JsonToken v = p.nextToken();
                if (f < 0) {
                    p.skipChildren();
                } else {
                    n[f] = value(p, v);
                }
            }
        } catch (Exception e) {
            return new Bad("not-json", "not JSON: " + firstLine(e.getMessage()));
        }
        try {
            String target = text(n, "ic_canister_id");
            if (target == null) {
                return new Bad("missing-field", "ic_canister_id is missing");
            }
            if (!target.equals(canister)) {
                return new Bad("wrong-canister", "ic_canister_id is " + target + ", but this stream is for " + canister);
            }
            String ts = text(n, "timestamp");
            if (ts == null) {
                return new Bad("missing-field", "timestamp is missing");
            }
            long timeNanos = nanos(ts);
            JsonNode status = n[field("http_status")];
            if (status == null || status.isNull()) {
                return new Bad("missing-field", "http_status is missing");
            }
            if (!status.canConvertToInt() || !status.isIntegralNumber() || status.asInt() < 100 || status.asInt() > 599) {
                return new Bad("bad-field", "http_status is not an HTTP status code: " + status);
            }
            String requestType = text(n, "request_type");
            if (requestType == null || requestType.isBlank()) {
                return new Bad("missing-field", "request_type is missing");
            }
            String requestId = blankToNull(text(n, "request_id"));
            String id = boundaryNode + "/" + (requestId != null ? requestId : "sha256:" + sha256Prefix(line));
            Long family = integer(n, "client_ip_family");
            return new Parsed(new IngressEvent(
                    id,
                    target,
                    timeNanos,
                    boundaryNode,
                    requestId,
                    requestType,
                    blankToNull(text(n, "ic_method")),
                    status.asInt(),
                    placeholderToNull(text(n, "error_cause")),
                    blankToNull(text(n, "error_details")),
                    placeholderToNull(text(n, "client_id")),
                    family == null || family == 0 ? null : family.intValue(),
                    number(n, "duration"),
                    integer(n, "request_size"),
                    integer(n, "response_size"),
                    placeholderToNull(text(n, "cache_status")),
                    placeholderToNull(text(n, "cache_bypass_reason")),
                    placeholderToNull(text(n, "ic_subnet_id")),
                    blankToNull(text(n, "ic_node_id"))));
        } catch (IllegalArgumentException e) {
            return new Bad("bad-field", e.getMessage());
        }
    }

    /** The fields read; every other field is skipped. */
    private static final String[] FIELDS = {"ic_canister_id", "timestamp", "http_status", "request_type", "request_id",
        "client_ip_family", "ic_method", "error_cause", "error_details", "client_id", "duration", "request_size",
        "response_size", "cache_status", "cache_bypass_reason", "ic_subnet_id", "ic_node_id"};

    private static final java.util.Map<String, Integer> FIELD_INDEX = new java.util.HashMap<>();

    static {
        for (int i = 0; i < FIELDS.length; i++) {
            FIELD_INDEX.put(FIELDS[i], i);
        }
    }

    private static int field(String name) {
        Integer i = FIELD_INDEX.get(name);
        return i == null ? -1 : i;
    }

    /** The value at the parser's current token, as reading the line whole would have made it. */
    private static JsonNode value(JsonParser p, JsonToken t) throws java.io.IOException {
        return switch (t) {
            case VALUE_STRING -> TextNode.valueOf(p.getText());
            case VALUE_NULL -> NullNode.getInstance();
            case VALUE_TRUE, VALUE_FALSE -> BooleanNode.valueOf(t == JsonToken.VALUE_TRUE);
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> JsonNodeFactory.instance.numberNode(p.getIntValue());
                case LONG -> JsonNodeFactory.instance.numberNode(p.getLongValue());
                default -> JsonNodeFactory.instance.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> JsonNodeFactory.instance.numberNode(p.getDoubleValue());
            default -> Json.mapper().readTree(p);
        };
    }

    /** RFC 3339 / ISO 8601 with up to nanosecond precision ({@code 2025-07-17T08:12:39.964131788Z}), as ns since the epoch. */
    static long nanos(String ts) {
        long fast = fastNanos(ts);
        if (fast != Long.MIN_VALUE) {
            return fast;
        }
        Instant t;
        try {
            t = Instant.parse(ts);
        } catch (DateTimeParseException e) {
            try {
                t = OffsetDateTime.parse(ts).toInstant();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("timestamp is not an RFC 3339 time: '" + ts + "'");
            }
        }
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("timestamp is out of range: '" + ts + "'");
        }
    }

    /**
     * The common form {@code YYYY-MM-DDTHH:MM:SS[.f…]Z} (what ic-boundary writes) without the general parser, or
     * {@link Long#MIN_VALUE} for anything else, which the general parser then reads or rejects.
     */
    static long fastNanos(String s) {
        int len = s.length();
        if (len < 20 || len > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(len - 1) != 'Z') {
            return Long.MIN_VALUE;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > java.time.YearMonth.of(year, month).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return Long.MIN_VALUE;
        }
        long fraction = 0;
        if (len > 20) {
            if (s.charAt(19) != '.' || len == 21) {
                return Long.MIN_VALUE;
            }
            int f = digits(s, 20, len - 1);
            if (f < 0) {
                return Long.MIN_VALUE;
            }
            fraction = f;
            for (int i = len - 1 - 20; i < 9; i++) {
                fraction *= 10;
            }
        } else if (s.charAt(19) != 'Z') {
            return Long.MIN_VALUE;
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        if (days < -106_000 || days > 106_000) {
            return Long.MIN_VALUE; // near the end of what nanoseconds in a long can hold: the general parser decides
        }
        return ((days * 24 + hour) * 60 + minute) * 60_000_000_000L + second * 1_000_000_000L + fraction;
    }

    /** The decimal number in {@code s[from, to)}, or -1 when a character is not a digit (at most 9 of them). */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static String text(JsonNode[] n, String field) {
        JsonNode v = n[field(field)];
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " is not a string: " + abbreviate(v.toString()));
        }
        return v.asText();
    }

    private static Long integer(JsonNode[] n, String field) {
        JsonNode v = n[field(field)];
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw new IllegalArgumentException(field + " is not a non-negative integer: " + abbreviate(v.toString()));
        }
        return v.asLong();
    }

    private static Double number(JsonNode[] n, String field) {
        JsonNode v = n[field(field)];
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || v.asDouble() < 0 || !Double.isFinite(v.asDouble())) {
            throw new IllegalArgumentException(field + " is not a non-negative number: " + abbreviate(v.toString()));
        }
        return v.asDouble();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String placeholderToNull(String s) {
        return s == null || s.isBlank() || s.equals(NOT_AVAILABLE) || s.equals("none") ? null : s;
    }

    static String sha256Prefix(byte[] line) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(line);
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return abbreviate(nl < 0 ? s : s.substring(0, nl));
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
