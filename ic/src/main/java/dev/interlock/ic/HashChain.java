package dev.interlock.ic;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A ledger's hash chain, whatever the ledger hashes: every block after the first names the hash of the
 * previous block as its parent, block 0 has none. Feed each block's index, parent hash and own hash in
 * index order (across archive boundaries); {@link #accept} returns the break it found, if any, and does
 * not advance past it. {@link Icrc3Chain} and {@link dev.interlock.ic.icp.IcpChain} extract these from
 * their block formats.
 */
public final class HashChain {
    /** A break in the chain, with the evidence. */
    public record Break(long index, String reason, String expected, String actual) {
    }

    private long nextIndex;
    private byte[] previousHash;
    /** The next block's parent is not in view: see {@link #trustingFirst(long)}. */
    private boolean trustFirst;

    /** Starts at genesis. */
    public HashChain() {
        this(0, null);
    }

    /** Resumes at {@code nextIndex} after block {@code nextIndex - 1} whose hash is {@code previousHash}. */
    public HashChain(long nextIndex, byte[] previousHash) {
        if (nextIndex > 0 && (previousHash == null || previousHash.length != 32)) {
            throw new IllegalArgumentException("resuming at block " + nextIndex + " needs the 32-byte hash of block " + (nextIndex - 1));
        }
        this.nextIndex = nextIndex;
        this.previousHash = previousHash == null ? null : previousHash.clone();
    }

    /**
     * Starts at block {@code index} without the block before it: the first block accepted is checked for its
     * index only, its parent hash taken on trust (there is nothing to compare it with); the blocks after it are
     * checked as usual. For verifying a range read from the middle of a chain; the caller must say that the
     * range's first link is unchecked.
     */
    public static HashChain trustingFirst(long index) {
        HashChain chain = new HashChain();
        chain.nextIndex = index;
        chain.trustFirst = true;
        return chain;
    }

    /**
     * Checks the next block: its index, and its parent hash ({@code parent}, null when the block names none)
     * against the hash of the block before it. On success the chain moves past the block, whose hash is
     * {@code hash}.
     */
    public Optional<Break> accept(long index, byte[] parent, byte[] hash) {
        if (index != nextIndex) {
            return Optional.of(new Break(index, index > nextIndex ? "gap" : "out of order", Long.toString(nextIndex),
                    Long.toString(index)));
        }
        if (trustFirst) {
            trustFirst = false;
        } else if (nextIndex == 0) {
            if (parent != null) {
                return Optional.of(new Break(0, "block 0 names a parent", "none", hex(parent)));
            }
        } else if (parent == null) {
            return Optional.of(new Break(index, "parent hash missing", hex(previousHash), "none"));
        } else if (!MessageDigest.isEqual(parent, previousHash)) {
            return Optional.of(new Break(index, "parent hash mismatch", hex(previousHash), hex(parent)));
        }
        previousHash = hash;
        nextIndex++;
        return Optional.empty();
    }

    /**
     * Compares the chain's tip with a certified one ({@code index}, {@code hash}): a mismatch when the chain
     * has reached that index with another hash; empty when they agree or the chain is elsewhere.
     */
    public Optional<Break> checkTip(long index, byte[] hash) {
        if (previousHash == null || index != nextIndex - 1) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(previousHash, hash)) {
            return Optional.of(new Break(index, "certified tip mismatch", hex(hash), hex(previousHash)));
        }
        return Optional.empty();
    }

    public long nextIndex() {
        return nextIndex;
    }

    /** The hash of block {@code nextIndex() - 1}, null at genesis. */
    public byte[] previousHash() {
        return previousHash == null ? null : previousHash.clone();
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
