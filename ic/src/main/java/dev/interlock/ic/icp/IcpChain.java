package dev.interlock.ic.icp;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Follows the ICP ledger's hash chain: every block after the first names the SHA-256 of the previous
 * encoded block as its parent; block 0 has no parent. Feed blocks in index order, across archive
 * boundaries; {@link #accept} returns the break it found, if any, and does not advance past it.
 */
public final class IcpChain {
    /** A break in the chain, with the evidence. */
    public record Break(long index, String reason, String expected, String actual) {
    }

    private long nextIndex;
    private byte[] previousHash;
    /** The next block's parent is not in view: see {@link #trustingFirst(long)}. */
    private boolean trustFirst;

    /** Starts at genesis. */
    public IcpChain() {
        this(0, null);
    }

    /** Resumes after a verified block: {@code nextIndex} with the hash of block {@code nextIndex - 1}. */
    public IcpChain(long nextIndex, byte[] previousHash) {
        if (nextIndex > 0 && (previousHash == null || previousHash.length != 32)) {
            throw new IllegalArgumentException("resuming at block " + nextIndex + " needs the 32-byte hash of block " + (nextIndex - 1));
        }
        this.nextIndex = nextIndex;
        this.previousHash = previousHash;
    }

    /**
     * Starts at block {@code index} without the block before it: the first block accepted is checked for its index
     * only, its parent hash taken on trust (there is nothing to compare it with); the blocks after it are checked as
     * usual. For verifying a range read from the middle of a chain; the caller must say that the range's first link
     * is unchecked.
     */
    public static IcpChain trustingFirst(long index) {
        IcpChain chain = new IcpChain();
        chain.nextIndex = index;
        chain.trustFirst = true;
        return chain;
    }

    public Optional<Break> accept(IcpBlock b) {
        if (b.index() != nextIndex) {
            return Optional.of(new Break(b.index(), b.index() > nextIndex ? "gap" : "out of order", Long.toString(nextIndex),
                    Long.toString(b.index())));
        }
        Optional<byte[]> parent = b.parentHash();
        if (trustFirst) {
            trustFirst = false; // nothing below fails: the block is accepted
        } else if (nextIndex == 0) {
            if (parent.isPresent()) {
                return Optional.of(new Break(0, "block 0 names a parent", "none", hex(parent.get())));
            }
        } else if (parent.isEmpty()) {
            return Optional.of(new Break(b.index(), "parent hash missing", hex(previousHash), "none"));
        } else if (!MessageDigest.isEqual(parent.get(), previousHash)) {
            return Optional.of(new Break(b.index(), "parent hash mismatch", hex(previousHash), hex(parent.get())));
        }
        previousHash = b.hash();
        nextIndex++;
        return Optional.empty();
    }

    /** Checks the chain's tip against the ICP ledger's certified data (the raw 32-byte hash of the last block). */
    public Optional<Break> checkCertifiedTip(byte[] certifiedData) {
        byte[] tip = previousHash == null ? new byte[32] : previousHash;
        if (!MessageDigest.isEqual(tip, certifiedData)) {
            return Optional.of(new Break(nextIndex - 1, "certified tip mismatch", hex(certifiedData), hex(tip)));
        }
        return Optional.empty();
    }

    public long nextIndex() {
        return nextIndex;
    }

    public byte[] previousHash() {
        return previousHash == null ? null : previousHash.clone();
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
