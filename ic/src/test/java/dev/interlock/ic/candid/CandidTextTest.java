package dev.interlock.ic.candid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.interlock.ic.Principal;

class CandidTextTest {
    private static CandidValue one(String text) {
        return CandidText.parseValue(text);
    }

    private static BigInteger big(String text) {
        return ((CandidValue.Big) one(text)).value();
    }

    @Test
    void integersReadInEveryNumberFormCandidTextAllows() {
        assertThat(big("42")).isEqualTo(42);
        assertThat(big("10_000")).isEqualTo(10_000);
        assertThat(big("0x2a")).isEqualTo(42);
        assertThat(big("0xFF_FF")).isEqualTo(65_535);
        assertThat(big("-7")).isEqualTo(-7);
        assertThat(big("+7")).isEqualTo(7);
        assertThat(big("42 : nat")).isEqualTo(42);
        assertThat(big("-42 : int")).isEqualTo(-42);
        assertThat(big("340_282_366_920_938_463_463_374_607_431_768_211_456"))
                .isEqualTo(BigInteger.ONE.shiftLeft(128));
    }

    @Test
    void aFixedWidthAnnotationGivesTheExactWidthAndIsRangeChecked() {
        assertThat(one("18_446_744_073_709_551_615 : nat64"))
                .isEqualTo(new CandidValue.Fixed(CandidType.Prim.NAT64, -1L));
        assertThat(((CandidValue.Fixed) one("18_446_744_073_709_551_615 : nat64")).unsigned())
                .isEqualTo(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
        assertThat(one("255 : nat8")).isEqualTo(new CandidValue.Fixed(CandidType.Prim.NAT8, 255));
        assertThat(one("-128 : int8")).isEqualTo(new CandidValue.Fixed(CandidType.Prim.INT8, -128));
        assertThat(one("(5 : nat32)")).isEqualTo(new CandidValue.Fixed(CandidType.Prim.NAT32, 5));

        assertThatThrownBy(() -> one("256 : nat8")).hasMessage("1:1: 256 is out of range for nat8 (0..255)");
        assertThatThrownBy(() -> one("-1 : nat")).hasMessage("1:1: -1 is not a nat (nats are not negative)");
        assertThatThrownBy(() -> one("\"x\" : nat")).hasMessage("1:7: expected a type that fits a text, found 'nat'");
    }

    @Test
    void floatsBoolsNullAndTextAnnotationsRead() {
        assertThat(one("1.5")).isEqualTo(new CandidValue.Float(1.5));
        assertThat(one("-2.5e3 : float64")).isEqualTo(new CandidValue.Float(-2500));
        assertThat(one("3 : float32")).isEqualTo(new CandidValue.Float(3));
        assertThat(one("true")).isEqualTo(new CandidValue.Bool(true));
        assertThat(one("false : bool")).isEqualTo(new CandidValue.Bool(false));
        assertThat(one("null")).isEqualTo(new CandidValue.Null());
        assertThat(one("\"a\" : text")).isEqualTo(new CandidValue.Text("a"));
    }

    @Test
    void textEscapesGiveTheirCharactersAndBytes() {
        assertThat(one("\"line\\nnext \\\"q\\\" back\\\\slash \\'\\t\\r\""))
                .isEqualTo(new CandidValue.Text("line\nnext \"q\" back\\slash '\t\r"));
        assertThat(one("\"\\u{1F600} \\u{e9}\"")).isEqualTo(new CandidValue.Text("\uD83D\uDE00 \u00e9"));
        assertThat(one("\"caf\\c3\\a9\"")).isEqualTo(new CandidValue.Text("caf\u00e9"));
        assertThat(one("\"日本\"")).isEqualTo(new CandidValue.Text("日本"));
    }

    @Test
    void aBlobTakesAnyBytesButATextMustBeUtf8() {
        assertThat(one("blob \"\\de\\ad\\be\\efA\"")).isEqualTo(new CandidValue.Blob(new byte[] {(byte) 0xde, (byte) 0xad,
                (byte) 0xbe, (byte) 0xef, 'A'}));
        assertThat(one("blob \"\"")).isEqualTo(new CandidValue.Blob(new byte[0]));
        assertThatThrownBy(() -> one("\"\\ff\"")).hasMessageStartingWith("1:1: text is not UTF-8");
        assertThatThrownBy(() -> one("\"\\q\"")).hasMessageStartingWith("1:3: expected an escape");
        assertThatThrownBy(() -> one("\"\\u{D800}\"")).hasMessage(
                "1:4: expected a Unicode scalar value in \\u{…}, found 'D800'");
        assertThatThrownBy(() -> one("\"open")).hasMessage("1:1: expected a closing '\"' for this text, found end of input");
    }

    @Test
    void recordFieldsAreKeyedByTheHashOfTheirNameOrTheirNumberAndUnnamedOnesCountOn() {
        CandidValue.Record r = (CandidValue.Record) one("record { log_length = 3 : nat; \"quoted\" = \"q\"; 7 = true }");
        assertThat(r.get("log_length")).isEqualTo(new CandidValue.Big(BigInteger.valueOf(3)));
        assertThat(r.get("quoted")).isEqualTo(new CandidValue.Text("q"));
        assertThat(r.fields().get(7L)).isEqualTo(new CandidValue.Bool(true));

        CandidValue.Record tuple = (CandidValue.Record) one("record { \"amt\"; variant { Nat = 42 : nat }; }");
        assertThat(tuple.fields().keySet()).containsExactly(0L, 1L);
        assertThat(tuple.fields().get(0L)).isEqualTo(new CandidValue.Text("amt"));
        assertThat(tuple.fields().get(1L)).isEqualTo(new CandidValue.Variant(CandidType.idOf("Nat"),
                new CandidValue.Big(BigInteger.valueOf(42))));

        CandidValue.Record afterNumbered = (CandidValue.Record) one("record { 5 = 1; 2; 1.5 }");
        assertThat(afterNumbered.fields().keySet()).containsExactly(5L, 6L, 7L);
        assertThat(afterNumbered.fields().get(7L)).isEqualTo(new CandidValue.Float(1.5));
    }

    @Test
    void aFieldWrittenTwiceIsAnErrorNamingIt() {
        assertThatThrownBy(() -> one("record {\n  a = 1;\n  a = 2\n}")).hasMessage("3:3: field a appears twice in the record");
    }

    @Test
    void variantsOptsVecsAndReferencesRead() {
        assertThat(one("variant { Ok }")).isEqualTo(new CandidValue.Variant(CandidType.idOf("Ok"), new CandidValue.Null()));
        assertThat(one("variant { Err = \"no\"; }")).isEqualTo(new CandidValue.Variant(CandidType.idOf("Err"),
                new CandidValue.Text("no")));
        assertThat(one("variant { 3 = null }")).isEqualTo(new CandidValue.Variant(3, new CandidValue.Null()));
        assertThat(one("opt opt 5 : nat8")).isEqualTo(new CandidValue.Opt(new CandidValue.Opt(
                new CandidValue.Fixed(CandidType.Prim.NAT8, 5))));
        assertThat(one("vec { 1; 2; }")).isEqualTo(new CandidValue.Vec(List.of(new CandidValue.Big(BigInteger.ONE),
                new CandidValue.Big(BigInteger.TWO))));
        assertThat(one("vec {}")).isEqualTo(new CandidValue.Vec(List.of()));
        assertThat(one("principal \"aaaaa-aa\"")).isEqualTo(new CandidValue.Principal(new byte[0]));
        String ledger = Principal.canister(2).toString();
        CandidValue.Func f = (CandidValue.Func) one("func \"" + ledger + "\".icrc3_get_blocks");
        assertThat(f.canister()).isEqualTo(Principal.canister(2).bytes());
        assertThat(f.method()).isEqualTo("icrc3_get_blocks");
        assertThatThrownBy(() -> one("principal \"not a principal\"")).hasMessageStartingWith(
                "1:11: expected a principal in its text form");
        assertThatThrownBy(() -> one("variant { A = 1; B = 2 }")).hasMessage(
                "1:18: expected '}' (a variant has exactly one alternative), found 'B'");
    }

    @Test
    void aDocumentIsASequenceOfValuesAndTuplesWithCommentsBetween() {
        CandidText.Document d = CandidText.parse("""
                // first
                (variant { Nat = 1 : nat })

                /* second and third */ (2, "three",)
                4 // trailing
                ()
                """);
        assertThat(d.values()).containsExactly(new CandidValue.Variant(CandidType.idOf("Nat"), new CandidValue.Big(BigInteger.ONE)),
                new CandidValue.Big(BigInteger.TWO), new CandidValue.Text("three"), new CandidValue.Big(BigInteger.valueOf(4)));
        assertThat(d.positionOf(d.values().get(1))).isEqualTo(new CandidText.Position(4, 25));
        assertThat(d.nameOf(CandidType.idOf("Nat"))).isEqualTo("Nat");
        assertThat(d.nameOf(99)).isEqualTo("#99");
    }

    @Test
    void positionsOfNestedValuesAreKeptForLaterChecks() {
        CandidText.Document d = CandidText.parse("record {\n  amt = variant { Nat = -5 }\n}");
        CandidValue.Variant amt = (CandidValue.Variant) ((CandidValue.Record) d.values().get(0)).get("amt");
        assertThat(d.positionOf(amt)).isEqualTo(new CandidText.Position(2, 9));
        assertThat(d.errorAt(amt.value(), "Nat must not be negative")).hasMessage("2:25: Nat must not be negative");
    }

    @Test
    void syntaxErrorsNameLineColumnWhatWasExpectedAndWhatWasFound() {
        String missingSemicolon = "variant {\n  Map = vec {\n    record { \"a\"; variant { Nat = 1 } }\n    record";
        assertThatThrownBy(() -> CandidText.parse(missingSemicolon)).isInstanceOf(CandidText.ParseException.class)
                .hasMessage("4:5: expected ';' or '}' after a vec element, found 'record'");
        assertThatThrownBy(() -> CandidText.parse("vec { 1; 2")).hasMessage(
                "1:11: expected ';' or '}' after a vec element, found end of input");
        assertThatThrownBy(() -> CandidText.parse("variant { Nat = 12abc }")).hasMessage(
                "1:19: expected the end of the number, found 'abc'");
        assertThatThrownBy(() -> CandidText.parse("varient { Nat = 1 }")).hasMessage("1:1: expected a value, found 'varient'");
        assertThatThrownBy(() -> CandidText.parse("1 : vec nat8")).hasMessageStartingWith(
                "1:5: expected a primitive type name");
        assertThatThrownBy(() -> CandidText.parse("1_")).hasMessage("1:2: expected the end of the number, found '_'");
        assertThatThrownBy(() -> CandidText.parse("/* open")).hasMessage("1:1: expected '*/' closing this comment, found end of input");

        CandidText.ParseException e = org.junit.jupiter.api.Assertions.assertThrows(CandidText.ParseException.class,
                () -> CandidText.parse("\n\n   @"));
        assertThat(e.position()).isEqualTo(new CandidText.Position(3, 4));
        assertThat(e.detail()).isEqualTo("expected a value, found '@'");
    }

    @Test
    void nestingDeeperThanTheLimitIsRefusedWithoutExhaustingTheStack() {
        String deep = "opt ".repeat(100_000) + "null";
        assertThatThrownBy(() -> CandidText.parse(deep)).hasMessage("1:513: value nested deeper than 128 levels");
        assertThat(CandidText.parse("opt ".repeat(10) + "null", 10).values()).hasSize(1);
        assertThatThrownBy(() -> CandidText.parse("vec { ".repeat(5) + "}".repeat(5), 4)).hasMessage(
                "1:25: value nested deeper than 4 levels");
    }

    @Test
    void overlongNumbersAreRefused() {
        assertThatThrownBy(() -> CandidText.parse("1".repeat(5000))).hasMessageStartingWith("1:4098: expected a shorter number");
    }

    @Test
    void textOfNonAsciiCharactersKeepsItsUtf8Bytes() {
        CandidValue.Blob b = (CandidValue.Blob) one("blob \"é\"");
        assertThat(b.bytes()).isEqualTo("é".getBytes(StandardCharsets.UTF_8));
    }
}
