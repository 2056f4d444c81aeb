package dev.interlock.ingest.normalise;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

import dev.interlock.ic.Account;
import dev.interlock.ic.Principal;
import dev.interlock.ic.Value;
import dev.interlock.model.LedgerBlock;

class Icrc3BlockDecoderTest {
    private static final Principal A = Principal.canister(10);
    private static final Principal B = Principal.canister(11);

    @Test
    void aTransferBlockGivesAccountsAmountFeeMemoAndCreatedAtTime() {
        byte[] sub = new byte[32];
        sub[31] = 1;
        Value block = Value.map().put("fee", Value.nat(10)).put("phash", Value.blob(new byte[] {1, 2}))
                .put("ts", Value.nat(5_000)).put("tx", Value.map().put("amt", Value.nat(42))
                        .put("from", Value.account(Account.of(A))).put("memo", Value.blob(new byte[] {(byte) 0xab}))
                        .put("op", Value.text("xfer")).put("to", Value.account(Account.of(B, sub)))
                        .put("ts", Value.nat(4_000)).build())
                .build();
        LedgerBlock b = Icrc3BlockDecoder.decode("ledger", 7, new byte[] {9}, block);

        assertThat(b.op()).isEqualTo("xfer");
        assertThat(b.from()).isEqualTo(A.toString());
        assertThat(b.to()).isEqualTo(Account.of(B, sub).toText());
        assertThat(b.amount()).isEqualTo(BigInteger.valueOf(42));
        assertThat(b.fee()).isEqualTo(BigInteger.TEN);
        assertThat(b.memo()).isEqualTo("ab");
        assertThat(b.createdAtTime()).isEqualTo(4_000L);
        assertThat(b.timestampNanos()).isEqualTo(5_000L);
        assertThat(b.parentHash()).isEqualTo("0102");
        assertThat(b.hash()).isEqualTo("09");
    }

    @Test
    void btypeWinsOverTxOpAndUnknownTypesKeepTheirName() {
        Value withBtype = Value.map().put("btype", Value.text("2xfer")).put("ts", Value.nat(1))
                .put("tx", Value.map().put("op", Value.text("approve")).put("amt", Value.nat(1)).build()).build();
        Value unknown = Value.map().put("btype", Value.text("107feecol")).put("ts", Value.nat(1)).build();

        assertThat(Icrc3BlockDecoder.decode("l", 0, new byte[0], withBtype).op()).isEqualTo("xfer");
        assertThat(Icrc3BlockDecoder.decode("l", 1, new byte[0], unknown).op()).isEqualTo("107feecol");
    }
}
