package dev.interlock.ic.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

import dev.interlock.ic.Principal;
import dev.interlock.ic.RequestId;
import dev.interlock.ic.identity.Identity;

/**
 * Query calls over the IC HTTP interface: a self-described CBOR envelope (tag 55799) with {@code sender}
 * (0x04, anonymous, unless an {@link Identity} signs the request id) and an {@code ingress_expiry}, posted to {@code /api/v3/canister/<effective>/query};
 * a gateway that does not know v3 (HTTP 404) is asked on the deprecated v2 path from then on. Replies are
 * read up to a size limit. Node signatures on the reply are not verified (see docs/ledger-verification.md).
 */
public final class QueryClient {
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    private static final byte[] SELF_DESCRIBE = {(byte) 0xd9, (byte) 0xd9, (byte) 0xf7};
    private static final Duration EXPIRY = Duration.ofMinutes(4);

    private final URI gateway;
    private final HttpClient http;
    private final Duration timeout;
    private final int maxReplyBytes;
    private final Clock clock;
    private final AtomicBoolean v2Only = new AtomicBoolean();
    private final Identity identity;

    /** Anonymous queries. */
    public QueryClient(URI gateway, HttpClient http, Duration timeout, int maxReplyBytes, Clock clock) {
        this(gateway, http, timeout, maxReplyBytes, clock, Identity.ANONYMOUS);
    }

    /**
     * Queries sent by {@code identity}: the envelope carries {@code sender_pubkey} and {@code sender_sig}, the
     * signature of the request id (needed where a canister lets only controllers or allowed viewers read).
     */
    public QueryClient(URI gateway, HttpClient http, Duration timeout, int maxReplyBytes, Clock clock, Identity identity) {
        this.gateway = gateway;
        this.http = http;
        this.timeout = timeout;
        this.maxReplyBytes = maxReplyBytes;
        this.clock = clock;
        this.identity = identity;
    }

    public Identity identity() {
        return identity;
    }

    Clock clock() {
        return clock;
    }

    /** Calls {@code method} of {@code canister} (effective id = the canister) with Candid {@code arg}; returns the Candid reply. */
    public byte[] query(Principal canister, String method, byte[] arg) {
        return query(canister, canister, method, arg);
    }

    public byte[] query(Principal effective, Principal canister, String method, byte[] arg) {
        byte[] envelope = envelope(canister, method, arg);
        if (!v2Only.get()) {
            HttpResponse<InputStream> r = post("v3", effective, envelope);
            if (r.statusCode() != 404) {
                return reply(r, canister, method);
            }
            drain(r);
            v2Only.set(true);
        }
        return reply(post("v2", effective, envelope), canister, method);
    }

