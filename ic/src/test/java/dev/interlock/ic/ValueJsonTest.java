package dev.interlock.ic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class ValueJsonTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void everyVariantSurvivesARoundTripWithOrderAndBigNumbersIntact() throws Exception {
        Value v = Value.map().put("z", Value.nat(new BigInteger("340282366920938463463374607431768211456")))
                .put("a", Value.array(Value.blob(new byte[] {0, (byte) 0xff}), Value.text("é \"q\"\n"),
                        Value.integer(-7)))
                .build();
        String json = ValueJson.write(v);
        assertThat(json).startsWith("{\"Map\":[[\"z\",{\"Nat\":\"340282366920938463463374607431768211456\"}]");
        assertThat(ValueJson.read(mapper.readTree(json))).isEqualTo(v);
    }

    @Test
    void aMalformedValueNamesThePathOfTheBadNode() throws Exception {
        assertThatThrownBy(() -> ValueJson.read(mapper.readTree("{\"Map\":[[\"tx\",{\"Nat\":\"x1\"}]]}")))
                .hasMessage("$.tx: Nat is not an integer: \"x1\"");
        assertThatThrownBy(() -> ValueJson.read(mapper.readTree("{\"Float\":1.5}")))
                .hasMessage("$: unknown Value variant 'Float'");
    }
}
