package dev.interlock.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class JsonTest {
    private static final CallEvent TRANSFER_CALL = CallEvent.call("e3", "rrkah-fqaaa-aaaaa-aaaaq-cai", 2, 1_000L,
            "ctx-1", "call-1", "mxzaz-hqaaa-aaaar-qaada-cai", "icrc1_transfer",
            new Transfer("acct", new BigInteger("123456789012345678901234567890"), "0a0b", 999L));

    @Test
    void callEventSurvivesARoundTripUnchanged() {
        assertThat(Json.decode(Json.encode(TRANSFER_CALL), CallEvent.class)).isEqualTo(TRANSFER_CALL);
    }

    @Test
    void amountsAreWrittenAsStringsSoNoReaderRoundsThem() {
        String json = new String(Json.encode(TRANSFER_CALL), StandardCharsets.UTF_8);
        assertThat(json).contains("\"amount\":\"123456789012345678901234567890\"");
        assertThat(json).doesNotContain("null");
    }

    @Test
    void unknownFieldsFromNewerProducersAreIgnored() {
        String json = "{\"id\":\"e1\",\"canister\":\"c\",\"seq\":0,\"timeNanos\":5,\"kind\":\"CONTEXT_CLOSE\","
                + "\"context\":\"k\",\"addedLater\":{\"x\":1}}";
        CallEvent e = Json.decode(json.getBytes(StandardCharsets.UTF_8), CallEvent.class);
        assertThat(e.kind()).isEqualTo(CallEventKind.CONTEXT_CLOSE);
        assertThat(e.problems()).isEmpty();
    }

    @Test
    void malformedJsonIsReportedWithTheTargetTypeAndTheParserMessage() {
        assertThatThrownBy(() -> Json.decode("{\"id\": ".getBytes(StandardCharsets.UTF_8), CallEvent.class))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageStartingWith("not a valid CallEvent JSON: ");
        assertThatThrownBy(() -> Json.decode(null, CallEvent.class))
                .isInstanceOf(MalformedRecordException.class).hasMessage("empty record (null value)");
    }

    @Test
    void problemsNameEveryMissingFieldForTheKind() {
        CallEvent callback = new CallEvent("e9", "c", 0, 5, CallEventKind.CALLBACK, "k", null, null, null, null, null,
                null, CallOutcome.reject(9, "x"), false, null, null);
        assertThat(callback.problems()).containsExactly("call is missing",
                "outcome.rejectCode must be an IC reject code 1..6");
    }
}
