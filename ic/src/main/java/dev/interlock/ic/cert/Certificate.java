package dev.interlock.ic.cert;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.interlock.ic.Leb128;
import dev.interlock.ic.Principal;

/**
 * A certificate of the IC interface specification ("Certificate"): a CBOR map with a hash {@code tree},
 * the subnet's BLS {@code signature} over its root hash and an optional {@code delegation} from the root
 * subnet. This class decodes the structure and reads the certified paths; it does <em>not</em> verify
 * the BLS signature (see {@link #signature()}), so callers must not treat its content as authenticated.
 */
public record Certificate(HashTree tree, byte[] signature, Optional<Delegation> delegation) {
    /** A subnet delegation: the subnet's id and the root subnet's certificate of its public key. */
    public record Delegation(byte[] subnetId, byte[] certificate) {
    }

    public static Certificate fromCbor(byte[] cbor) {
        JsonNode root;
        try {
            root = HashTree.CBOR.readTree(cbor);
        } catch (IOException e) {
            throw new IllegalArgumentException("certificate: not CBOR: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("certificate: expected a CBOR map with tree and signature");
        }
        if (!root.has("tree")) {
            throw new IllegalArgumentException("certificate: field 'tree' is missing");
        }
        HashTree tree = HashTree.parse(root.get("tree"), 0);
        byte[] signature = bytes(root, "signature", "certificate");
        Optional<Delegation> delegation = Optional.empty();
        JsonNode d = root.get("delegation");
        if (d != null && !d.isNull()) {
            delegation = Optional.of(new Delegation(bytes(d, "subnet_id", "delegation"), bytes(d, "certificate", "delegation")));
        }
        return new Certificate(tree, signature, delegation);
    }

    private static byte[] bytes(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isBinary()) {
            throw new IllegalArgumentException(where + ": field '" + field + "' is missing or not a byte string");
        }
        try {
            return v.binaryValue();
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": field '" + field + "' is unreadable", e);
        }
    }

    /** The certified time ({@code /time}, nanoseconds since the epoch). */
    public BigInteger timeNanos() {
        return Leb128.readUnsigned(require(tree.lookup("time"), "/time"));
    }

    /** The certified data a canister set ({@code /canister/<id>/certified_data}). */
    public byte[] certifiedData(Principal canister) {
        HashTree.Lookup l = tree.lookup(List.of("canister".getBytes(StandardCharsets.US_ASCII), canister.bytes(),
                "certified_data".getBytes(StandardCharsets.US_ASCII)));
        return require(l, "/canister/" + canister + "/certified_data");
    }

    /**
     * When {@code canister}'s module was last installed ({@code /canister/<id>/last_install_timestamp},
     * nanoseconds), or empty when the certificate does not hold it (a replica that predates the path).
     */
    public java.util.Optional<BigInteger> lastInstallTimestamp(Principal canister) {
        HashTree.Lookup l = tree.lookup(List.of("canister".getBytes(StandardCharsets.US_ASCII), canister.bytes(),
                "last_install_timestamp".getBytes(StandardCharsets.US_ASCII)));
        return l instanceof HashTree.Found f ? java.util.Optional.of(Leb128.readUnsigned(f.value())) : java.util.Optional.empty();
    }

    /**
     * Checks that a delegated certificate may speak for {@code canister}: the delegation's certificate must
     * list a canister range holding it, at {@code /canister_ranges/<subnet>/<shard>} (current) or
     * {@code /subnet/<subnet>/canister_ranges} (older). A certificate without delegation comes from the root
     * subnet and passes. Throws with the reason otherwise.
     */
    public void checkDelegationCovers(Principal canister) {
        if (delegation.isEmpty()) {
            return;
        }
        Delegation d = delegation.get();
        Certificate parent = fromCbor(d.certificate());
        if (parent.delegation().isPresent()) {
            throw new IllegalArgumentException("certificate: a delegation's certificate must not itself be delegated");
        }
        List<byte[]> rangeBlobs = new ArrayList<>();
        HashTree.Lookup old = parent.tree().lookup(List.of(ascii("subnet"), d.subnetId(), ascii("canister_ranges")));
        if (old instanceof HashTree.Found f) {
            rangeBlobs.add(f.value());
        }
        HashTree.Subtree shards = parent.tree().subtree(List.of(ascii("canister_ranges"), d.subnetId()));
        if (shards != null) {
            for (HashTree.Labeled shard : shards.labeledChildren()) {
                if (shard.tree() instanceof HashTree.Leaf leaf) {
                    rangeBlobs.add(leaf.value());
                }
            }
        }
        if (rangeBlobs.isEmpty()) {
            throw new IllegalArgumentException("certificate: the delegation lists no canister ranges for subnet "
                    + Principal.of(d.subnetId()));
        }
        byte[] id = canister.bytes();
        for (byte[] blob : rangeBlobs) {
            for (byte[][] range : ranges(blob)) {
                if (Arrays.compareUnsigned(range[0], id) <= 0 && Arrays.compareUnsigned(id, range[1]) <= 0) {
                    return;
                }
            }
        }
        throw new IllegalArgumentException("certificate: " + canister + " is outside the canister ranges delegated to subnet "
                + Principal.of(d.subnetId()));
    }

    private static List<byte[][]> ranges(byte[] cbor) {
        List<byte[][]> out = new ArrayList<>();
        try {
            JsonNode n = HashTree.CBOR.readTree(cbor);
            if (n == null || !n.isArray()) {
                throw new IllegalArgumentException("certificate: canister ranges are not a CBOR array");
            }
            for (JsonNode r : n) {
                if (!r.isArray() || r.size() != 2 || !r.get(0).isBinary() || !r.get(1).isBinary()) {
                    throw new IllegalArgumentException("certificate: a canister range is not a pair of principals");
                }
                out.add(new byte[][] {r.get(0).binaryValue(), r.get(1).binaryValue()});
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("certificate: canister ranges are not CBOR", e);
        }
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] require(HashTree.Lookup l, String path) {
        if (l instanceof HashTree.Found f) {
            return f.value();
        }
        throw new IllegalArgumentException("certificate: " + path
                + (l instanceof HashTree.Absent ? " is absent" : " is pruned from the tree"));
    }
}