    /**
     * {@code read_state} of {@code paths} (each a list of labels) with {@code effective} as the effective
     * canister id; returns the certificate (CBOR) the replica answered. Its signature is not verified.
     */
    public byte[] readState(Principal effective, java.util.List<java.util.List<byte[]>> paths) {
        java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("request_type", "read_state");
        fields.put("sender", identity.principal().bytes());
        fields.put("paths", paths);
        fields.put("ingress_expiry", clock.millis() * 1_000_000L + EXPIRY.toNanos());
        byte[] envelope = sign(fields);
        String what = "read_state of " + effective;
        HttpResponse<InputStream> r = postTo((v2Only.get() ? "v2" : "v3"), effective, "read_state", envelope);
        if (r.statusCode() == 404 && !v2Only.get()) {
            drain(r);
            r = postTo("v2", effective, "read_state", envelope);
        }
        byte[] body = read(r, what);
        if (r.statusCode() != 200) {
            String text = new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8);
            throw new IcException.Transport(what + ": HTTP " + r.statusCode() + ": " + text.strip(), r.statusCode(),
                    r.statusCode() == 429 || r.statusCode() >= 500, null);
        }
        try {
            JsonNode root = CBOR.readTree(body);
            JsonNode cert = root == null ? null : root.get("certificate");
            if (cert == null || !cert.isBinary()) {
                throw new IcException.Transport(what + ": the reply has no certificate", 200, true, null);
            }
            return cert.binaryValue();
        } catch (IOException e) {
            throw new IcException.Transport(what + ": the reply is not CBOR: " + e.getMessage(), 200, true, e);
        }
    }

    /** True once the gateway answered 404 on v3 and v2 is used. */
    public boolean usingV2() {
        return v2Only.get();
    }

    byte[] envelope(Principal canister, String method, byte[] arg) {
        java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("request_type", "query");
        fields.put("sender", identity.principal().bytes());
        fields.put("canister_id", canister.bytes());
        fields.put("method_name", method);
        fields.put("arg", arg);
        fields.put("ingress_expiry", clock.millis() * 1_000_000L + EXPIRY.toNanos());
        return sign(fields);
    }

    /**
     * The envelope of {@code fields} (values: byte[], String, Long, or a list of lists of byte[] for paths), signed unless
     * anonymous; {@link UpdateClient} builds its call envelopes here too.
     */
    byte[] sign(java.util.Map<String, Object> fields) {
        ObjectNode content = CBOR.createObjectNode();
        fields.forEach((k, v) -> {
            if (v instanceof byte[] b) {
                content.put(k, b);
            } else if (v instanceof String t) {
                content.put(k, t);
            } else if (v instanceof Long n) {
                content.put(k, n);
            } else if (v instanceof java.util.List<?> paths) {
                com.fasterxml.jackson.databind.node.ArrayNode a = content.putArray(k);
                for (Object path : paths) {
                    com.fasterxml.jackson.databind.node.ArrayNode p = a.addArray();
                    ((java.util.List<?>) path).forEach(label -> p.add((byte[]) label));
                }
            } else {
                throw new IllegalArgumentException("unsupported envelope field " + k);
            }
        });
        ObjectNode env = CBOR.createObjectNode();
        env.set("content", content);
        if (identity.publicKeyDer() != null) {
            env.put("sender_pubkey", identity.publicKeyDer());
            env.put("sender_sig", identity.sign(RequestId.signedBytes(RequestId.of(fields))));
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(SELF_DESCRIBE);
            out.write(CBOR.writeValueAsBytes(env));
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<InputStream> post(String version, Principal effective, byte[] envelope) {
        return postTo(version, effective, "query", envelope);
    }

    HttpResponse<InputStream> postTo(String version, Principal effective, String endpoint, byte[] envelope) {
        URI uri = gateway.resolve("/api/" + version + "/canister/" + effective + "/" + endpoint);
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "application/cbor")
                .POST(HttpRequest.BodyPublishers.ofByteArray(envelope)).build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new IcException.Transport("query to " + uri + " failed: " + e, 0, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IcException.Transport("query to " + uri + " interrupted", 0, false, e);
        }
    }

    private byte[] reply(HttpResponse<InputStream> r, Principal canister, String method) {
        String what = canister + "." + method;
        byte[] body = read(r, what);
        int status = r.statusCode();
        if (status != 200) {
            String text = new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8);
            boolean retryable = status == 429 || status >= 500;
            throw new IcException.Transport(what + ": HTTP " + status + ": " + text.strip(), status, retryable, null);
        }
        JsonNode root;
        try {
            root = CBOR.readTree(body);
        } catch (IOException e) {
            throw new IcException.Transport(what + ": the reply is not CBOR (" + body.length + " bytes): " + e.getMessage(),
                    status, true, e);
        }
        if (root == null || !root.isObject() || !root.path("status").isTextual()) {
            throw new IcException.Transport(what + ": the reply is not a query response (no status)", status, true, null);
        }
        switch (root.get("status").asText()) {
            case "replied" -> {
                JsonNode arg = root.path("reply").get("arg");
                if (arg == null || !arg.isBinary()) {
                    throw new IcException.Transport(what + ": a replied response without reply.arg", status, true, null);
                }
                try {
                    return arg.binaryValue();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            case "rejected" -> {
                JsonNode code = root.get("reject_code");
                if (code == null || !code.canConvertToInt()) {
                    throw new IcException.Transport(what + ": a rejected response without reject_code", status, true, null);
                }
                JsonNode err = root.get("error_code");
                throw new IcException.Rejected(code.asInt(), root.path("reject_message").asText(""),
                        err != null && err.isTextual() ? err.asText() : null);
            }
            default -> throw new IcException.Transport(what + ": unknown response status '" + root.get("status").asText() + "'",
                    status, true, null);
        }
    }

    byte[] read(HttpResponse<InputStream> r, String what) {
        try (InputStream in = r.body()) {
            byte[] body = in.readNBytes(maxReplyBytes + 1);
            if (body.length > maxReplyBytes) {
                throw new IcException.Transport(what + ": the reply exceeds the limit of " + maxReplyBytes + " bytes",
                        r.statusCode(), false, null);
            }
            return body;
        } catch (IOException e) {
            throw new IcException.Transport(what + ": reading the reply failed: " + e, r.statusCode(), true, e);
        }
    }

    static void drain(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the connection is discarded anyway
        }
    }
}
