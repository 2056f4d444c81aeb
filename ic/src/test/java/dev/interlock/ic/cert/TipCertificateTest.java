package dev.interlock.ic.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.interlock.ic.Leb128;
import dev.interlock.ic.Principal;

/** ICRC-3 tip certificates: the tip tree's root must be the ledger's certified data. */
class TipCertificateTest {
    private static final Principal LEDGER = Principal.fromText("ryjl3-tyaaa-aaaaa-aaaba-cai");
    private static final byte[] HASH = HexFormat.of().parseHex("6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b");
    private static final long TIME = 1_764_000_000_000_000_000L;

    private static byte[] label(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A certificate as a replica encodes it: self-describing CBOR tag, a tree with /time and the canister's data. */
    private static byte[] certificate(Principal canister, byte[] certifiedData) throws Exception {
        return certificate(canister, certifiedData, null, null);
    }

    private static byte[] certificate(Principal canister, byte[] certifiedData, byte[] subnetId, byte[] delegationCert)
            throws Exception {
        HashTree tree = new HashTree.Fork(
                new HashTree.Labeled(label("canister"), new HashTree.Labeled(canister.bytes(),
                        new HashTree.Labeled(label("certified_data"), new HashTree.Leaf(certifiedData)))),
                new HashTree.Labeled(label("time"), new HashTree.Leaf(Leb128.unsigned(TIME))));
        ObjectNode map = HashTree.CBOR.createObjectNode();
        map.set("tree", tree.toNode());
        map.put("signature", new byte[48]);
        if (subnetId != null) {
            ObjectNode d = map.putObject("delegation");
            d.put("subnet_id", subnetId);
            d.put("certificate", delegationCert);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0xd9, (byte) 0xd9, (byte) 0xf7});
        out.write(HashTree.CBOR.writeValueAsBytes(map));
        return out.toByteArray();
    }

    @Test
    void aTipWhoseTreeMatchesTheCertifiedDataIsRead() throws Exception {
        HashTree tip = TipCertificate.tree(BigInteger.valueOf(1_234_567), HASH);
        byte[] cert = certificate(LEDGER, tip.reconstruct());

        TipCertificate.Tip read = TipCertificate.check(LEDGER, cert, tip.toCbor());

        assertThat(read.lastBlockIndex()).isEqualTo(BigInteger.valueOf(1_234_567));
        assertThat(read.lastBlockHash()).isEqualTo(HASH);
        assertThat(Certificate.fromCbor(cert).timeNanos()).isEqualTo(BigInteger.valueOf(TIME));
        assertThat(Certificate.fromCbor(cert).delegation()).isEmpty();
    }

    @Test
    void aTreeThatDoesNotMatchTheCertifiedDataIsRejected() throws Exception {
        HashTree certified = TipCertificate.tree(BigInteger.valueOf(10), HASH);
        HashTree claimed = TipCertificate.tree(BigInteger.valueOf(11), HASH);
        byte[] cert = certificate(LEDGER, certified.reconstruct());

        assertThatThrownBy(() -> TipCertificate.check(LEDGER, cert, claimed.toCbor()))
                .hasMessageContaining("is not the certified data");
    }

    @Test
    void aCertificateForAnotherCanisterIsRejected() throws Exception {
        HashTree tip = TipCertificate.tree(BigInteger.ONE, HASH);
        byte[] cert = certificate(Principal.fromText("mxzaz-hqaaa-aaaar-qaada-cai"), tip.reconstruct());

        assertThatThrownBy(() -> TipCertificate.check(LEDGER, cert, tip.toCbor()))
                .hasMessageContaining("/canister/ryjl3-tyaaa-aaaaa-aaaba-cai/certified_data is absent");
    }

    @Test
    void aShortLastBlockHashAndAMissingIndexAreRejected() throws Exception {
        HashTree shortHash = TipCertificate.tree(BigInteger.ONE, Arrays.copyOf(HASH, 31));
        assertThatThrownBy(() -> TipCertificate.check(LEDGER, certificate(LEDGER, shortHash.reconstruct()), shortHash.toCbor()))
                .hasMessageContaining("31 bytes, not 32");

        HashTree noIndex = new HashTree.Labeled(label("last_block_hash"), new HashTree.Leaf(HASH));
        assertThatThrownBy(() -> TipCertificate.check(LEDGER, certificate(LEDGER, noIndex.reconstruct()), noIndex.toCbor()))
                .hasMessageContaining("last_block_index is missing");
    }

