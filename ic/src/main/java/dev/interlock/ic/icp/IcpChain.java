package dev.interlock.ic.icp;

import java.util.Optional;

import dev.interlock.ic.HashChain;

/**
 * Follows the ICP ledger's hash chain: every block after the first names the SHA-256 of the previous
 * encoded block as its parent; block 0 has no parent. Feed blocks in index order, across archive
 * boundaries; {@link #accept} returns the break it found, if any, and does not advance past it.
 */
public final class IcpChain {
    private final HashChain chain;

    /** Starts at genesis. */
    public IcpChain() {
        this(new HashChain());
    }

    /** Resumes after a verified block: {@code nextIndex} with the hash of block {@code nextIndex - 1}. */
    public IcpChain(long nextIndex, byte[] previousHash) {
        this(new HashChain(nextIndex, previousHash));
    }

    private IcpChain(HashChain chain) {
        this.chain = chain;
    }

    /** See {@link HashChain#trustingFirst(long)}. */
    public static IcpChain trustingFirst(long index) {
        return new IcpChain(HashChain.trustingFirst(index));
    }

    public Optional<HashChain.Break> accept(IcpBlock b) {
        return chain.accept(b.index(), b.parentHash().orElse(null), b.hash());
    }

    /** Checks the chain's tip against the ICP ledger's certified data (the raw 32-byte hash of the last block). */
    public Optional<HashChain.Break> checkCertifiedTip(byte[] certifiedData) {
        byte[] tip = chain.previousHash() == null ? new byte[32] : chain.previousHash();
        if (!java.security.MessageDigest.isEqual(tip, certifiedData)) {
            return Optional.of(new HashChain.Break(chain.nextIndex() - 1, "certified tip mismatch", HashChain.hex(certifiedData),
                    HashChain.hex(tip)));
        }
        return Optional.empty();
    }

    public long nextIndex() {
        return chain.nextIndex();
    }

    public byte[] previousHash() {
        return chain.previousHash();
    }
}
