package dev.interlock.ingest.source.ledger;

import java.util.List;
import java.util.Optional;

import dev.interlock.ic.Principal;
import dev.interlock.model.LedgerBlock;

/**
 * How one kind of ledger is read and checked ({@link Icrc3Protocol}, {@link IcpProtocol}). The
 * {@link LedgerSource} does the rest, the same for every kind: paging, concurrent fetches, holding back
 * blocks nothing vouches for yet, alerts and cursors. {@code B} is a block as received.
 */
public interface LedgerProtocol<B> {
    /** The value of {@code interlock.ingest.ledgers.<name>.kind} that selects this protocol. */
    String kind();

    Principal ledger();

    /** Blocks the ledger and its archives return per call at most. */
    int pageSize();

    /**
     * Up to {@code length} blocks from {@code start}, contiguous and in order (archives followed), with the
     * ledger's length at the time; fewer blocks than asked when a cap was hit.
     */
    Page<B> read(long start, int length);

    /** A chain resuming at {@code nextIndex} after the block whose hash is {@code previousHash} (null at genesis). */
    Chain<B> chain(long nextIndex, byte[] previousHash);

    /** The hash of a block as received (to start after it). */
    byte[] hash(long index, B block);

    /**
     * The ledger's certified tip, read after {@code atTip} (the page that reached the end of the chain);
     * empty when the ledger certifies none.
     *
     * @throws IllegalArgumentException when the certificate does not hold together (a forged hash tree)
     */
    Optional<Tip> certifiedTip(Page<B> atTip);

    /** Blocks read from {@code start}, the ledger's length, and the certificate that came with them, if any. */
    record Page<B>(long start, long logLength, List<B> blocks, Optional<byte[]> certificate) {
        public long end() {
            return start + blocks.size();
        }
    }

    /** A certified tip: the index and hash of the ledger's last block. */
    record Tip(long index, byte[] hash) {
    }

    /** A break in the chain, with the evidence. */
    record Break(long index, String reason, String expected, String actual) {
    }

    /** The result of checking one block: verified and normalised, or a break. */
    sealed interface Checked {
        record Verified(LedgerBlock block) implements Checked {
        }

        record Broken(Break evidence) implements Checked {
        }
    }

    /** A hash chain being followed; it does not advance past a break. */
    interface Chain<B> {
        /** Checks the next block and, when it holds, normalises it (verification level: chain). */
        Checked accept(long index, B block);

        /** Compares the chain's tip with a certified one; empty when they agree or the certified tip is elsewhere. */
        Optional<Break> checkTip(Tip tip);

        long nextIndex();

        byte[] previousHash();
    }
}
