package dev.interlock.ic;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

class Icrc3ChainTest {
    /** A chain of n transfer blocks, each naming the ICRC-3 hash of the one before. */
    private static List<Value> chain(int n, String btypeAt2) {
        List<Value> out = new ArrayList<>();
        byte[] prev = null;
        for (int i = 0; i < n; i++) {
            var b = Value.map();
            if (prev != null) {
                b.put("phash", Value.blob(prev));
            }
            b.put("btype", Value.text(i == 2 && btypeAt2 != null ? btypeAt2 : "1xfer")).put("ts", Value.nat(1_000 + i))
                    .put("tx", Value.map().put("amt", Value.nat(i)).build());
            Value v = b.build();
            prev = ValueHash.hash(v);
            out.add(v);
        }
        return out;
    }

    @Test
    void aChainVerifiesAndAnUnknownBlockTypeIsChainedButFlagged() {
        List<Value> blocks = chain(4, "99custom");
        Icrc3Chain c = new Icrc3Chain();
        List<Boolean> unknown = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            unknown.add(c.accept(i, blocks.get(i)).orElseThrow().unknownType());
        }
        assertThat(unknown).containsExactly(false, false, true, false);
        assertThat(c.nextIndex()).isEqualTo(4);
        assertThat(c.checkTip(BigInteger.valueOf(3), ValueHash.hash(blocks.get(3)))).isEmpty();
        assertThat(c.checkTip(BigInteger.valueOf(3), new byte[32])).hasValueSatisfying(
                b -> assertThat(b.reason()).isEqualTo("certified tip mismatch"));
    }

    @Test
    void aTamperedBlockIsCaughtAtItsSuccessorWithBothHashesAndTheChainStops() {
        List<Value> blocks = chain(3, null);
        Value tampered = Value.map().put("phash", ((Value.Map) blocks.get(1)).get("phash")).put("btype", Value.text("1xfer"))
                .put("ts", Value.nat(1_001)).put("tx", Value.map().put("amt", Value.nat(1_000_000)).build()).build();
        Icrc3Chain c = new Icrc3Chain();
        c.accept(0, blocks.get(0));
        c.accept(1, tampered);

        assertThat(c.accept(2, blocks.get(2))).isEmpty();

        assertThat(c.lastBreak()).isEqualTo(new HashChain.Break(2, "parent hash mismatch",
                HexFormat.of().formatHex(ValueHash.hash(tampered)), HexFormat.of().formatHex(ValueHash.hash(blocks.get(1)))));
        assertThat(c.nextIndex()).isEqualTo(2);
    }

    @Test
    void resumingNeedsThePreviousHashAndGapsAreBreaks() {
        List<Value> blocks = chain(3, null);
        Icrc3Chain c = new Icrc3Chain(2, ValueHash.hash(blocks.get(1)));
        assertThat(c.accept(2, blocks.get(2))).isPresent();
        assertThat(c.accept(4, blocks.get(2))).isEmpty();
        assertThat(c.lastBreak()).isEqualTo(new HashChain.Break(4, "gap", "3", "4"));
    }
}
