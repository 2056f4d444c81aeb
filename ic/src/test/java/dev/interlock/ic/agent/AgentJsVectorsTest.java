package dev.interlock.ic.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.sun.net.httpserver.HttpServer;

import dev.interlock.ic.Hashes;
import dev.interlock.ic.Principal;
import dev.interlock.ic.RequestId;
import dev.interlock.ic.candid.CandidDecoder;
import dev.interlock.ic.identity.Ed25519Identity;
import dev.interlock.ic.identity.Identity;
import dev.interlock.ic.identity.PemIdentity;
import dev.interlock.ic.identity.Secp256k1Identity;

/**
 * Our identities, request ids and signatures against DFINITY's agent-js (vectors written by
 * {@code tools/agent-js-vectors/generate.mjs}; see its README to regenerate). Both sides sign
 * deterministically (RFC 6979 with low-S for secp256k1, Ed25519), so signatures must be equal byte for byte.
 * Each run writes the envelopes we send to {@code target/agent-js/interlock-envelopes.json}; the generator
 * judges them with agent-js and records its verdicts, which hold for what we send now only while our
 * envelopes are still the same bytes (checked here).
 */
class AgentJsVectorsTest {
    static final String VECTORS = "/agent-js/vectors.json";
    static final Path ENVELOPES_OUT = Path.of("target", "agent-js", "interlock-envelopes.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    private static final HexFormat HEX = HexFormat.of();
    private static final X9ECParameters K1 = SECNamedCurves.getByName("secp256k1");
    private static final Principal VAULT = Principal.fromText("rrkah-fqaaa-aaaaa-aaaaq-cai");
    /** The clock of our envelopes: ingress_expiry = now + 4 minutes = 1795003440 s. */
    private static final Instant NOW = Instant.ofEpochSecond(1_795_003_200L);

    private static JsonNode vectors;
    private static Map<String, Identity> identities;
    private static Map<String, String> ourEnvelopes;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = AgentJsVectorsTest.class.getResourceAsStream(VECTORS)) {
            vectors = JSON.readTree(in);
        }
        identities = new LinkedHashMap<>();
        for (JsonNode id : vectors.get("identities")) {
            identities.put(id.get("name").asText(), id.has("pem") ? PemIdentity.parse(id.get("pem").asText()) : Identity.ANONYMOUS);
        }
        ourEnvelopes = envelopesWeSend();
        writeEnvelopes(ourEnvelopes, ENVELOPES_OUT);
    }

    @Test
    void ourIdentitiesFromTheSamePemFilesHaveAgentJsPrincipalsAndDerKeys() {
        assertThat(vectors.get("identities")).hasSize(3);
        for (JsonNode v : vectors.get("identities")) {
            Identity ours = identities.get(v.get("name").asText());
            assertThat(ours.kind()).as(v.get("name").asText()).isEqualTo(v.get("kind").asText());
            assertThat(ours.principal().toString()).as(v.get("name").asText()).isEqualTo(v.get("principal").asText());
            String der = ours.publicKeyDer() == null ? null : HEX.formatHex(ours.publicKeyDer());
            assertThat(der).as(v.get("name").asText()).isEqualTo(v.has("publicKeyDer") ? v.get("publicKeyDer").asText() : null);
        }
        assertThat(identities.get("secp256k1-dfx")).isInstanceOf(Secp256k1Identity.class);
        assertThat(identities.get("ed25519-rfc8032")).isInstanceOf(Ed25519Identity.class);
        assertThat(HEX.formatHex(RequestId.signedBytes(new byte[0]))).isEqualTo(vectors.get("domainSeparator").asText());
    }

    @Test
    void ourRequestIdOfEveryQueryCallAndReadStateContentIsAgentJsRequestId() {
        assertThat(vectors.get("requests")).hasSize(18);
        for (JsonNode r : vectors.get("requests")) {
            assertThat(HEX.formatHex(RequestId.of(content(r.get("content"))))).as(name(r)).isEqualTo(r.get("requestId").asText());
        }
    }

    @Test
    void ourSignaturesAreAgentJsSignaturesByteForByteIncludingLowSNormalisedOnes() {
        int signed = 0;
        int normalised = 0;
        for (JsonNode r : vectors.get("requests")) {
            Identity id = identities.get(r.get("identity").asText());
            if (!r.has("signature")) {
                assertThat(id).isSameAs(Identity.ANONYMOUS);
                continue;
            }
            byte[] ours = id.sign(RequestId.signedBytes(HEX.parseHex(r.get("requestId").asText())));
            assertThat(HEX.formatHex(ours)).as(name(r)).isEqualTo(r.get("signature").asText());
            signed++;
            normalised += r.path("lowSNormalised").asBoolean() ? 1 : 0;
        }
        assertThat(signed).isEqualTo(12);
        assertThat(normalised).as("vectors where agent-js replaced s by n - s").isPositive();
    }

    @Test
    void everyPemFormDfxAndIcpCliWriteOfTheSecp256k1KeyGivesAgentJsPrincipalDerKeyAndSignatures() throws Exception {
        JsonNode v = null;
        for (JsonNode id : vectors.get("identities")) {
            if (id.get("name").asText().equals("secp256k1-dfx")) {
                v = id;
            }
        }
        String dfx = v.get("pem").asText();
        // dfx writes SEC1 with CRLF line ends; icp-cli PKCS#8 ("PRIVATE KEY"); some tools drop EC PARAMETERS
        String crlf = dfx.replace("\r\n", "\n").replace("\n", "\r\n");
        String sec1Only = dfx.substring(dfx.indexOf("-----BEGIN EC PRIVATE KEY-----"));
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo info;
        try (org.bouncycastle.openssl.PEMParser p = new org.bouncycastle.openssl.PEMParser(new java.io.StringReader(dfx))) {
            Object o;
            while (!((o = p.readObject()) instanceof org.bouncycastle.openssl.PEMKeyPair)) {
                assertThat(o).as("a key pair in the dfx PEM").isNotNull();
            }
            info = ((org.bouncycastle.openssl.PEMKeyPair) o).getPrivateKeyInfo();
        }
        String pkcs8 = "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                        .encodeToString(info.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";

        JsonNode request = null;
        for (JsonNode r : vectors.get("requests")) {
            if (r.get("identity").asText().equals("secp256k1-dfx") && r.has("signature")) {
                request = r;
                break;
            }
        }
        byte[] signed = RequestId.signedBytes(HEX.parseHex(request.get("requestId").asText()));
        for (String pem : List.of(crlf, sec1Only, pkcs8)) {
            Identity id = PemIdentity.parse(pem);
            assertThat(id).isInstanceOf(Secp256k1Identity.class);
            assertThat(id.principal().toString()).isEqualTo(v.get("principal").asText());
            assertThat(HEX.formatHex(id.publicKeyDer())).isEqualTo(v.get("publicKeyDer").asText());
            assertThat(HEX.formatHex(id.sign(signed))).isEqualTo(request.get("signature").asText());
        }
        assertThat(crlf).contains("\r\n");
        assertThat(pkcs8).contains("BEGIN PRIVATE KEY").doesNotContain("EC PRIVATE KEY");
    }

    @Test
    void agentJsSignaturesVerifyUnderItsDerKeyWithOurVerifierAndAlteredOnesDoNot() {
        for (JsonNode r : vectors.get("requests")) {
            if (!r.has("signature")) {
                continue;
            }
            byte[] der = HEX.parseHex(identity(r).get("publicKeyDer").asText());
            byte[] message = RequestId.signedBytes(HEX.parseHex(r.get("requestId").asText()));
            byte[] sig = HEX.parseHex(r.get("signature").asText());
            assertThat(verifies(der, message, sig)).as(name(r)).isTrue();

            byte[] flipped = sig.clone();
            flipped[5] ^= 1;
            assertThat(verifies(der, message, flipped)).as(name(r) + " with a bit flipped").isFalse();
            byte[] otherId = message.clone();
            otherId[otherId.length - 1] ^= 1;
            assertThat(verifies(der, otherId, sig)).as(name(r) + " over another request id").isFalse();
            if (identity(r).get("kind").asText().equals("secp256k1")) {
                byte[] highS = sig.clone();
                byte[] s = K1.getN().subtract(new BigInteger(1, Arrays.copyOfRange(sig, 32, 64))).toByteArray();
                Arrays.fill(highS, 32, 64, (byte) 0);
                System.arraycopy(s, Math.max(0, s.length - 32), highS, 64 - Math.min(32, s.length), Math.min(32, s.length));
                assertThat(verifies(der, message, highS)).as(name(r) + " with s replaced by n - s (high-S)").isFalse();
            }
        }
    }

    @Test
    void agentJsCandidEncodingOfTheFetchCanisterLogsArgumentDecodesToOurs() {
        JsonNode arg = vectors.get("fetchCanisterLogsArg");
        byte[] ours = CanisterLogClient.encodeArgs(Principal.fromText(arg.get("canister").asText()), arg.get("fromIdx").asLong());
        // Candid does not fix the type table's order, so the bytes may differ; the decoded values may not.
        assertThat(CandidDecoder.decode(HEX.parseHex(arg.get("candid").asText())).values())
                .isEqualTo(CandidDecoder.decode(ours).values());
    }

    @Test
    void agentJsJudgedTheEnvelopesWeSendNowValid() {
        JsonNode judged = vectors.get("interlockEnvelopes");
        assertThat(judged).as("vectors.json has no interlockEnvelopes: regenerate with --interlock (tools/agent-js-vectors/README.md)")
                .isNotNull();
        assertThat(judged.size()).isEqualTo(ourEnvelopes.size());
        for (JsonNode v : judged) {
            String name = v.get("name").asText();
            assertThat(ourEnvelopes.get(name)).as(name + ": our envelope changed since agent-js judged it; regenerate the vectors")
                    .isEqualTo(v.get("cbor").asText());
            assertThat(v.get("problems")).as(name + ": agent-js's objections").isEmpty();
            boolean anonymous = name.endsWith("/anonymous");
            assertThat(v.get("keyKind").asText()).as(name).isEqualTo(anonymous ? "anonymous" : identities.get(name.split("/")[1]).kind());
            if (!anonymous) {
                assertThat(v.get("signatureValid").asBoolean()).as(name).isTrue();
            }
            assertThat(v.get("sender").asText()).as(name).isEqualTo(identities.get(name.split("/")[1]).principal().toString());
            if (name.startsWith("read-state-last-install/")) {
                // the same content as agent-js's own read_state vector (HttpAgent's fields, same expiry and path)
                assertThat(v.get("requestId").asText()).as(name).isEqualTo(requestIdOf("read-state-last-install", name.split("/")[1]));
            }
            if (name.startsWith("canister-status/")) {
                assertThat(v.get("requestType").asText()).as(name).isEqualTo("call");
                assertThat(v.get("canisterStatusArg")).as(name).isEqualTo(JSON.createObjectNode().put("canister", VAULT.toString()));
            }
            if (name.startsWith("fetch-canister-logs/")) {
                assertThat(v.get("fetchCanisterLogsArg")).as(name).isEqualTo(JSON.createObjectNode()
                        .put("canister", VAULT.toString()).put("start", "1042").put("end", "18446744073709551615"));
            }
        }
    }

    /**
     * The envelopes the canister-log poller sends, as posted, per identity: name → hex CBOR. The query of
     * {@code fetch_canister_logs}, the read_state of {@code last_install_timestamp}, and the update call of
     * {@code canister_status} that reads the log buffer's size (its nonce fixed here, random in service).
     */
    static Map<String, String> envelopesWeSend() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<byte[]> bodies = new ArrayList<>();
        server.createContext("/", x -> {
            bodies.add(x.getRequestBody().readAllBytes());
            ObjectNode reply = CBOR.createObjectNode();
            if (x.getRequestURI().getPath().endsWith("/query")) {
                reply.put("status", "replied").putObject("reply").put("arg", CanisterLogClient.encodeReply(List.of()));
            } else if (x.getRequestURI().getPath().endsWith("/call")) {
                reply.put("status", "non_replicated_rejection").put("reject_code", 4).put("reject_message", "not judged here");
            } else {
                reply.put("certificate", new byte[] {0});
            }
            byte[] b = CBOR.writeValueAsBytes(reply);
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        server.start();
        try {
            for (Map.Entry<String, Identity> e : identities.entrySet()) {
                QueryClient client = new QueryClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                        HttpClient.newHttpClient(), Duration.ofSeconds(10), 1 << 20, Clock.fixed(NOW, ZoneOffset.UTC), e.getValue());
                new CanisterLogClient(client, CandidDecoder.Limits.DEFAULT).fetch(VAULT, 1042);
                out.put("fetch-canister-logs/" + e.getKey(), HEX.formatHex(bodies.get(bodies.size() - 1)));
                // the paths CanisterLogClient.lastInstallTimestamp reads (it parses the certificate, which this server does not make)
                client.readState(VAULT, List.of(List.of("canister".getBytes(), VAULT.bytes(), "last_install_timestamp".getBytes())));
                out.put("read-state-last-install/" + e.getKey(), HEX.formatHex(bodies.get(bodies.size() - 1)));
                UpdateClient update = new UpdateClient(client, Duration.ofSeconds(10),
                        nonce -> java.util.Arrays.fill(nonce, (byte) 0x5a));
                try {
                    new CanisterStatusClient(update, CandidDecoder.Limits.DEFAULT).status(VAULT);
                } catch (IcException.Rejected expected) {
                    // this server rejects every call: only the envelope matters here
                }
                out.put("canister-status/" + e.getKey(), HEX.formatHex(bodies.get(bodies.size() - 1)));
            }
        } finally {
            server.stop(0);
        }
        return out;
    }

    static void writeEnvelopes(Map<String, String> envelopes, Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("envelopes");
        envelopes.forEach((name, cbor) -> list.addObject().put("name", name).put("cbor", cbor));
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    /** The typed JSON content of a vector as RequestId takes it: blob → byte[], text → String, nat → BigInteger, paths → lists. */
    private static Map<String, Object> content(JsonNode typed) {
        Map<String, Object> fields = new LinkedHashMap<>();
        typed.fields().forEachRemaining(f -> {
            JsonNode v = f.getValue();
            Object value;
            if (v.has("blob")) {
                value = HEX.parseHex(v.get("blob").asText());
            } else if (v.has("text")) {
                value = v.get("text").asText();
            } else if (v.has("nat")) {
                value = new BigInteger(v.get("nat").asText());
            } else {
                List<List<byte[]>> paths = new ArrayList<>();
                v.get("paths").forEach(path -> {
                    List<byte[]> labels = new ArrayList<>();
                    path.forEach(label -> labels.add(HEX.parseHex(label.asText())));
                    paths.add(labels);
                });
                value = paths;
            }
            fields.put(f.getKey(), value);
        });
        return fields;
    }

    /** The replica's rule: secp256k1 ECDSA over SHA-256 with s in the lower half, or Ed25519, by the DER key's type. */
    static boolean verifies(byte[] der, byte[] message, byte[] sig) {
        byte[] k1 = Secp256k1Identity.derPrefix();
        byte[] ed = Ed25519Identity.derPrefix();
        if (der.length == k1.length + 65 && Arrays.equals(der, 0, k1.length, k1, 0, k1.length) && sig.length == 64) {
            BigInteger r = new BigInteger(1, Arrays.copyOf(sig, 32));
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
            if (s.compareTo(K1.getN().shiftRight(1)) > 0) {
                return false;
            }
            ECDSASigner v = new ECDSASigner();
            v.init(false, new ECPublicKeyParameters(K1.getCurve().decodePoint(Arrays.copyOfRange(der, k1.length, der.length)),
                    new ECDomainParameters(K1.getCurve(), K1.getG(), K1.getN(), K1.getH())));
            return v.verifySignature(Hashes.sha256(message), r, s);
        }
        if (der.length == ed.length + 32 && Arrays.equals(der, 0, ed.length, ed, 0, ed.length) && sig.length == 64) {
            Ed25519Signer v = new Ed25519Signer();
            v.init(false, new Ed25519PublicKeyParameters(der, ed.length));
            v.update(message, 0, message.length);
            return v.verifySignature(sig);
        }
        return false;
    }

    private static JsonNode identity(JsonNode request) {
        for (JsonNode id : vectors.get("identities")) {
            if (id.get("name").asText().equals(request.get("identity").asText())) {
                return id;
            }
        }
        throw new AssertionError("no identity " + request.get("identity"));
    }

    private static String requestIdOf(String content, String identity) {
        for (JsonNode r : vectors.get("requests")) {
            if (r.get("name").asText().equals(content) && r.get("identity").asText().equals(identity)) {
                return r.get("requestId").asText();
            }
        }
        throw new AssertionError("no request " + content + "/" + identity);
    }

    private static String name(JsonNode request) {
        return request.get("name").asText() + "/" + request.get("identity").asText();
    }
}
