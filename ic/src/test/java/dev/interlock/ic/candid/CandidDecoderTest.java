package dev.interlock.ic.candid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Vectors from the Candid specification's test suite (test/prim.test.did), plus constructed types. */
class CandidDecoderTest {
    /** The test suite's blob notation: {@code \xx} hex escapes, other characters as themselves. */
    static byte[] blob(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static CandidValue only(String blob) {
        CandidDecoder.Message m = CandidDecoder.decode(blob(blob));
        assertThat(m.values()).hasSize(1);
        return m.values().get(0);
    }

    @ParameterizedTest(name = "{0} decodes to {1}")
    @CsvSource(delimiter = '|', value = {
        "DIDL\\00\\01\\7d\\00|0",
        "DIDL\\00\\01\\7d\\7f|127",
        "DIDL\\00\\01\\7d\\80\\01|128",
        "DIDL\\00\\01\\7d\\ff\\7f|16383",
        "DIDL\\00\\01\\7d\\80\\00|0",
        "DIDL\\00\\01\\7d\\ff\\00|127",
        "DIDL\\00\\01\\7d\\80\\80\\98\\f4\\e9\\b5\\ca\\6a|60000000000000000",
        "DIDL\\00\\01\\7c\\7f|-1",
        "DIDL\\00\\01\\7c\\40|-64",
        "DIDL\\00\\01\\7c\\ff\\00|127",
        "DIDL\\00\\01\\7c\\80\\7f|-128",
        "DIDL\\00\\01\\7c\\80\\80\\98\\f4\\e9\\b5\\ca\\ea\\00|60000000000000000",
        "DIDL\\00\\01\\7c\\80\\80\\e8\\8b\\96\\ca\\b5\\95\\7f|-60000000000000000"})
    void natAndIntFollowTheSpecificationsLeb128Vectors(String blob, String expected) {
        assertThat(((CandidValue.Big) only(blob)).value()).isEqualTo(new BigInteger(expected));
    }

    @ParameterizedTest(name = "{0} decodes to {1}")
    @CsvSource(delimiter = '|', value = {
        "DIDL\\00\\01\\7b\\ff|255",
        "DIDL\\00\\01\\7a\\00\\01|256",
        "DIDL\\00\\01\\79\\ff\\ff\\ff\\ff|4294967295",
        "DIDL\\00\\01\\78\\ff\\ff\\ff\\ff\\ff\\ff\\ff\\ff|18446744073709551615",
        "DIDL\\00\\01\\77\\ff|-1",
        "DIDL\\00\\01\\76\\ff\\ff|-1",
        "DIDL\\00\\01\\75\\ff\\ff\\ff\\ff|-1",
        "DIDL\\00\\01\\74\\ff\\ff\\ff\\ff\\00\\00\\00\\00|4294967295"})
    void fixedWidthNumbersAreLittleEndian(String blob, String expected) {
        assertThat(((CandidValue.Fixed) only(blob)).unsigned()).isEqualTo(new BigInteger(expected));
    }

    @Test
    void textBoolNullFloatAndReservedDecodeAsTheSpecificationSays() {
        assertThat(only("DIDL\\00\\01\\71\\06Motoko")).isEqualTo(new CandidValue.Text("Motoko"));
        assertThat(only("DIDL\\00\\01\\71\\86\\00Motoko")).isEqualTo(new CandidValue.Text("Motoko"));
        assertThat(only("DIDL\\00\\01\\71\\03\\e2\\98\\83")).isEqualTo(new CandidValue.Text("☃"));
        assertThat(only("DIDL\\00\\01\\7e\\01")).isEqualTo(new CandidValue.Bool(true));
        assertThat(only("DIDL\\00\\01\\7f")).isEqualTo(new CandidValue.Null());
        assertThat(only("DIDL\\00\\01\\72\\00\\00\\00\\00\\00\\00\\e0\\bf")).isEqualTo(new CandidValue.Float(-0.5));
        assertThat(only("DIDL\\00\\01\\73\\00\\00\\40\\40")).isEqualTo(new CandidValue.Float(3.0));
        assertThat(only("DIDL\\00\\01\\70")).isEqualTo(new CandidValue.Reserved());
        assertThat(only("DIDL\\01\\6e\\6f\\01\\00\\00")).isEqualTo(new CandidValue.Opt(null));
        assertThat(CandidDecoder.decode(blob("DIDL\\80\\00\\00")).values()).isEmpty();
        assertThat(CandidDecoder.decode(blob("DIDL\\00\\0a\\7f\\7e\\7d\\7c\\7f\\70\\7f\\7b\\7a\\79\\01\\2a\\2a\\2a\\2a\\00\\2a\\00\\00\\00"))
                .values()).hasSize(10);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "\\00\\00|no magic bytes",
        "DADL\\00\\00|wrong magic bytes",
        "DIDL\\00\\00\\00|nullary: too long",
        "DIDL\\00\\01\\6e|not a primitive type",
        "DIDL\\00\\01\\5e|out of range type",
        "DIDL\\00\\01\\7f\\00|null: too long",
        "DIDL\\00\\01\\7e\\02|bool: out of range",
        "DIDL\\00\\01\\7d\\80|nat: leb too short",
        "DIDL\\00\\01\\7b\\00\\00|nat8: too long",
        "DIDL\\00\\01\\79\\00\\00\\00|nat32: too short",
        "DIDL\\00\\01\\71\\07Motoko|text: too short",
        "DIDL\\00\\01\\71\\03\\e2\\28\\a1|text: invalid utf8",
        "DIDL\\00\\01\\6f|cannot decode empty type"})
    void malformedMessagesAreRejectedWithTheOffset(String blob, String why) {
        assertThatThrownBy(() -> CandidDecoder.decode(blob(blob))).as(why).isInstanceOf(CandidException.class)
                .hasMessageStartingWith("Candid, at byte ");
    }

