package dev.interlock.ic.cert;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.HexFormat;

import dev.interlock.ic.Leb128;
import dev.interlock.ic.Principal;

/**
 * ICRC-3's tip certificate ({@code icrc3_get_tip_certificate}): a hash tree with the labels
 * {@code last_block_index} (LEB128) and {@code last_block_hash} (32 bytes) whose root hash the ledger
 * set as its certified data. {@link #check} ties the two together; the subnet's BLS signature over the
 * certificate is not verified here (see {@link Certificate}). Ledgers built before late 2024 certify
 * {@code tip_hash} and an 8-byte big-endian {@code last_block_index} instead; both forms are read.
 */
public final class TipCertificate {
    /** The tip a certificate vouches for. */
    public record Tip(BigInteger lastBlockIndex, byte[] lastBlockHash) {
        @Override
        public String toString() {
            return "Tip[" + lastBlockIndex + ", " + HexFormat.of().formatHex(lastBlockHash) + "]";
        }
    }

    private TipCertificate() {
    }

    /**
     * Reads the tip from {@code hashTree} after checking that its root hash equals the ledger's certified
     * data in {@code certificate}.
     */
    public static Tip check(Principal ledger, byte[] certificate, byte[] hashTree) {
        Certificate cert = Certificate.fromCbor(certificate);
        HashTree tree = HashTree.fromCbor(hashTree);
        byte[] certified = cert.certifiedData(ledger);
        byte[] root = tree.reconstruct();
        if (!MessageDigest.isEqual(certified, root)) {
            throw new IllegalArgumentException("tip certificate: the hash tree's root " + HexFormat.of().formatHex(root)
                    + " is not the certified data " + HexFormat.of().formatHex(certified) + " of " + ledger);
        }
        cert.checkDelegationCovers(ledger);
        byte[] index = found(tree.lookup("last_block_index"), "last_block_index");
        if (tree.lookup("last_block_hash") instanceof HashTree.Found current) {
            return new Tip(Leb128.readUnsigned(index), hash32(current.value(), "last_block_hash"));
        }
        if (tree.lookup("tip_hash") instanceof HashTree.Found legacy) {
            // Ledgers built before late 2024: tip_hash and an 8-byte big-endian last_block_index.
            if (index.length != 8) {
                throw new IllegalArgumentException("tip certificate: a legacy last_block_index has 8 bytes, not " + index.length);
            }
            return new Tip(new BigInteger(1, index), hash32(legacy.value(), "tip_hash"));
        }
        throw new IllegalArgumentException("tip certificate: last_block_hash is missing from the hash tree");
    }

    /** The tree a ledger certifies for its tip (what a fake replica serves). */
    public static HashTree tree(BigInteger lastBlockIndex, byte[] lastBlockHash) {
        return new HashTree.Fork(
                new HashTree.Labeled(bytes("last_block_hash"), new HashTree.Leaf(lastBlockHash)),
                new HashTree.Labeled(bytes("last_block_index"), new HashTree.Leaf(Leb128.unsigned(lastBlockIndex))));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[] hash32(byte[] hash, String label) {
        if (hash.length != 32) {
            throw new IllegalArgumentException("tip certificate: " + label + " has " + hash.length + " bytes, not 32");
        }
        return hash;
    }

    private static byte[] found(HashTree.Lookup l, String label) {
        if (l instanceof HashTree.Found f) {
            return f.value();
        }
        throw new IllegalArgumentException("tip certificate: " + label + " is missing from the hash tree");
    }
}
