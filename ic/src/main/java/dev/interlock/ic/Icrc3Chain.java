package dev.interlock.ic;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * Follows an ICRC-3 hash chain: each block's {@code phash} is the ICRC-3 hash of the previous block,
 * block 0 has none. Blocks are fed in index order across archive boundaries; {@link #accept} returns the
 * break it found, if any, and does not advance past it. Blocks whose {@code btype} is not one this
 * version knows are chained like the rest and reported by {@link Verdict#unknownType()}.
 */
public final class Icrc3Chain {
    /** Block types of ICRC-1/2/107 and those DFINITY's ledgers emit. */
    public static final Set<String> KNOWN_BTYPES = Set.of("1burn", "1mint", "1xfer", "2approve", "2xfer", "107feecol");

    /** A break in the chain, with the evidence. */
    public record Break(long index, String reason, String expected, String actual) {
    }

    /** An accepted block: its hash and whether its type is unknown here. */
    public record Verdict(byte[] hash, boolean unknownType) {
    }

    private long nextIndex;
    private byte[] previousHash;
    private Break lastBreak;
    /** The next block's parent is not in view: see {@link #trustingFirst(long)}. */
    private boolean trustFirst;

    public Icrc3Chain() {
        this(0, null);
    }

    /** Resumes at {@code nextIndex} after block {@code nextIndex - 1} whose hash is {@code previousHash}. */
    public Icrc3Chain(long nextIndex, byte[] previousHash) {
        if (nextIndex > 0 && (previousHash == null || previousHash.length != 32)) {
            throw new IllegalArgumentException("resuming at block " + nextIndex + " needs the 32-byte hash of block " + (nextIndex - 1));
        }
        this.nextIndex = nextIndex;
        this.previousHash = previousHash;
    }

    /**
     * Starts at block {@code index} without the block before it: the first block accepted is checked for its index
     * and shape only, its {@code phash} taken on trust (there is nothing to compare it with); the blocks after it
     * are checked as usual. For verifying a range read from the middle of a chain; the caller must say that the
     * range's first link is unchecked.
     */
    public static Icrc3Chain trustingFirst(long index) {
        Icrc3Chain chain = new Icrc3Chain();
        chain.nextIndex = index;
        chain.trustFirst = true;
        return chain;
    }

    /** Checks the next block; empty means a break (see {@link #lastBreak()}). */
    public Optional<Verdict> accept(long index, Value block) {
        lastBreak = check(index, block);
        if (lastBreak != null) {
            return Optional.empty();
        }
        byte[] hash = ValueHash.hash(block);
        previousHash = hash;
        nextIndex++;
        trustFirst = false;
        Value.Map m = (Value.Map) block;
        boolean unknown = m.get("btype") instanceof Value.Text t && !KNOWN_BTYPES.contains(t.value());
        return Optional.of(new Verdict(hash, unknown));
    }

    private Break check(long index, Value block) {
        if (index != nextIndex) {
            return new Break(index, index > nextIndex ? "gap" : "out of order", Long.toString(nextIndex), Long.toString(index));
        }
        if (!(block instanceof Value.Map m)) {
            return new Break(index, "not a Map", "Map", block.getClass().getSimpleName());
        }
        if (trustFirst) {
            return null;
        }
        Value phash = m.get("phash");
        if (index == 0) {
            return phash == null ? null : new Break(0, "block 0 names a parent", "none", describe(phash));
        }
        if (!(phash instanceof Value.Blob p)) {
            return new Break(index, "parent hash missing", hex(previousHash), describe(phash));
        }
        if (!MessageDigest.isEqual(p.bytes(), previousHash)) {
            return new Break(index, "parent hash mismatch", hex(previousHash), hex(p.bytes()));
        }
        return null;
    }

    /** Compares the chain's tip with a certified one. */
    public Optional<Break> checkTip(java.math.BigInteger lastBlockIndex, byte[] lastBlockHash) {
        if (previousHash == null || lastBlockIndex.longValueExact() != nextIndex - 1) {
            return Optional.empty(); // the certified tip is elsewhere: compared when the chain reaches it
        }
        if (!MessageDigest.isEqual(previousHash, lastBlockHash)) {
            return Optional.of(new Break(nextIndex - 1, "certified tip mismatch", hex(lastBlockHash), hex(previousHash)));
        }
        return Optional.empty();
    }

    public Break lastBreak() {
        return lastBreak;
    }

    public long nextIndex() {
        return nextIndex;
    }

    public byte[] previousHash() {
        return previousHash == null ? null : previousHash.clone();
    }

    private static String describe(Value v) {
        return v == null ? "none" : v instanceof Value.Blob b ? hex(b.bytes()) : v.getClass().getSimpleName();
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
