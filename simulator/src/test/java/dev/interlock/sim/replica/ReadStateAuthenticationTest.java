package dev.interlock.sim.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

import dev.interlock.ic.Principal;
import dev.interlock.ic.RequestId;
import dev.interlock.ic.identity.Ed25519Identity;
import dev.interlock.ic.identity.Identity;

/**
 * {@code read_state} is authenticated as the replica authenticates it: the sender is the key's principal and
 * {@code sender_sig} signs the request id of the whole content, computed as the interface specification hashes it
 * (paths as arrays of blobs, {@code ingress_expiry} a nat that may reach 2^64 - 1).
 */
class ReadStateAuthenticationTest {
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    private static final Principal CANISTER = Principal.canister(4343);
    private static final Identity KEY = new Ed25519Identity(new byte[32]);
    private static final BigInteger MAX_EXPIRY = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);

    private FakeReplica replica;

    @BeforeEach
    void start() throws Exception {
        replica = new FakeReplica();
        replica.installed(CANISTER, 1_767_225_600_000_000_000L);
    }

    @AfterEach
    void stop() {
        replica.close();
    }

    private static byte[] envelope(Identity signer, Principal sender, boolean tamper) throws Exception {
        List<List<byte[]>> paths = List.of(List.of("canister".getBytes(StandardCharsets.US_ASCII), CANISTER.bytes(),
                "last_install_timestamp".getBytes(StandardCharsets.US_ASCII)));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("request_type", "read_state");
        fields.put("sender", sender.bytes());
        fields.put("paths", paths);
        fields.put("ingress_expiry", MAX_EXPIRY);
        byte[] sig = signer.sign(RequestId.signedBytes(RequestId.of(fields)));
        if (tamper) {
            sig[0] ^= 1;
        }
        ObjectNode content = CBOR.createObjectNode();
        content.put("request_type", "read_state");
        content.put("sender", sender.bytes());
        ArrayNode ps = content.putArray("paths");
        for (List<byte[]> path : paths) {
            ArrayNode p = ps.addArray();
            path.forEach(p::add);
        }
        content.put("ingress_expiry", MAX_EXPIRY);
        ObjectNode env = CBOR.createObjectNode();
        env.set("content", content);
        env.put("sender_pubkey", signer.publicKeyDer());
        env.put("sender_sig", sig);
        return CBOR.writeValueAsBytes(env);
    }

    private HttpResponse<String> post(byte[] body) throws Exception {
        URI uri = replica.url().resolve("/api/v3/canister/" + CANISTER + "/read_state");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).header("Content-Type", "application/cbor")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aReadStateSignedOverPathsAndAMaximalExpiryIsAnswered() throws Exception {
        assertThat(post(envelope(KEY, KEY.principal(), false)).statusCode()).isEqualTo(200);
    }

    @Test
    void aReadStateWhoseSignatureDoesNotVerifyIsRefused() throws Exception {
        HttpResponse<String> r = post(envelope(KEY, KEY.principal(), true));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("invalid signature: sender_sig does not verify");
    }

    @Test
    void aReadStateWhoseSenderIsNotTheKeysPrincipalIsRefused() throws Exception {
        Principal other = new Ed25519Identity(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
            21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}).principal();
        HttpResponse<String> r = post(envelope(KEY, other, false));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("invalid signature: sender " + other + " is not the principal of sender_pubkey");
    }
}
