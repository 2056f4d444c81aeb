package dev.interlock.ic.candid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.interlock.ic.Account;
import dev.interlock.ic.Principal;
import dev.interlock.ic.Value;
import dev.interlock.ic.ValueHash;

class Icrc3CandidTest {
    private static final Value BLOCK = Value.map().put("phash", Value.blob(new byte[32])).put("ts", Value.nat(1_000))
            .put("tx", Value.map().put("amt", Value.nat(42)).put("op", Value.text("xfer"))
                    .put("from", Value.account(Account.of(Principal.canister(7))))
                    .put("neg", Value.integer(-3)).build())
            .build();

    @Test
    void aBlockRoundTripsThroughTheRecursiveCandidTypeAndKeepsItsHash() {
        byte[] wire = CandidEncoder.encode(Icrc3Candid.valueTable(), List.of(new CandidType.Ref(0)),
                List.of(Icrc3Candid.fromValue(BLOCK)));
        CandidDecoder.Message m = CandidDecoder.decode(wire);
        Value back = Icrc3Candid.toValue(m.values().get(0));

        assertThat(back).isEqualTo(BLOCK);
        assertThat(ValueHash.hash(back)).isEqualTo(ValueHash.hash(BLOCK));
        assertThat(m.table()).hasSize(5);
    }

    @Test
    void aMapEntryWhoseKeyIsNoTextIsACandidErrorNamingTheEntry() {
        CandidValue blobKey = new CandidValue.Variant(Icrc3Candid.MAP, new CandidValue.Vec(List.of(new CandidValue.Record(
                java.util.Map.of(0L, new CandidValue.Blob(new byte[] {1}), 1L, Icrc3Candid.fromValue(Value.nat(1)))))));
        CandidValue noPair = new CandidValue.Variant(Icrc3Candid.MAP, new CandidValue.Vec(List.of(new CandidValue.Null())));

        assertThatThrownBy(() -> Icrc3Candid.toValue(blobKey)).isInstanceOf(CandidException.class)
                .hasMessageStartingWith("$[0]: a Map entry is not a (text, value) pair");
        assertThatThrownBy(() -> Icrc3Candid.toValue(noPair)).isInstanceOf(CandidException.class)
                .hasMessageStartingWith("$[0]: a Map entry is not a (text, value) pair");
    }

    @Test
    void aVariantThatIsNoIcrc3ValueIsReportedWithItsPath() {
        CandidValue bad = new CandidValue.Variant(Icrc3Candid.MAP, new CandidValue.Vec(List.of(new CandidValue.Record(
                java.util.Map.of(0L, new CandidValue.Text("tx"), 1L, new CandidValue.Variant(99, new CandidValue.Null()))))));
        assertThatThrownBy(() -> Icrc3Candid.toValue(bad)).hasMessageStartingWith("$.tx: alternative 99");
    }

    @Test
    void aGetBlocksReplyWithArchiveCallbacksRoundTripsAndNamesItsFields() {
        CandidValue.Func callback = new CandidValue.Func(Principal.canister(9).bytes(), "icrc3_get_blocks");
        Icrc3Candid.GetBlocksResult reply = new Icrc3Candid.GetBlocksResult(java.math.BigInteger.valueOf(2_500),
                List.of(new Icrc3Candid.Block(java.math.BigInteger.valueOf(2_000), BLOCK)),
                List.of(new Icrc3Candid.Archived(List.of(new Icrc3Candid.Range(java.math.BigInteger.ZERO,
                        java.math.BigInteger.valueOf(100))), callback)));

        Icrc3Candid.GetBlocksResult back = Icrc3Candid.readGetBlocksResult(Icrc3Candid.encodeGetBlocksResult(reply),
                CandidDecoder.Limits.DEFAULT);

        assertThat(back.logLength()).isEqualTo(java.math.BigInteger.valueOf(2_500));
        assertThat(back.blocks()).containsExactly(new Icrc3Candid.Block(java.math.BigInteger.valueOf(2_000), BLOCK));
        assertThat(back.archived()).hasSize(1);
        assertThat(back.archived().get(0).args()).containsExactly(new Icrc3Candid.Range(java.math.BigInteger.ZERO,
                java.math.BigInteger.valueOf(100)));
        assertThat(back.archived().get(0).callback().method()).isEqualTo("icrc3_get_blocks");
        assertThat(back.archived().get(0).callback().canister()).isEqualTo(Principal.canister(9).bytes());
    }

    @Test
    void aReplyOfAnotherShapeIsRejectedNamingTheField() {
        byte[] args = Icrc3Candid.encodeGetBlocksArgs(List.of(new Icrc3Candid.Range(java.math.BigInteger.ONE,
                java.math.BigInteger.TEN)));
        assertThatThrownBy(() -> Icrc3Candid.readGetBlocksResult(args, CandidDecoder.Limits.DEFAULT))
                .hasMessageContaining("GetBlocksResult is Vec, not Record");
    }
}
