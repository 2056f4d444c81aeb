package dev.interlock.ic;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ICRC-3 representation-independent hash of a {@link Value}, as the standard's
 * HASHINGVALUES.md defines it: SHA-256 of the bytes (Blob), UTF-8 (Text), LEB128 (Nat) and
 * SLEB128 (Int); an Array hashes the concatenation of its elements' hashes; a Map hashes the
 * concatenation of (hash(key) ‖ hash(value)) pairs sorted lexicographically.
 *
 * <p>DFINITY's Rust ledger code encodes non-negative {@code Int}s as unsigned LEB128, which
 * differs from SLEB128 when bit 6 of the last group is set (64, for example). No ICRC-1/2
 * block carries an Int, so this follows the standard; {@link #hashRustLedgerStyle(Value)}
 * gives the other reading for blocks of other standards that do.
 */
public final class ValueHash {
    private ValueHash() {
    }

    public static byte[] hash(Value v) {
        return hash(v, false);
    }

    /** Like {@link #hash(Value)} but non-negative Ints as unsigned LEB128, as DFINITY's Rust code does. */
    public static byte[] hashRustLedgerStyle(Value v) {
        return hash(v, true);
    }

    private static byte[] hash(Value v, boolean rustInts) {
        // The per-thread digest is taken only after the children are hashed: recursion reuses it.
        if (v instanceof Value.Blob b) {
            return Hashes.sha256(b.bytes());
        } else if (v instanceof Value.Text t) {
            return Hashes.sha256(Value.utf8(t.value()));
        } else if (v instanceof Value.Nat n) {
            return Hashes.sha256(Leb128.unsigned(n.value()));
        } else if (v instanceof Value.Int i) {
            return Hashes.sha256(rustInts && i.value().signum() >= 0 ? Leb128.unsigned(i.value())
                    : Leb128.signed(i.value()));
        } else if (v instanceof Value.Array a) {
            List<byte[]> items = new ArrayList<>(a.items().size());
            for (Value item : a.items()) {
                items.add(hash(item, rustInts));
            }
            MessageDigest md = Hashes.sha256();
            items.forEach(md::update);
            return md.digest();
        } else if (v instanceof Value.Map m) {
            List<byte[]> pairs = new ArrayList<>(m.entries().size());
            for (Value.Entry e : m.entries()) {
                byte[] pair = new byte[64];
                System.arraycopy(Hashes.sha256(Value.utf8(e.key())), 0, pair, 0, 32);
                System.arraycopy(hash(e.value(), rustInts), 0, pair, 32, 32);
                pairs.add(pair);
            }
            pairs.sort(Arrays::compareUnsigned);
            MessageDigest md = Hashes.sha256();
            pairs.forEach(md::update);
            return md.digest();
        }
        throw new IllegalArgumentException("unsupported value type " + v);
    }
}
