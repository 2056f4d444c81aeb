package dev.interlock.ic;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The test vectors published with the ICRC-3 standard (standards/ICRC-3/HASHINGVALUES.md). */
class ValueHashTest {
    private static String hex(Value v) {
        return HexFormat.of().formatHex(ValueHash.hash(v));
    }

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    @Test
    void natFortyTwoMatchesTheStandardsVector() {
        assertThat(hex(Value.nat(42))).isEqualTo("684888c0ebb17f374298b65ee2807526c066094c701bcc7ebbe1c1095f494fc1");
    }

    @Test
    void negativeIntMatchesTheStandardsVector() {
        assertThat(hex(Value.integer(-42))).isEqualTo("de5a6f78116eca62d7fc5ce159d23ae6b889b365a1739ad2cf36f925a140d0cc");
    }

    @Test
    void textMatchesTheStandardsVector() {
        assertThat(hex(Value.text("Hello, World!")))
                .isEqualTo("dffd6021bb2bd5b0af676290809ec3a53191dd81c7f70a4b28688a362182986f");
    }

    @Test
    void blobMatchesTheStandardsVector() {
        assertThat(hex(Value.blob(bytes("01020304"))))
                .isEqualTo("9f64a747e1b97f131fabb6b447296c9b6f0201e79fb3c5356e6c77e89b6a806a");
    }

    @Test
    void arrayMatchesTheStandardsVector() {
        assertThat(hex(Value.array(Value.nat(3), Value.text("foo"), Value.blob(bytes("0506")))))
                .isEqualTo("514a04011caa503990d446b7dec5d79e19c221ae607fb08b2848c67734d468d6");
    }

    @Test
    void mapMatchesTheStandardsVectorWhateverTheEntryOrder() {
        Value from = Value.blob(bytes("00abcdef0012340056789a00bcdef000012345678900abcdef01"));
        Value to = Value.blob(bytes("00ab0def0012340056789a00bcdef000012345678900abcdef01"));
        Value map = Value.map().put("from", from).put("to", to).put("amount", Value.nat(42))
                .put("created_at", Value.nat(1699218263)).put("memo", Value.nat(0)).build();
        Value reordered = Value.map().put("memo", Value.nat(0)).put("amount", Value.nat(42)).put("to", to)
                .put("created_at", Value.nat(1699218263)).put("from", from).build();

        assertThat(hex(map)).isEqualTo("c56ece650e1de4269c5bdeff7875949e3e2033f85b2d193c2ff4f7f78bdcfc75");
        assertThat(hex(reordered)).isEqualTo(hex(map));
    }

    @Test
    void nonNegativeIntsDifferBetweenTheStandardAndTheRustLedgerReadingOnlyWhereSlebAndLebDiffer() {
        assertThat(ValueHash.hash(Value.integer(5))).isEqualTo(ValueHash.hashRustLedgerStyle(Value.integer(5)));
        assertThat(Leb128.signed(BigInteger.valueOf(64))).containsExactly(0xc0, 0x00);
        assertThat(Leb128.unsigned(BigInteger.valueOf(64))).containsExactly(0x40);
        assertThat(ValueHash.hash(Value.integer(64))).isNotEqualTo(ValueHash.hashRustLedgerStyle(Value.integer(64)));
    }

    @Test
    void leb128EncodesTheSpecificationsExamples() {
        assertThat(Leb128.unsigned(BigInteger.valueOf(624485))).containsExactly(0xe5, 0x8e, 0x26);
        assertThat(Leb128.signed(BigInteger.valueOf(-123456))).containsExactly(0xc0, 0xbb, 0x78);
        assertThat(Leb128.unsigned(BigInteger.ZERO)).containsExactly(0x00);
    }
}
