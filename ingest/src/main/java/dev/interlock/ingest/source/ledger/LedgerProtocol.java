package dev.interlock.ingest.source.ledger;

import java.util.List;
import java.util.Optional;

import dev.interlock.ic.Principal;
import dev.interlock.model.LedgerBlock;

/**
 * How one kind of ledger is read ({@link Icrc3Protocol}, {@link IcpProtocol}): the calls, the hash of a
 * block and its normalised form. The {@link LedgerSource} does the rest, the same for every kind: paging,
 * concurrent fetches, the hash chain, holding back blocks nothing vouches for yet, alerts and cursors.
 */
public interface LedgerProtocol {
    /** The value of {@code interlock.ingest.ledgers.<name>.kind} that selects this protocol. */
    String kind();

    Principal ledger();

    /** Blocks the ledger and its archives return per call at most. */
    int pageSize();

    /**
     * Up to {@code length} blocks from {@code start}, contiguous and in order (archives followed), each
     * hashed and normalised, with the ledger's length at the time; fewer blocks than asked when a cap was
     * hit. Runs on several threads at once for different ranges.
     */
    Page read(long start, int length);

    /**
     * The ledger's certified tip, read after {@code atTip} (the page that reached the end of the chain);
     * empty when the ledger certifies none.
     *
     * @throws IllegalArgumentException when the certificate does not hold together (a forged hash tree)
     */
    Optional<Tip> certifiedTip(Page atTip);

    /** Blocks read from {@code start}, the ledger's length, and the certificate that came with them, if any. */
    record Page(long start, long logLength, List<Fetched> blocks, Optional<byte[]> certificate) {
        public long end() {
            return start + blocks.size();
        }
    }

    /**
     * One block as received: its hash, the parent hash it names (null: none), its normalised form
     * (verification not yet set) and whether its type is one this version does not know (kept and chained
     * all the same); or, when it cannot be read, what is wrong with it.
     */
    record Fetched(long index, byte[] hash, byte[] parent, LedgerBlock block, boolean unknownType, String problem) {
        public static Fetched unreadable(long index, String problem) {
            return new Fetched(index, null, null, null, false, problem);
        }
    }

    /** A certified tip: the index and hash of the ledger's last block. */
    record Tip(long index, byte[] hash) {
    }
}
