package dev.interlock.ic.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.interlock.ic.Principal;
import dev.interlock.ic.candid.CandidDecoder;
import dev.interlock.ic.candid.CandidException;
import dev.interlock.ic.candid.IcpCandid;
import dev.interlock.ic.cert.Certificate;

/**
 * The ICP ledger read over anonymous queries: {@code query_encoded_blocks} returns the blocks it still
 * holds as protobuf bytes, ranges moved to archives as callbacks ({@code get_encoded_blocks}), the
 * chain length and a certificate of the raw 32-byte hash of the last block. Blocks are returned as
 * received: hashing and decoding are {@link dev.interlock.ic.icp.IcpBlock}'s.
 */
public final class IcpLedgerClient {
    /** The ICP ledger and its archives return at most 2,000 blocks per call. */
    public static final int DEFAULT_PAGE = 2_000;

    private final QueryClient client;
    private final Principal ledger;
    private final CandidDecoder.Limits limits;

    public IcpLedgerClient(QueryClient client, Principal ledger, CandidDecoder.Limits limits) {
        this.client = client;
        this.ledger = ledger;
        this.limits = limits;
    }

    public Principal ledger() {
        return ledger;
    }

    /** Encoded blocks from {@code firstIndex} on, in order, the chain length, and the ledger's certificate if it sent one. */
    public record Blocks(long chainLength, long firstIndex, List<byte[]> encoded, Optional<byte[]> certificate) {
    }

    /**
     * Up to {@code length} encoded blocks from {@code start}, archives included. Fewer blocks than asked
     * means a cap was hit; callers continue after the last block they got. A hole (an archive that
     * answered fewer blocks than its range, followed by the ledger's own) ends the answer before the hole.
     */
    public Blocks getBlocks(long start, long length) {
        byte[] arg = IcpCandid.encodeGetBlocksArgs(start, length);
        IcpCandid.EncodedBlocks r;
        try {
            r = IcpCandid.read(client.query(ledger, "query_encoded_blocks", arg), limits);
        } catch (CandidException e) {
            throw new IcException.Transport(ledger + ".query_encoded_blocks: undecodable reply: " + e.getMessage(), 200, false, e);
        }
        List<byte[]> out = new ArrayList<>();
        long next = start;
        for (IcpCandid.ArchivedRange a : r.archived().stream().sorted((x, y) -> Long.compare(x.start(), y.start())).toList()) {
            if (a.start() != next) {
                return new Blocks(r.chainLength(), start, out, r.certificate());
            }
            Principal archive = Principal.of(a.callback().canister());
            List<byte[]> got;
            try {
                got = IcpCandid.readArchiveReply(client.query(archive, a.callback().method(),
                        IcpCandid.encodeGetBlocksArgs(a.start(), a.length())), limits);
            } catch (CandidException e) {
                throw new IcException.Transport(archive + "." + a.callback().method() + ": " + e.getMessage(), 200, false, e);
            }
            if (got.size() > a.length()) {
                throw new IcException.Transport(archive + "." + a.callback().method() + " returned " + got.size()
                        + " blocks for a range of " + a.length(), 200, false, null);
            }
            out.addAll(got);
            next += got.size();
            if (got.size() < a.length()) {
                return new Blocks(r.chainLength(), start, out, r.certificate());
            }
        }
        if (!r.blocks().isEmpty() && r.firstBlockIndex() == next) {
            out.addAll(r.blocks());
        }
        return new Blocks(r.chainLength(), start, out, r.certificate());
    }

    /**
     * The raw tip hash the ledger certified in {@code certificate}, after checking that the certificate's
     * delegation (if any) covers the ledger. The BLS signature is not verified (see docs/ledger-verification.md).
     */
    public byte[] certifiedTipHash(byte[] certificate) {
        Certificate cert = Certificate.fromCbor(certificate);
        byte[] data = cert.certifiedData(ledger);
        cert.checkDelegationCovers(ledger);
        if (data.length != 32) {
            throw new IllegalArgumentException("ICP ledger certificate: certified data has " + data.length + " bytes, not a 32-byte tip hash");
        }
        return data;
    }
}
