package dev.interlock.ic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class PrincipalAndAccountTest {
    private static final String OWNER = "k2t6j-2nvnp-4zjm3-25dtz-6xhaa-c7boj-5gayf-oj3xs-i43lp-teztq-6ae";

    @Test
    void wellKnownPrincipalsRoundTripThroughTheirText() {
        assertThat(Principal.ANONYMOUS.toString()).isEqualTo("2vxsx-fae");
        assertThat(Principal.MANAGEMENT.toString()).isEqualTo("aaaaa-aa");
        assertThat(Principal.canister(2).toString()).isEqualTo("ryjl3-tyaaa-aaaaa-aaaba-cai");
        assertThat(Principal.fromText("ryjl3-tyaaa-aaaaa-aaaba-cai").toHex()).isEqualTo("00000000000000020101");
    }

    @Test
    void aPrincipalWithABadChecksumOrGroupingIsRejected() {
        assertThatThrownBy(() -> Principal.fromText("ryjl3-tyaaa-aaaaa-aaaba-caj")).hasMessageContaining("not canonical");
        assertThatThrownBy(() -> Principal.fromText("ryjl3tyaaa-aaaaa-aaaba-cai")).hasMessageContaining("not canonical");
        assertThatThrownBy(() -> Principal.fromText("ryjl3-tyaaa-aaaaa-aaaba-ca1"))
                .hasMessageContaining("invalid base32 character '1'");
    }

    @Test
    void defaultAccountsAreWrittenAsTheirOwner() {
        Principal owner = Principal.fromText(OWNER);
        assertThat(Account.of(owner).toText()).isEqualTo(OWNER);
        assertThat(Account.of(owner, new byte[32]).toText()).isEqualTo(OWNER);
        assertThat(Account.of(owner)).isEqualTo(Account.of(owner, new byte[32]));
    }

    @Test
    void nonDefaultAccountsFollowTheTextualEncodingExamples() {
        Principal owner = Principal.fromText(OWNER);
        byte[] sub = new byte[32];
        for (int i = 0; i < 32; i++) {
            sub[i] = (byte) (i + 1);
        }
        String text = OWNER + "-dfxgiyy.102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";
        assertThat(Account.of(owner, sub).toText()).isEqualTo(text);
        assertThat(Account.fromText(text)).isEqualTo(Account.of(owner, sub));
        byte[] one = new byte[32];
        one[31] = 1;
        assertThat(Account.fromText(OWNER + "-6cc627i.1")).isEqualTo(Account.of(owner, one));
    }

    @Test
    void nonCanonicalAccountTextsAreRejectedAsTheStandardsExamplesSay() {
        assertThatThrownBy(() -> Account.fromText(OWNER + "-q6bn32y.")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Account.fromText(OWNER + "-6cc627i.01")).hasMessageContaining("leading zeros");
        assertThatThrownBy(() -> Account.fromText(OWNER + ".1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Account.fromText("k2t6j2nvnp4zjm3-25dtz6xhaac7boj5gayfoj3xs-i43lp-teztq-6ae"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void icrc3AccountValueKeepsAnExplicitZeroSubaccountWhichHashesDifferently() {
        Principal owner = Principal.fromText(OWNER);
        Value absent = Value.account(Account.of(owner));
        Value zeros = Value.account(Account.of(owner, new byte[32]));
        assertThat(((Value.Array) absent).items()).hasSize(1);
        assertThat(((Value.Array) zeros).items()).hasSize(2);
        assertThat(HexFormat.of().formatHex(ValueHash.hash(absent)))
                .isNotEqualTo(HexFormat.of().formatHex(ValueHash.hash(zeros)));
    }
}
