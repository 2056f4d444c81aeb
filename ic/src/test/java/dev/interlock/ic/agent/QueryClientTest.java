package dev.interlock.ic.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.interlock.ic.Principal;

/** The query client against a real HTTP server that reads the envelope as a replica does. */
class QueryClientTest {
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    private static final Principal LEDGER = Principal.fromText("ryjl3-tyaaa-aaaaa-aaaba-cai");
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final byte[] ARG = {'D', 'I', 'D', 'L', 0, 0};

    private HttpServer server;
    private final List<String> paths = new ArrayList<>();
    private final List<JsonNode> envelopes = new ArrayList<>();

    /** Starts a server answering every request with {@code answer(path)}: status and body. */
    private QueryClient serve(Function<String, Object[]> answer, int maxReplyBytes) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", (HttpExchange x) -> {
            byte[] body = x.getRequestBody().readAllBytes();
            paths.add(x.getRequestURI().getPath());
            envelopes.add(CBOR.readTree(body));
            Object[] a = answer.apply(x.getRequestURI().getPath());
            byte[] out = (byte[]) a[1];
            x.getResponseHeaders().add("Content-Type", "application/cbor");
            x.sendResponseHeaders((Integer) a[0], out.length == 0 ? -1 : out.length);
            x.getResponseBody().write(out);
            x.close();
        });
        server.start();
        return new QueryClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), HttpClient.newHttpClient(),
                Duration.ofSeconds(5), maxReplyBytes, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static byte[] cbor(ObjectNode n) throws IOException {
        return CBOR.writeValueAsBytes(n);
    }

    private static byte[] replied(byte[] arg) throws IOException {
        ObjectNode n = CBOR.createObjectNode().put("status", "replied");
        n.putObject("reply").put("arg", arg);
        n.putArray("signatures");
        return cbor(n);
    }

    @Test
    void aReplyIsReturnedAndTheEnvelopeIsAnAnonymousSelfDescribedQuery() throws Exception {
        byte[] reply = {'D', 'I', 'D', 'L', 0, 1, 0x7d, 42};
        QueryClient client = serve(p -> new Object[] {200, uncheck(() -> replied(reply))}, 1 << 20);

        assertThat(client.query(LEDGER, "icrc3_get_blocks", ARG)).isEqualTo(reply);

        assertThat(paths).containsExactly("/api/v3/canister/ryjl3-tyaaa-aaaaa-aaaba-cai/query");
        JsonNode content = envelopes.get(0).get("content");
        assertThat(content.get("request_type").asText()).isEqualTo("query");
        assertThat(content.get("sender").binaryValue()).isEqualTo(new byte[] {0x04});
        assertThat(content.get("canister_id").binaryValue()).isEqualTo(LEDGER.bytes());
        assertThat(content.get("method_name").asText()).isEqualTo("icrc3_get_blocks");
        assertThat(content.get("arg").binaryValue()).isEqualTo(ARG);
        assertThat(content.get("ingress_expiry").asLong()).isEqualTo(NOW.toEpochMilli() * 1_000_000L + Duration.ofMinutes(4).toNanos());
        assertThat(client.envelope(LEDGER, "m", ARG)).startsWith((byte) 0xd9, (byte) 0xd9, (byte) 0xf7);
    }

    @Test
    void aRejectCarriesItsCodeMessageAndErrorCode() throws Exception {
        ObjectNode rejected = CBOR.createObjectNode().put("status", "rejected").put("reject_code", 5)
                .put("reject_message", "Canister has no query method 'nope'").put("error_code", "IC0536");
        QueryClient client = serve(p -> new Object[] {200, uncheck(() -> cbor(rejected))}, 1 << 20);

        assertThatThrownBy(() -> client.query(LEDGER, "nope", ARG))
                .isInstanceOfSatisfying(IcException.Rejected.class, r -> {
                    assertThat(r.rejectCode()).isEqualTo(5);
                    assertThat(r.errorCode()).isEqualTo("IC0536");
                    assertThat(r.rejectMessage()).isEqualTo("Canister has no query method 'nope'");
                    assertThat(r.transientReject()).isFalse();
                });
    }

    @Test
    void aGatewayWithoutV3IsAskedOnV2FromThenOn() throws Exception {
        byte[] reply = {'D', 'I', 'D', 'L', 0, 0};
        QueryClient client = serve(p -> p.startsWith("/api/v3/") ? new Object[] {404, "not found".getBytes()}
                : new Object[] {200, uncheck(() -> replied(reply))}, 1 << 20);

        assertThat(client.query(LEDGER, "a", ARG)).isEqualTo(reply);
        assertThat(client.query(LEDGER, "b", ARG)).isEqualTo(reply);

        assertThat(paths).containsExactly("/api/v3/canister/ryjl3-tyaaa-aaaaa-aaaba-cai/query",
                "/api/v2/canister/ryjl3-tyaaa-aaaaa-aaaba-cai/query", "/api/v2/canister/ryjl3-tyaaa-aaaaa-aaaba-cai/query");
        assertThat(client.usingV2()).isTrue();
    }

    @Test
    void serverErrorsAreRetryableTransportFailuresWithTheirStatus() throws Exception {
        QueryClient client = serve(p -> new Object[] {503, "overloaded".getBytes()}, 1 << 20);

        assertThatThrownBy(() -> client.query(LEDGER, "m", ARG)).isInstanceOfSatisfying(IcException.Transport.class, t -> {
            assertThat(t.httpStatus()).isEqualTo(503);
            assertThat(t.retryable()).isTrue();
            assertThat(t.getMessage()).contains("HTTP 503: overloaded");
        });
    }

    @Test
    void garbageAndOversizedBodiesAreRejectedWithAClearReason() throws Exception {
        QueryClient garbage = serve(p -> new Object[] {200, new byte[] {(byte) 0xff, 0x00, 0x13}}, 1 << 20);
        assertThatThrownBy(() -> garbage.query(LEDGER, "m", ARG)).isInstanceOf(IcException.Transport.class)
                .hasMessageContaining("not");
        stop();

        QueryClient small = serve(p -> new Object[] {200, uncheck(() -> replied(new byte[4096]))}, 1024);
        assertThatThrownBy(() -> small.query(LEDGER, "m", ARG)).isInstanceOfSatisfying(IcException.Transport.class,
                t -> assertThat(t.retryable()).isFalse()).hasMessageContaining("exceeds the limit of 1024 bytes");
    }

    @Test
    void anUnreachableGatewayIsARetryableTransportFailure() {
        QueryClient client = new QueryClient(URI.create("http://127.0.0.1:1"), HttpClient.newHttpClient(), Duration.ofSeconds(2),
                1024, Clock.systemUTC());
        assertThatThrownBy(() -> client.query(LEDGER, "m", ARG)).isInstanceOfSatisfying(IcException.Transport.class, t -> {
            assertThat(t.httpStatus()).isZero();
            assertThat(t.retryable()).isTrue();
        });
    }

    interface IoSupplier {
        byte[] get() throws IOException;
    }

    private static byte[] uncheck(IoSupplier s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSignedQueryCarriesTheKeyAndASignatureOfTheRequestIdRecomputedFromWhatWasSent() throws Exception {
        serve(path -> new Object[] {200, uncheck(() -> replied(ARG))}, 1 << 20);
        dev.interlock.ic.identity.Identity id = dev.interlock.ic.identity.PemIdentity.parse(
                dev.interlock.ic.identity.PemIdentityTest.SEC1);
        QueryClient signed = new QueryClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), HttpClient.newHttpClient(),
                Duration.ofSeconds(5), 1 << 20, Clock.fixed(NOW, ZoneOffset.UTC), id);

        signed.query(LEDGER, "fetch", ARG);

        JsonNode env = envelopes.get(0);
        JsonNode content = env.get("content");
        assertThat(content.get("sender").binaryValue()).isEqualTo(id.principal().bytes());
        assertThat(env.get("sender_pubkey").binaryValue()).isEqualTo(id.publicKeyDer());
        java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
        content.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().isBinary() ? uncheck(() -> f.getValue().binaryValue())
                : f.getValue().isTextual() ? f.getValue().asText() : (Object) f.getValue().asLong()));
        byte[] signed32 = dev.interlock.ic.RequestId.signedBytes(dev.interlock.ic.RequestId.of(fields));
        byte[] sig = env.get("sender_sig").binaryValue();
        org.bouncycastle.asn1.x9.X9ECParameters curve = org.bouncycastle.asn1.sec.SECNamedCurves.getByName("secp256k1");
        org.bouncycastle.crypto.signers.ECDSASigner v = new org.bouncycastle.crypto.signers.ECDSASigner();
        byte[] der = id.publicKeyDer();
        v.init(false, new org.bouncycastle.crypto.params.ECPublicKeyParameters(curve.getCurve().decodePoint(
                java.util.Arrays.copyOfRange(der, der.length - 65, der.length)), new org.bouncycastle.crypto.params.ECDomainParameters(
                curve.getCurve(), curve.getG(), curve.getN(), curve.getH())));
        assertThat(v.verifySignature(dev.interlock.ic.Hashes.sha256(signed32), new java.math.BigInteger(1, java.util.Arrays.copyOf(sig, 32)),
                new java.math.BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64)))).isTrue();
    }

    @Test
    void readStateAsksForThePathsAndReturnsTheCertificate() throws Exception {
        ObjectNode answer = CBOR.createObjectNode().put("certificate", new byte[] {1, 2, 3});
        QueryClient client = serve(path -> new Object[] {200, uncheck(() -> cbor(answer))}, 1 << 20);

        byte[] cert = client.readState(LEDGER, List.of(List.of("canister".getBytes(), LEDGER.bytes(), "module_hash".getBytes())));

        assertThat(cert).containsExactly(1, 2, 3);
        assertThat(paths).containsExactly("/api/v3/canister/" + LEDGER + "/read_state");
        JsonNode content = envelopes.get(0).get("content");
        assertThat(content.get("request_type").asText()).isEqualTo("read_state");
        assertThat(content.get("paths").get(0).get(2).binaryValue()).isEqualTo("module_hash".getBytes());
        assertThat(envelopes.get(0).has("sender_sig")).as("anonymous: unsigned").isFalse();
    }

    private interface Io<T> {
        T get() throws IOException;
    }

    private static <T> T uncheck(Io<T> io) {
        try {
            return io.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