    @Test
    void treesSurviveACborRoundTripWithTheirRootHash() {
        HashTree tip = TipCertificate.tree(BigInteger.valueOf(300), HASH);
        HashTree back = HashTree.fromCbor(tip.toCbor());
        assertThat(back.reconstruct()).isEqualTo(tip.reconstruct());
        assertThat(((HashTree.Found) back.lookup("last_block_index")).value()).isEqualTo(new byte[] {(byte) 0xac, 0x02});
    }

    @Test
    void leb128DecodingRejectsCutOffAndTrailingBytes() {
        assertThat(Leb128.readUnsigned(new byte[] {(byte) 0xe5, (byte) 0x8e, 0x26})).isEqualTo(BigInteger.valueOf(624_485));
        assertThatThrownBy(() -> Leb128.readUnsigned(new byte[] {(byte) 0x80})).hasMessageContaining("cut off");
        assertThatThrownBy(() -> Leb128.readUnsigned(new byte[] {0x01, 0x02})).hasMessageContaining("1 trailing bytes");
    }

    @Test
    void aCertificateWithoutATreeNamesTheMissingField() {
        assertThatThrownBy(() -> Certificate.fromCbor(HexFormat.of().parseHex("a0"))).hasMessageContaining("'tree' is missing");
    }

    @Test
    void aLegacyTipWithTipHashAndABigEndianIndexIsRead() throws Exception {
        HashTree legacy = new HashTree.Fork(
                new HashTree.Labeled(label("last_block_index"), new HashTree.Leaf(new byte[] {0, 0, 0, 0, 0, 0, 0x01, 0x2c})),
                new HashTree.Labeled(label("tip_hash"), new HashTree.Leaf(HASH)));

        TipCertificate.Tip tip = TipCertificate.check(LEDGER, certificate(LEDGER, legacy.reconstruct()), legacy.toCbor());

        assertThat(tip.lastBlockIndex()).isEqualTo(BigInteger.valueOf(300));
        assertThat(tip.lastBlockHash()).isEqualTo(HASH);
    }

    private static final byte[] SUBNET = new byte[29];

    /** The root subnet's certificate of a subnet, listing its canister ranges in the current or the older place. */
    private static byte[] delegation(boolean sharded, Principal lo, Principal hi) throws Exception {
        ByteArrayOutputStream ranges = new ByteArrayOutputStream();
        var arr = HashTree.CBOR.createArrayNode();
        arr.addArray().add(lo.bytes()).add(hi.bytes());
        ranges.write(HashTree.CBOR.writeValueAsBytes(arr));
        HashTree leaf = new HashTree.Leaf(ranges.toByteArray());
        HashTree tree = sharded
                ? new HashTree.Labeled(label("canister_ranges"), new HashTree.Labeled(SUBNET, new HashTree.Labeled(lo.bytes(), leaf)))
                : new HashTree.Labeled(label("subnet"), new HashTree.Labeled(SUBNET, new HashTree.Labeled(label("canister_ranges"), leaf)));
        ObjectNode map = HashTree.CBOR.createObjectNode();
        map.set("tree", tree.toNode());
        map.put("signature", new byte[48]);
        return HashTree.CBOR.writeValueAsBytes(map);
    }

    @Test
    void aDelegatedCertificateMustCoverTheLedgerInItsCanisterRanges() throws Exception {
        HashTree tip = TipCertificate.tree(BigInteger.TEN, HASH);
        Principal lo = Principal.canister(0);
        Principal hi = Principal.canister(1_000);
        for (boolean sharded : new boolean[] {true, false}) {
            byte[] covered = certificate(LEDGER, tip.reconstruct(), SUBNET, delegation(sharded, lo, hi));
            assertThat(TipCertificate.check(LEDGER, covered, tip.toCbor()).lastBlockIndex()).isEqualTo(BigInteger.TEN);

            byte[] elsewhere = certificate(LEDGER, tip.reconstruct(), SUBNET,
                    delegation(sharded, Principal.canister(5_000), Principal.canister(6_000)));
            assertThatThrownBy(() -> TipCertificate.check(LEDGER, elsewhere, tip.toCbor()))
                    .hasMessageContaining("outside the canister ranges delegated to subnet");
        }
    }
}
