package dev.interlock.ic.cert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

import dev.interlock.ic.Hashes;

/**
 * The IC's certified hash tree (interface specification, "Certification"): Empty, Fork, Labeled,
 * Leaf and Pruned nodes, decoded from CBOR ({@code [0]}, {@code [1, l, r]}, {@code [2, label, t]},
 * {@code [3, value]}, {@code [4, hash]}), with root-hash reconstruction and path lookup.
 */
public sealed interface HashTree {
    record Empty() implements HashTree {
    }

    record Fork(HashTree left, HashTree right) implements HashTree {
    }

    record Labeled(byte[] label, HashTree tree) implements HashTree {
    }

    record Leaf(byte[] value) implements HashTree {
    }

    record Pruned(byte[] hash) implements HashTree {
    }

    /** What a lookup found. */
    sealed interface Lookup {
    }

    record Found(byte[] value) implements Lookup {
    }

    /** The tree proves the path does not exist. */
    record Absent() implements Lookup {
    }

    /** The tree does not say (pruned). */
    record Unknown() implements Lookup {
    }

    ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

    static HashTree fromCbor(byte[] cbor) {
        try {
            JsonNode root = CBOR.readTree(cbor);
            return parse(root, 0);
        } catch (IOException e) {
            throw new IllegalArgumentException("hash tree: not CBOR: " + e.getMessage(), e);
        }
    }

    static HashTree parse(JsonNode n, int depth) {
        if (depth > 256) {
            throw new IllegalArgumentException("hash tree deeper than 256");
        }
        if (n == null || !n.isArray() || n.isEmpty() || !n.get(0).canConvertToInt()) {
            throw new IllegalArgumentException("hash tree: a node is an array starting with its tag");
        }
        int tag = n.get(0).asInt();
        try {
            return switch (tag) {
                case 0 -> new Empty();
                case 1 -> new Fork(parse(n.get(1), depth + 1), parse(n.get(2), depth + 1));
                case 2 -> new Labeled(blob(n.get(1), "a label"), parse(n.get(2), depth + 1));
                case 3 -> new Leaf(blob(n.get(1), "a leaf"));
                case 4 -> {
                    byte[] h = blob(n.get(1), "a pruned hash");
                    if (h.length != 32) {
                        throw new IllegalArgumentException("hash tree: a pruned hash has 32 bytes");
                    }
                    yield new Pruned(h);
                }
                default -> throw new IllegalArgumentException("hash tree: unknown node tag " + tag);
            };
        } catch (IOException | NullPointerException e) {
            throw new IllegalArgumentException("hash tree: malformed node with tag " + tag, e);
        }
    }

    /** A byte string of the tree; anything else (a number, a text, nothing) is malformed. */
    private static byte[] blob(JsonNode n, String what) throws IOException {
        if (n == null || !n.isBinary()) {
            throw new IllegalArgumentException("hash tree: " + what + " is not a byte string");
        }
        return n.binaryValue();
    }

    /** The CBOR encoding ({@link #fromCbor} reads it back). */
    default byte[] toCbor() {
        try {
            return CBOR.writeValueAsBytes(toNode());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The node form of this tree, for embedding it in a larger CBOR document (a certificate). */
    default JsonNode toNode() {
        var f = CBOR.getNodeFactory();
        var a = f.arrayNode();
        if (this instanceof Empty) {
            a.add(0);
        } else if (this instanceof Fork fork) {
            a.add(1).add(fork.left().toNode()).add(fork.right().toNode());
        } else if (this instanceof Labeled l) {
            a.add(2).add(l.label()).add(l.tree().toNode());
        } else if (this instanceof Leaf leaf) {
            a.add(3).add(leaf.value());
        } else {
            a.add(4).add(((Pruned) this).hash());
        }
        return a;
    }

    /** The root hash this tree certifies. */
    default byte[] reconstruct() {
        if (this instanceof Empty) {
            return domain("ic-hashtree-empty").digest();
        }
        if (this instanceof Fork f) {
            byte[] l = f.left().reconstruct();
            byte[] r = f.right().reconstruct();
            MessageDigest md = domain("ic-hashtree-fork");
            md.update(l);
            md.update(r);
            return md.digest();
        }
        if (this instanceof Labeled l) {
            byte[] t = l.tree().reconstruct();
            MessageDigest md = domain("ic-hashtree-labeled");
            md.update(l.label());
            md.update(t);
            return md.digest();
        }
        if (this instanceof Leaf leaf) {
            MessageDigest md = domain("ic-hashtree-leaf");
            md.update(leaf.value());
            return md.digest();
        }
        return ((Pruned) this).hash().clone();
    }

    private static MessageDigest domain(String separator) {
        MessageDigest md = Hashes.sha256();
        md.update((byte) separator.length());
        md.update(separator.getBytes(StandardCharsets.US_ASCII));
        return md;
    }

    /** Looks up a path of labels. */
    default Lookup lookup(String... path) {
        List<byte[]> labels = new ArrayList<>();
        for (String p : path) {
            labels.add(p.getBytes(StandardCharsets.UTF_8));
        }
        return lookup(labels);
    }

    default Lookup lookup(List<byte[]> path) {
        if (path.isEmpty()) {
            return this instanceof Leaf leaf ? new Found(leaf.value())
                    : this instanceof Pruned ? new Unknown() : new Absent();
        }
        byte[] label = path.get(0);
        List<HashTree> children = new ArrayList<>();
        flatten(this, children);
        boolean unknown = false;
        for (HashTree c : children) {
            if (c instanceof Labeled l) {
                int cmp = Arrays.compareUnsigned(l.label(), label);
                if (cmp == 0) {
                    return l.tree().lookup(path.subList(1, path.size()));
                }
            } else if (c instanceof Pruned) {
                unknown = true;
            }
        }
        return unknown ? new Unknown() : new Absent();
    }

    /** A labeled node's subtree, reached by a path; its labeled children can be listed. */
    record Subtree(HashTree tree) {
        public List<Labeled> labeledChildren() {
            List<HashTree> all = new ArrayList<>();
            flatten(tree, all);
            List<Labeled> out = new ArrayList<>();
            for (HashTree t : all) {
                if (t instanceof Labeled l) {
                    out.add(l);
                }
            }
            return out;
        }
    }

    /** The subtree under a path of labels, or null when the tree does not contain it. */
    default Subtree subtree(List<byte[]> path) {
        HashTree at = this;
        for (byte[] label : path) {
            List<HashTree> children = new ArrayList<>();
            flatten(at, children);
            HashTree next = null;
            for (HashTree c : children) {
                if (c instanceof Labeled l && Arrays.equals(l.label(), label)) {
                    next = l.tree();
                    break;
                }
            }
            if (next == null) {
                return null;
            }
            at = next;
        }
        return new Subtree(at);
    }

    private static void flatten(HashTree t, List<HashTree> out) {
        if (t instanceof Fork f) {
            flatten(f.left(), out);
            flatten(f.right(), out);
        } else if (!(t instanceof Empty)) {
            out.add(t);
        }
    }
}
