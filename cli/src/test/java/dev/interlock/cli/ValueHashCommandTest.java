package dev.interlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.interlock.ic.Value;
import dev.interlock.ic.ValueHash;

/** value-hash against the ICRC-3 standard's published vectors (the same as ValueHashTest's), written in Candid text. */
class ValueHashCommandTest {
    static final String NAT_42 = "684888c0ebb17f374298b65ee2807526c066094c701bcc7ebbe1c1095f494fc1";
    static final String INT_MINUS_42 = "de5a6f78116eca62d7fc5ce159d23ae6b889b365a1739ad2cf36f925a140d0cc";
    static final String TEXT_HELLO = "dffd6021bb2bd5b0af676290809ec3a53191dd81c7f70a4b28688a362182986f";
    static final String BLOB_01020304 = "9f64a747e1b97f131fabb6b447296c9b6f0201e79fb3c5356e6c77e89b6a806a";
    static final String ARRAY = "514a04011caa503990d446b7dec5d79e19c221ae607fb08b2848c67734d468d6";
    static final String MAP = "c56ece650e1de4269c5bdeff7875949e3e2033f85b2d193c2ff4f7f78bdcfc75";

    @TempDir
    Path dir;

    private CliRun valueHash(String candidText) throws IOException {
        Path f = dir.resolve("values.did");
        Files.writeString(f, candidText);
        return CliRun.of("value-hash", f.toString());
    }

    @Test
    void theStandardsTestVectorsWrittenAsCandidTextHashToThePublishedValues() throws IOException {
        CliRun r = valueHash("""
                // the vectors of ICRC-3's HASHINGVALUES.md
                variant { Nat = 42 : nat }

                variant { Int = -42 : int }

                variant { Text = "Hello, World!" }

                variant { Blob = blob "\\01\\02\\03\\04" }

                variant {
                  Array = vec {
                    variant { Nat = 3 : nat };
                    variant { Text = "foo" };
                    variant { Blob = blob "\\05\\06" };
                  }
                }

                variant {
                  Map = vec {
                    record { "from"; variant { Blob = blob "\\00\\ab\\cd\\ef\\00\\12\\34\\00\\56\\78\\9a\\00\\bc\\de\\f0\\00\\01\\23\\45\\67\\89\\00\\ab\\cd\\ef\\01" } };
                    record { "to"; variant { Blob = blob "\\00\\ab\\0d\\ef\\00\\12\\34\\00\\56\\78\\9a\\00\\bc\\de\\f0\\00\\01\\23\\45\\67\\89\\00\\ab\\cd\\ef\\01" } };
                    record { "amount"; variant { Nat = 42 : nat } };
                    record { "created_at"; variant { Nat = 1_699_218_263 : nat } };
                    record { "memo"; variant { Nat = 0 : nat } };
                  }
                }
                """);

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.lines()).containsExactly(NAT_42, INT_MINUS_42, TEXT_HELLO, BLOB_01020304, ARRAY, MAP);
    }

    @Test
    void everyNumberFormAndTheOlderLedgersVariantsGiveTheSameHashAsTheStandardForm() throws IOException {
        CliRun r = valueHash("""
                variant { Nat = 42 }
                variant { Nat = 0x2a }
                variant { Nat = 4_2 : nat }
                variant { Nat = 42 : nat64 }
                variant { Nat64 = 42 : nat64 }
                (variant { Nat64 = 42 })
                variant { Int = -42 }
                variant { Int = -0x2a : int64 }
                variant { Nat = 10_000 }
                """);

        assertThat(r.exit()).isZero();
        assertThat(r.lines()).containsExactly(NAT_42, NAT_42, NAT_42, NAT_42, NAT_42, NAT_42, INT_MINUS_42, INT_MINUS_42,
                HexFormat.of().formatHex(ValueHash.hash(Value.nat(10_000))));
    }

    @Test
    void blobsAsVecOfBytesTextEscapesAndNumberedMapFieldsAreTheSameValues() throws IOException {
        CliRun r = valueHash("""
                variant { Blob = vec { 1; 2; 3; 4 : nat8 } }
                variant { Text = "Hello,\\20World\\u{21}" }
                variant { Array = vec { variant { Nat = 3 }; variant { Text = "f\\6f\\u{6F}" }; variant { Blob = vec { 5; 6 } } } }
                variant { Map = vec { record { 0 = "amount"; 1 = variant { Nat = 42 } } } }
                """);

        assertThat(r.exit()).isZero();
        assertThat(r.lines()).containsExactly(BLOB_01020304, TEXT_HELLO, ARRAY,
                HexFormat.of().formatHex(ValueHash.hash(Value.map().put("amount", Value.nat(42)).build())));
    }

    @Test
    void aParseErrorNamesFileLineAndColumnAndExitsWithTwoWithoutAStackTrace() throws IOException {
        CliRun r = valueHash("""
                variant { Nat = 1 }

                variant { Map = vec {
                  record { "a"; variant { Nat = 1 } }
                  record { "b"; variant { Nat = 2 } }
                } }
                """);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo("value-hash: " + dir.resolve("values.did")
                + ":5:3: expected ';' or '}' after a vec element, found 'record'");
    }

    @Test
    void aCandidValueThatIsNoIcrc3ValueIsAnErrorPlacedWhereItIs() throws IOException {
        assertThat(valueHash("variant { Nat = -5 }").err().strip()).endsWith(
                "values.did:1:17: expected a natural number for Nat, found -5");
        assertThat(valueHash("variant { Nat32 = 5 }").err().strip()).endsWith(
                "values.did:1:1: expected an ICRC-3 Value alternative (Blob, Text, Nat, Nat64, Int, Array or Map), found Nat32");
        assertThat(valueHash("variant { Nat64 = 18_446_744_073_709_551_616 }").err().strip()).endsWith(
                "values.did:1:19: Nat64 holds at most 64 bits, found 18446744073709551616");
        assertThat(valueHash("variant { Blob = vec { 1; 256 } }").err().strip()).endsWith(
                "values.did:1:27: expected a byte (0..255) of a Blob, found 256");
        CliRun r = valueHash("record { a = 1 }");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void withoutAFileOrWithADashItReadsStandardInput() {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream("variant { Nat = 42 }".getBytes(StandardCharsets.UTF_8)));
            assertThat(CliRun.of("value-hash").lines()).containsExactly(NAT_42);
            System.setIn(new ByteArrayInputStream("(variant { Int = -42 : int })".getBytes(StandardCharsets.UTF_8)));
            assertThat(CliRun.of("value-hash", "-").lines()).containsExactly(INT_MINUS_42);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void aMissingFileOrEmptyInputExitsWithTwo() throws IOException {
        CliRun missing = CliRun.of("value-hash", dir.resolve("nope.did").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).startsWith("value-hash: cannot read ");

        CliRun empty = valueHash("// nothing here\n");
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err()).endsWith("values.did: no value in the input\n");
    }
}
