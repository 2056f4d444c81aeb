package dev.interlock.ic;

import java.math.BigInteger;
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

    /** An accepted block: its hash and whether its type is unknown here. */
    public record Verdict(byte[] hash, boolean unknownType) {
    }

    /** What one block contributes to the chain: its parent and its hash, or why it cannot be chained. */
    public record Link(byte[] parent, byte[] hash, boolean unknownType, String problem) {
    }

    private final HashChain chain;
    private HashChain.Break lastBreak;

    public Icrc3Chain() {
        this(new HashChain());
    }

    /** Resumes at {@code nextIndex} after block {@code nextIndex - 1} whose hash is {@code previousHash}. */
    public Icrc3Chain(long nextIndex, byte[] previousHash) {
        this(new HashChain(nextIndex, previousHash));
    }

    private Icrc3Chain(HashChain chain) {
        this.chain = chain;
    }

    /** See {@link HashChain#trustingFirst(long)}. */
    public static Icrc3Chain trustingFirst(long index) {
        return new Icrc3Chain(HashChain.trustingFirst(index));
    }

    /** A block's link: the hash is the ICRC-3 hash of the Value; a block that is not a Map cannot be chained. */
    public static Link link(Value block) {
        if (!(block instanceof Value.Map m)) {
            return new Link(null, null, false, "not a Map: " + block.getClass().getSimpleName());
        }
        Value phash = m.get("phash");
        if (phash != null && !(phash instanceof Value.Blob)) {
            return new Link(null, null, false, "phash is a " + phash.getClass().getSimpleName() + ", not a Blob");
        }
        boolean unknown = m.get("btype") instanceof Value.Text t && !KNOWN_BTYPES.contains(t.value());
        return new Link(phash == null ? null : ((Value.Blob) phash).bytes(), ValueHash.hash(block), unknown, null);
    }

    /** Checks the next block; empty means a break (see {@link #lastBreak()}). */
    public Optional<Verdict> accept(long index, Value block) {
        Link link = link(block);
        if (link.problem() != null) {
            lastBreak = new HashChain.Break(index, link.problem(), "an ICRC-3 block", "unusable");
            return Optional.empty();
        }
        lastBreak = chain.accept(index, link.parent(), link.hash()).orElse(null);
        return lastBreak != null ? Optional.empty() : Optional.of(new Verdict(link.hash(), link.unknownType()));
    }

    /** Compares the chain's tip with a certified one. */
    public Optional<HashChain.Break> checkTip(BigInteger lastBlockIndex, byte[] lastBlockHash) {
        return chain.checkTip(lastBlockIndex.longValueExact(), lastBlockHash);
    }

    public HashChain.Break lastBreak() {
        return lastBreak;
    }

    public long nextIndex() {
        return chain.nextIndex();
    }

    public byte[] previousHash() {
        return chain.previousHash();
    }
}
