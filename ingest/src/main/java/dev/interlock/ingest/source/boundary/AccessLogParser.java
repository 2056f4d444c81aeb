package dev.interlock.ingest.source.boundary;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;

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
        JsonNode n;
        try {
            n = Json.mapper().readTree(line);
        } catch (Exception e) {
            return new Bad("not-json", "not JSON: " + firstLine(e.getMessage()));
        }
        if (n == null || !n.isObject()) {
            return new Bad("not-json", "not a JSON object");
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
            JsonNode status = n.get("http_status");
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

    /** RFC 3339 / ISO 8601 with up to nanosecond precision ({@code 2025-07-17T08:12:39.964131788Z}), as ns since the epoch. */
    static long nanos(String ts) {
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

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " is not a string: " + abbreviate(v.toString()));
        }
        return v.asText();
    }

    private static Long integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw new IllegalArgumentException(field + " is not a non-negative integer: " + abbreviate(v.toString()));
        }
        return v.asLong();
    }

    private static Double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
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
