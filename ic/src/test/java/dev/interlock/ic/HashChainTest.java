package dev.interlock.ic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class HashChainTest {
    private static byte[] h(int b) {
        byte[] x = new byte[32];
        Arrays.fill(x, (byte) b);
        return x;
    }

    @Test
    void linksHoldWhenEachParentIsThePreviousHashAndABreakDoesNotAdvance() {
        HashChain c = new HashChain();
        assertThat(c.accept(0, null, h(1))).isEmpty();
        assertThat(c.accept(1, h(1), h(2))).isEmpty();
        assertThat(c.accept(2, h(9), h(3))).hasValue(new HashChain.Break(2, "parent hash mismatch", HashChain.hex(h(2)),
                HashChain.hex(h(9))));
        assertThat(c.nextIndex()).isEqualTo(2);
        assertThat(c.accept(2, null, h(3))).hasValue(new HashChain.Break(2, "parent hash missing", HashChain.hex(h(2)), "none"));
        assertThat(c.accept(3, h(2), h(3))).hasValue(new HashChain.Break(3, "gap", "2", "3"));
        assertThat(c.accept(2, h(2), h(3))).isEmpty();
        assertThat(c.previousHash()).isEqualTo(h(3));
    }

    @Test
    void blockZeroMustNotNameAParent() {
        assertThat(new HashChain().accept(0, h(1), h(2))).hasValue(new HashChain.Break(0, "block 0 names a parent", "none",
                HashChain.hex(h(1))));
    }

    @Test
    void theCertifiedTipIsComparedOnlyWhenTheChainHasReachedIt() {
        HashChain c = new HashChain(5, h(4));
        assertThat(c.checkTip(4, h(4))).isEmpty();
        assertThat(c.checkTip(9, h(7))).as("tip elsewhere").isEmpty();
        assertThat(c.checkTip(4, h(7))).hasValue(new HashChain.Break(4, "certified tip mismatch", HashChain.hex(h(7)),
                HashChain.hex(h(4))));
    }

    @Test
    void aChainReadFromTheMiddleTrustsOnlyItsFirstLink() {
        HashChain c = HashChain.trustingFirst(10);
        assertThat(c.accept(10, h(9), h(10))).isEmpty();
        assertThat(c.accept(11, h(9), h(11))).hasValueSatisfying(b -> assertThat(b.reason()).isEqualTo("parent hash mismatch"));
    }

    @Test
    void resumingNeedsTheHashOfTheBlockBefore() {
        assertThatThrownBy(() -> new HashChain(3, null)).hasMessage("resuming at block 3 needs the 32-byte hash of block 2");
    }
}