    @Test
    void fieldIdsAreTheIdlHashOfTheirNames() {
        assertThat(CandidType.idOf("a")).isEqualTo(97);
        assertThat(CandidType.idOf("start")).isEqualTo(CandidType.idOf("start"));
        assertThat(CandidType.idOf("Ok")).isEqualTo(17_724);
        assertThat(CandidType.idOf("Err")).isEqualTo(3_456_837);
    }

    @Test
    void recordsVariantsOptsVectorsAndPrincipalsRoundTripThroughTheEncoder() {
        long start = CandidType.idOf("start");
        long length = CandidType.idOf("length");
        CandidType range = new CandidType.Record(List.of(new CandidType.Field(Math.min(start, length),
                CandidType.NAT), new CandidType.Field(Math.max(start, length), CandidType.NAT)));
        CandidType args = new CandidType.Vec(range);
        CandidValue value = new CandidValue.Vec(List.of(new CandidValue.Record(Map.of(start,
                new CandidValue.Big(BigInteger.valueOf(100)), length, new CandidValue.Big(BigInteger.valueOf(50))))));
        long ok = CandidType.idOf("Ok");
        long err = CandidType.idOf("Err");
        CandidType result = new CandidType.Variant(List.of(new CandidType.Field(ok, CandidType.NAT),
                new CandidType.Field(err, CandidType.TEXT)));
        CandidType owner = new CandidType.Opt(CandidType.PRINCIPAL);

        byte[] bytes = CandidEncoder.encode(List.of(args, result, owner), List.of(value,
                new CandidValue.Variant(err, new CandidValue.Text("InsufficientFunds")),
                new CandidValue.Opt(new CandidValue.Principal(new byte[] {0, 0, 0, 0, 0, 0, 0, 2, 1, 1}))));
        CandidDecoder.Message m = CandidDecoder.decode(bytes);

        CandidValue.Record r = (CandidValue.Record) ((CandidValue.Vec) m.values().get(0)).items().get(0);
        assertThat(r.get("start")).isEqualTo(new CandidValue.Big(BigInteger.valueOf(100)));
        assertThat(r.get("length")).isEqualTo(new CandidValue.Big(BigInteger.valueOf(50)));
        CandidValue.Variant v = (CandidValue.Variant) m.values().get(1);
        assertThat(v.is("Err")).isTrue();
        assertThat(v.value()).isEqualTo(new CandidValue.Text("InsufficientFunds"));
        assertThat(((CandidValue.Opt) m.values().get(2)).value())
                .isEqualTo(new CandidValue.Principal(new byte[] {0, 0, 0, 0, 0, 0, 0, 2, 1, 1}));
    }

    @Test
    void aRecursiveTypeDecodesToTheDepthOfItsValue() {
        // type 0 = opt 0: nested options, three deep, then none.
        CandidValue v = only("DIDL\\01\\6e\\00\\01\\00\\01\\01\\01\\00");
        int depth = 0;
        while (v instanceof CandidValue.Opt o && o.value() != null) {
            depth++;
            v = o.value();
        }
        assertThat(depth).isEqualTo(3);
    }

    @Test
    void hostileInputHitsALimitInsteadOfExhaustingMemoryOrTime() {
        // vec null of 2^62 elements: no bytes bound it, the work quota does.
        assertThatThrownBy(() -> CandidDecoder.decode(blob("DIDL\\01\\6d\\7f\\01\\00\\80\\80\\80\\80\\80\\80\\80\\80\\40")))
                .hasMessageContaining("work exceeds the limit");
        // opt opt opt ... nested deeper than allowed
        ByteArrayOutputStream deep = new ByteArrayOutputStream();
        deep.writeBytes("DIDL\u0001\u006e\u0000\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 1_000; i++) {
            deep.write(1);
        }
        deep.write(0);
        assertThatThrownBy(() -> CandidDecoder.decode(deep.toByteArray())).hasMessageContaining("nesting deeper");
        // a declared text length beyond the message
        assertThatThrownBy(() -> CandidDecoder.decode(blob("DIDL\\00\\01\\71\\ff\\ff\\ff\\ff\\0f")))
                .hasMessageContaining("exceeds the message");
        // a huge nat
        StringBuilder big = new StringBuilder("DIDL\\00\\01\\7d");
        for (int i = 0; i < 200; i++) {
            big.append("\\ff");
        }
        big.append("\\01");
        assertThatThrownBy(() -> CandidDecoder.decode(blob(big.toString()))).hasMessageContaining("integer longer");
    }
}
