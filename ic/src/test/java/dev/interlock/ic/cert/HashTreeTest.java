package dev.interlock.ic.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The hash-tree example of the IC interface specification, full and pruned. */
class HashTreeTest {
    private static final String FULL = "8301830183024161830183018302417882034568656c6c6f810083024179820345776f726c6483"
            + "024162820344676f6f648301830241638100830241648203476d6f726e696e67";
    private static final String PRUNED = "83018301830241618301820458201b4feff9bef8131788b0c9dc6dbad6e81e524249c879e9f1"
            + "0f71ce3749f5a63883024179820345776f726c6483024162820458207b32ac0c6ba8ce35ac82c255fc7906f7fc130dab2a090f80fe"
            + "12f9c2cae83ba6830182045820ec8324b8a1f1ac16bd2e806edba78006479c9877fed4eb464a25485465af601d83024164820347"
            + "6d6f726e696e67";
    private static final String ROOT = "eb5c5b2195e62d996b84c9bcc8259d19a83786a2f59e0878cec84c811f669aa0";

    private static HashTree tree(String hex) {
        return HashTree.fromCbor(HexFormat.of().parseHex(hex));
    }

    @Test
    void theSpecificationsTreeHasItsPublishedRootHash() {
        assertThat(HexFormat.of().formatHex(tree(FULL).reconstruct())).isEqualTo(ROOT);
    }

    @Test
    void prunedBranchesKeepTheSameRootHash() {
        assertThat(HexFormat.of().formatHex(tree(PRUNED).reconstruct())).isEqualTo(ROOT);
    }

    @Test
    void lookupsFindValuesProveAbsenceAndAdmitWhatPruningHides() {
        HashTree full = tree(FULL);
        HashTree pruned = tree(PRUNED);

        assertThat(new String(((HashTree.Found) full.lookup("a", "y")).value(), StandardCharsets.UTF_8)).isEqualTo("world");
        assertThat(new String(((HashTree.Found) pruned.lookup("d")).value(), StandardCharsets.UTF_8)).isEqualTo("morning");
        assertThat(full.lookup("c")).isInstanceOf(HashTree.Absent.class);
        assertThat(full.lookup("e")).isInstanceOf(HashTree.Absent.class);
        assertThat(pruned.lookup("a", "x")).isInstanceOf(HashTree.Unknown.class);
    }

    @Test
    void malformedTreesAreRejected() {
        assertThatThrownBy(() -> HashTree.fromCbor(HexFormat.of().parseHex("8109"))).hasMessageContaining("unknown node tag 9");
        assertThatThrownBy(() -> HashTree.fromCbor(HexFormat.of().parseHex("820442abcd"))).hasMessageContaining("32 bytes");
    }

    @org.junit.jupiter.api.Test
    void aLeafOrLabelThatIsNotAByteStringIsAMalformedTreeNotACrash() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper cbor = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.cbor.CBORFactory());
        byte[] leafOfNumber = cbor.writeValueAsBytes(java.util.List.of(3, 42));
        byte[] labelOfText = cbor.writeValueAsBytes(java.util.List.of(2, "time", java.util.List.of(0)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HashTree.fromCbor(leafOfNumber))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a leaf is not a byte string");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HashTree.fromCbor(labelOfText))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a label is not a byte string");
    }
}
