package dev.interlock.ic.candid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CandidCoercionTest {
    private static final long A = CandidType.idOf("a");
    private static final long B = CandidType.idOf("b");
    private static final long C = CandidType.idOf("c");

    private static CandidDecoder.Message message(CandidType t, CandidValue v) {
        return CandidDecoder.decode(CandidEncoder.encode(List.of(t), List.of(v)));
    }

    private static CandidValue nat(long n) {
        return new CandidValue.Big(BigInteger.valueOf(n));
    }

    @Test
    void extraRecordFieldsAreIgnoredAndMissingOptionalOnesReadAsNull() {
        CandidType wire = new CandidType.Record(List.of(new CandidType.Field(A, CandidType.NAT),
                new CandidType.Field(B, CandidType.TEXT)));
        CandidType expected = new CandidType.Record(List.of(new CandidType.Field(A, CandidType.INT),
                new CandidType.Field(C, new CandidType.Opt(CandidType.NAT))));
        CandidValue v = CandidCoercion.read(message(wire, new CandidValue.Record(Map.of(A, nat(5), B,
                new CandidValue.Text("x")))), List.of(expected)).get(0);

        CandidValue.Record r = (CandidValue.Record) v;
        assertThat(r.fields()).containsOnlyKeys(A, C);
        assertThat(r.get("a")).isEqualTo(nat(5));
        assertThat(r.get("c")).isEqualTo(new CandidValue.Opt(null));
    }

    @Test
    void aMissingRequiredFieldIsAnErrorNamingIt() {
        CandidType wire = new CandidType.Record(List.of(new CandidType.Field(A, CandidType.NAT)));
        CandidType expected = new CandidType.Record(List.of(new CandidType.Field(B, CandidType.NAT)));
        assertThatThrownBy(() -> CandidCoercion.read(message(wire, new CandidValue.Record(Map.of(A, nat(1)))),
                List.of(expected))).hasMessageContaining("required field " + B + " is missing");
    }

    @Test
    void anOptWhoseValueDoesNotFitReadsAsNullAndAPlainValueReadsIntoAnOpt() {
        CandidValue mismatched = CandidCoercion.read(message(new CandidType.Opt(CandidType.TEXT),
                new CandidValue.Opt(new CandidValue.Text("x"))), List.of(new CandidType.Opt(CandidType.NAT))).get(0);
        CandidValue lifted = CandidCoercion.read(message(CandidType.NAT, nat(7)),
                List.of(new CandidType.Opt(CandidType.NAT))).get(0);

        assertThat(mismatched).isEqualTo(new CandidValue.Opt(null));
        assertThat(lifted).isEqualTo(new CandidValue.Opt(nat(7)));
    }

    @Test
    void reservedAcceptsAnythingAndAMissingOptionalArgumentIsNull() {
        List<CandidValue> read = CandidCoercion.read(message(CandidType.TEXT, new CandidValue.Text("x")),
                List.of(CandidType.RESERVED, new CandidType.Opt(CandidType.NAT)));
        assertThat(read).containsExactly(new CandidValue.Reserved(), new CandidValue.Opt(null));
    }

    @Test
    void aVariantAlternativeTheReaderDoesNotKnowIsAnError() {
        CandidType wire = new CandidType.Variant(List.of(new CandidType.Field(A, CandidType.NAT),
                new CandidType.Field(B, CandidType.NULL)));
        CandidType expected = new CandidType.Variant(List.of(new CandidType.Field(A, CandidType.NAT)));
        assertThat(CandidCoercion.read(message(wire, new CandidValue.Variant(A, nat(3))), List.of(expected)).get(0))
                .isEqualTo(new CandidValue.Variant(A, nat(3)));
        assertThatThrownBy(() -> CandidCoercion.read(message(wire, new CandidValue.Variant(B, new CandidValue.Null())),
                List.of(expected))).hasMessageContaining("unknown to the reader");
    }

    @Test
    void aPrimitiveOfAnotherTypeIsAMismatchNamingBoth() {
        assertThatThrownBy(() -> CandidCoercion.read(message(CandidType.TEXT, new CandidValue.Text("x")),
                List.of(CandidType.NAT))).hasMessage("arg0: expected nat, the message has text");
    }
}
