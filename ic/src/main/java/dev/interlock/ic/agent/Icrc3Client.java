package dev.interlock.ic.agent;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.interlock.ic.Principal;
import dev.interlock.ic.candid.CandidDecoder;
import dev.interlock.ic.candid.CandidException;
import dev.interlock.ic.candid.CandidType;
import dev.interlock.ic.candid.CandidValue;
import dev.interlock.ic.candid.Icrc3Candid;
import dev.interlock.ic.cert.TipCertificate;

/**
 * An ICRC-3 ledger read over anonymous queries: {@code icrc3_get_blocks}, following the archive callbacks
 * the ledger returns for ranges it no longer holds, and {@code icrc3_get_tip_certificate}, checked with
 * {@link TipCertificate}.
 */
public final class Icrc3Client {
    /** Real ICRC ledgers and archives return at most 100 blocks per call. */
    public static final int DEFAULT_PAGE = 100;
    /** Archive callbacks followed from one ledger reply: an archive may point to another, never in a loop. */
    public static final int MAX_ARCHIVE_HOPS = 3;
    private static final byte[] NO_ARGS = {'D', 'I', 'D', 'L', 0, 0};
    private static final long CERTIFICATE = CandidType.idOf("certificate");
    private static final long HASH_TREE = CandidType.idOf("hash_tree");

    private final QueryClient client;
    private final Principal ledger;
    private final CandidDecoder.Limits limits;

    public Icrc3Client(QueryClient client, Principal ledger, CandidDecoder.Limits limits) {
        this.client = client;
        this.ledger = ledger;
        this.limits = limits;
    }

    public Principal ledger() {
        return ledger;
    }

    /** Blocks read, in index order, and the ledger's log length when asked. */
    public record Blocks(BigInteger logLength, List<Icrc3Candid.Block> blocks) {
    }

    /**
     * Up to {@code length} blocks from {@code start}: what the ledger returns itself and what its archives
     * return for the ranges it points to. Fewer blocks than asked means the ledger or an archive capped
     * the reply; callers continue from the last index they got.
     */
    public Blocks getBlocks(long start, long length) {
        byte[] arg = Icrc3Candid.encodeGetBlocksArgs(List.of(new Icrc3Candid.Range(BigInteger.valueOf(start),
                BigInteger.valueOf(length))));
        Icrc3Candid.GetBlocksResult r = read(client.query(ledger, "icrc3_get_blocks", arg), ledger);
        List<Icrc3Candid.Block> blocks = new ArrayList<>(r.blocks());
        follow(r.archived(), blocks, 1);
        blocks.sort(Comparator.comparing(Icrc3Candid.Block::id));
        return new Blocks(r.logLength(), blocks);
    }

    /** Archives may point further (an archive of archives); followed up to {@link #MAX_ARCHIVE_HOPS} deep. */
    private void follow(List<Icrc3Candid.Archived> archived, List<Icrc3Candid.Block> into, int depth) {
        for (Icrc3Candid.Archived a : archived) {
            Principal archive = Principal.of(a.callback().canister());
            if (depth > MAX_ARCHIVE_HOPS) {
                throw new IcException.Transport("archive " + archive + " is more than " + MAX_ARCHIVE_HOPS
                        + " callbacks away from the ledger; not followed (a loop?)", 200, false, null);
            }
            Icrc3Candid.GetBlocksResult ar = read(client.query(archive, a.callback().method(),
                    Icrc3Candid.encodeGetBlocksArgs(a.args())), archive);
            into.addAll(ar.blocks());
            follow(ar.archived(), into, depth + 1);
        }
    }

    /** {@code icrc3_get_archives}: every archive of the ledger and the block range it holds. */
    public List<Icrc3Candid.ArchiveInfo> archives() {
        byte[] reply = client.query(ledger, "icrc3_get_archives", Icrc3Candid.encodeGetArchivesArgs(null));
        try {
            return Icrc3Candid.readGetArchivesResult(reply, limits);
        } catch (CandidException e) {
            throw new IcException.Transport(ledger + ".icrc3_get_archives: undecodable reply: " + e.getMessage(), 200, false, e);
        }
    }

    /** {@code icrc3_supported_block_types}: the block types the ledger says it produces. */
    public List<Icrc3Candid.BlockType> supportedBlockTypes() {
        byte[] reply = client.query(ledger, "icrc3_supported_block_types", NO_ARGS);
        try {
            return Icrc3Candid.readSupportedBlockTypes(reply, limits);
        } catch (CandidException e) {
            throw new IcException.Transport(ledger + ".icrc3_supported_block_types: undecodable reply: " + e.getMessage(), 200,
                    false, e);
        }
    }

    private Icrc3Candid.GetBlocksResult read(byte[] reply, Principal from) {
        try {
            return Icrc3Candid.readGetBlocksResult(reply, limits);
        } catch (CandidException e) {
            throw new IcException.Transport(from + ".icrc3_get_blocks: undecodable reply: " + e.getMessage(), 200, false, e);
        }
    }

    /** The certified tip, or empty when the ledger certifies none (an empty chain). */
    public Optional<TipCertificate.Tip> tip() {
        byte[] reply = client.query(ledger, "icrc3_get_tip_certificate", NO_ARGS);
        CandidValue v;
        try {
            CandidDecoder.Message m = CandidDecoder.decode(reply, limits);
            v = m.values().isEmpty() ? null : m.values().get(0);
        } catch (CandidException e) {
            throw new IcException.Transport(ledger + ".icrc3_get_tip_certificate: undecodable reply: " + e.getMessage(), 200,
                    false, e);
        }
        if (!(v instanceof CandidValue.Opt opt)) {
            throw new IcException.Transport(ledger + ".icrc3_get_tip_certificate: expected opt DataCertificate", 200, false, null);
        }
        if (opt.value() == null) {
            return Optional.empty();
        }
        if (!(opt.value() instanceof CandidValue.Record rec) || !(rec.fields().get(CERTIFICATE) instanceof CandidValue.Blob cert)
                || !(rec.fields().get(HASH_TREE) instanceof CandidValue.Blob tree)) {
            throw new IcException.Transport(ledger + ".icrc3_get_tip_certificate: DataCertificate lacks certificate or hash_tree",
                    200, false, null);
        }
        return Optional.of(TipCertificate.check(ledger, cert.bytes(), tree.bytes()));
    }
}
