package dev.interlock.ic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** Vectors computed with DFINITY's ic-js ({@code AccountIdentifier.fromPrincipal}). */
class AccountIdentifierTest {
    private static final Principal OWNER = Principal.fromText(
            "wdarh-5xeo6-tbqmc-qmrpr-a5ppj-z4jbc-pprwe-gusfk-5qiaa-ocvfb-iqe");

    @Test
    void theDefaultAccountsIdentifierMatchesIcJs() {
        assertThat(AccountIdentifier.hex(Account.of(OWNER)))
                .isEqualTo("12f6a1ca374f7271ed2cc77470e5a7b1a649a21436367f898fbb639b3b12b21f");
    }

    @Test
    void aSubaccountsIdentifierMatchesIcJs() {
        byte[] sub = HexFormat.of().parseHex("12f6a1ca374f7271ed2cc77470e5a7b1a649a21436367f898fbb639b3b12b21f");
        assertThat(AccountIdentifier.hex(Account.of(OWNER, sub)))
                .isEqualTo("60cc844386ad1bd6747a7c024b63fbd610187e7d0910333863057410aefa4c1c");
    }

    @Test
    void anAbsentAndAnAllZeroSubaccountGiveTheSameIdentifier() {
        assertThat(AccountIdentifier.of(Account.of(OWNER, new byte[32]))).isEqualTo(AccountIdentifier.of(Account.of(OWNER)));
    }
}
