package dev.interlock.ic.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

import dev.interlock.ic.Leb128;
import dev.interlock.ic.Principal;
import dev.interlock.ic.RequestId;
import dev.interlock.ic.cert.Certificate;
import dev.interlock.ic.cert.HashTree;

/**
 * Update calls over the IC HTTP interface, enveloped and signed by a {@link QueryClient} (same gateway, identity
 * and limits). The call goes to the synchronous endpoint {@code /api/v4/canister/<effective>/call} (v3, then the
 * asynchronous v2, where the gateway answers 404); its answer is one of:
 * <ul>
 * <li>200 {@code {status: "replied", certificate}}: the certificate holds {@code /request_status/<request id>}, whose
 * {@code status} is {@code replied} (with {@code reply}) or {@code rejected} (with {@code reject_code},
 * {@code reject_message}, {@code error_code});</li>
 * <li>200 {@code {status: "non_replicated_rejection", reject_code, reject_message, error_code}}: refused before
 * execution (a management-canister method the sender may not call is refused here);</li>
 * <li>202 without body: not finished in time (and always on v2); the status is then polled by {@code read_state} of
 * {@code /request_status/<request id>} until it is final or {@code maxWait} has passed.</li>
 * </ul>
 * The certificate's BLS signature is not verified (docs/ledger-verification.md); its delegation must cover the
 * effective canister.
 */
public final class UpdateClient {
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    private static final SecureRandom NONCES = new SecureRandom();
    private static final Duration EXPIRY = Duration.ofMinutes(4);

    private final QueryClient client;
    private final Duration maxWait;
    /** Fills each call's 8-byte nonce (random; fixed only in tests that compare envelopes byte for byte). */
    private final java.util.function.Consumer<byte[]> nonces;
    /** The newest call endpoint the gateway knows: 4, 3 or 2. */
    private volatile int version = 4;

    public UpdateClient(QueryClient client, Duration maxWait) {
        this(client, maxWait, NONCES::nextBytes);
    }

    UpdateClient(QueryClient client, Duration maxWait, java.util.function.Consumer<byte[]> nonces) {
        this.client = client;
        this.maxWait = maxWait;
        this.nonces = nonces;
    }

    /**
     * Calls {@code method} of {@code canister} with Candid {@code arg}, {@code effective} being the effective canister
     * id; returns the Candid reply, or throws {@link IcException.Rejected} (the IC's reject) or
     * {@link IcException.Transport}.
     */
    public byte[] call(Principal effective, Principal canister, String method, byte[] arg) {
        byte[] nonce = new byte[8];
        nonces.accept(nonce);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("request_type", "call");
        fields.put("sender", client.identity().principal().bytes());
        fields.put("canister_id", canister.bytes());
        fields.put("method_name", method);
        fields.put("arg", arg);
        fields.put("nonce", nonce);
        fields.put("ingress_expiry", client.clock().millis() * 1_000_000L + EXPIRY.toNanos());
        byte[] requestId = RequestId.of(fields);
        byte[] envelope = client.sign(fields);
        String what = canister + "." + method + " (update call)";
        while (true) {
            int v = version;
            HttpResponse<InputStream> r = client.postTo("v" + v, effective, "call", envelope);
            if (r.statusCode() == 404 && v > 2) {
                QueryClient.drain(r);
                version = v - 1;
                continue;
            }
            byte[] body = client.read(r, what);
            if (r.statusCode() == 202) {
                return poll(effective, requestId, what);
            }
            if (r.statusCode() != 200) {
                String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
                throw new IcException.Transport(what + ": HTTP " + r.statusCode() + ": " + text.strip(), r.statusCode(),
                        r.statusCode() == 429 || r.statusCode() >= 500, null);
            }
            JsonNode root = cbor(body, what);
            String status = root.path("status").asText("");
            switch (status) {
                case "replied" -> {
                    JsonNode cert = root.get("certificate");
                    if (cert == null || !cert.isBinary()) {
                        throw new IcException.Transport(what + ": a replied answer without certificate", 200, true, null);
                    }
                    byte[] reply = outcome(binary(cert), effective, requestId, what);
                    return reply != null ? reply : poll(effective, requestId, what);
                }
                case "non_replicated_rejection" -> {
                    JsonNode code = root.get("reject_code");
                    if (code == null || !code.canConvertToInt()) {
                        throw new IcException.Transport(what + ": a rejection without reject_code", 200, true, null);
                    }
                    JsonNode err = root.get("error_code");
                    throw new IcException.Rejected(code.asInt(), root.path("reject_message").asText(""),
                            err != null && err.isTextual() ? err.asText() : null);
                }
                default -> throw new IcException.Transport(what + ": unknown call answer status '" + status + "'", 200, true, null);
            }
        }
    }

