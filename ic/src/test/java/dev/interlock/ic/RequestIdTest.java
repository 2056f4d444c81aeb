package dev.interlock.ic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The request-id examples of the IC interface specification. */
class RequestIdTest {
    private static final byte[] CANISTER = HexFormat.of().parseHex("00000000000004d2");
    private static final byte[] ARG = {'D', 'I', 'D', 'L', 0x00, (byte) 0xfd, '*'};

    @Test
    void theSpecificationsCurrentExampleHashesAsPublished() {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("request_type", "call");
        content.put("sender", new byte[] {0x04});
        content.put("ingress_expiry", 1_685_570_400_000_000_000L);
        content.put("canister_id", CANISTER);
        content.put("method_name", "hello");
        content.put("arg", ARG);

        assertThat(HexFormat.of().formatHex(RequestId.of(content)))
                .isEqualTo("1d1091364d6bb8a6c16b203ee75467d59ead468f523eb058880ae8ec80e2b101");
    }

    @Test
    void theSpecificationsEarlierExampleWithoutSenderAndExpiryHashesAsPublished() {
        assertThat(HexFormat.of().formatHex(RequestId.of(Map.of("request_type", "call", "canister_id", CANISTER,
                "method_name", "hello", "arg", ARG))))
                .isEqualTo("8781291c347db32a9d8c10eb62b710fce5a93be676474c42babc74c51858f94b");
    }

    @Test
    void theOrderOfFieldsDoesNotMatterAndPathsHashAsArraysOfBlobs() {
        Map<String, Object> a = Map.of("request_type", "read_state", "paths",
                List.of(List.of("time".getBytes())), "sender", new byte[] {4}, "ingress_expiry", 5L);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("ingress_expiry", 5L);
        b.put("sender", new byte[] {4});
        b.put("paths", List.of(List.of("time".getBytes())));
        b.put("request_type", "read_state");
        assertThat(RequestId.of(a)).isEqualTo(RequestId.of(b));
        assertThat(RequestId.signedBytes(new byte[] {1, 2})).startsWith(0x0a, 'i', 'c', '-').endsWith(1, 2);
        assertThatThrownBy(() -> RequestId.of(Map.of("x", 1.5))).hasMessageContaining("cannot hash a Double");
    }
}