    /** True once the gateway answered 404 on v4 and v3 and calls go to the asynchronous v2 endpoint. */
    public boolean usingV2() {
        return version == 2;
    }

    private byte[] poll(Principal effective, byte[] requestId, String what) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        long pause = 50;
        while (true) {
            byte[] cert = client.readState(effective, List.of(List.of(ascii("request_status"), requestId)));
            byte[] reply = outcome(cert, effective, requestId, what);
            if (reply != null) {
                return reply;
            }
            if (System.nanoTime() + pause * 1_000_000L > deadline) {
                throw new IcException.Transport(what + ": no final status within " + maxWait, 202, true, null);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IcException.Transport(what + ": interrupted while waiting for the reply", 0, false, e);
            }
            pause = Math.min(1_000, pause * 2);
        }
    }

    /** The reply the certificate holds; null while the call is not final; throws when it was rejected. */
    private static byte[] outcome(byte[] certificate, Principal effective, byte[] requestId, String what) {
        Certificate c;
        try {
            c = Certificate.fromCbor(certificate);
            c.checkDelegationCovers(effective);
        } catch (IllegalArgumentException e) {
            throw new IcException.Transport(what + ": " + e.getMessage(), 200, false, e);
        }
        HashTree.Lookup status = lookup(c, requestId, "status");
        if (!(status instanceof HashTree.Found found)) {
            return null; // not (yet) known to the subnet
        }
        String s = new String(found.value(), StandardCharsets.UTF_8);
        switch (s) {
            case "replied" -> {
                if (lookup(c, requestId, "reply") instanceof HashTree.Found reply) {
                    return reply.value();
                }
                throw new IcException.Transport(what + ": status replied without reply in the certificate", 200, true, null);
            }
            case "rejected" -> {
                if (!(lookup(c, requestId, "reject_code") instanceof HashTree.Found code)) {
                    throw new IcException.Transport(what + ": status rejected without reject_code", 200, true, null);
                }
                String message = lookup(c, requestId, "reject_message") instanceof HashTree.Found m
                        ? new String(m.value(), StandardCharsets.UTF_8) : "";
                String errorCode = lookup(c, requestId, "error_code") instanceof HashTree.Found e
                        ? new String(e.value(), StandardCharsets.UTF_8) : null;
                throw new IcException.Rejected(Leb128.readUnsigned(code.value()).intValueExact(), message, errorCode);
            }
            case "done" -> throw new IcException.Transport(what + ": the call is done and its reply no longer held", 200, false, null);
            default -> {
                return null; // received, processing
            }
        }
    }

    private static HashTree.Lookup lookup(Certificate c, byte[] requestId, String leaf) {
        return c.tree().lookup(List.of(ascii("request_status"), requestId, ascii(leaf)));
    }

    private static JsonNode cbor(byte[] body, String what) {
        try {
            JsonNode root = CBOR.readTree(body);
            if (root == null || !root.isObject()) {
                throw new IcException.Transport(what + ": the answer is not a CBOR map", 200, true, null);
            }
            return root;
        } catch (IOException e) {
            throw new IcException.Transport(what + ": the answer is not CBOR: " + e.getMessage(), 200, true, e);
        }
    }

    private static byte[] binary(JsonNode n) {
        try {
            return n.binaryValue();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
