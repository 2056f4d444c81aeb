package dev.interlock.ingest.source.ledger;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import dev.interlock.ic.Principal;
import dev.interlock.ic.agent.IcpLedgerClient;
import dev.interlock.ic.icp.IcpBlock;
import dev.interlock.ingest.normalise.IcpBlockDecoder;

/**
 * The ICP ledger: protobuf-encoded blocks by {@code query_encoded_blocks} (archives by
 * {@code get_encoded_blocks}), each hashed as SHA-256 of the bytes received and chained by its
 * {@code parent_hash}; the tip is the raw hash the ledger certifies in the reply's {@code certificate}.
 */
public final class IcpProtocol implements LedgerProtocol {
    private final IcpLedgerClient client;
    private final String ledger;

    public IcpProtocol(IcpLedgerClient client) {
        this.client = client;
        this.ledger = client.ledger().toString();
    }

    @Override
    public String kind() {
        return "icp";
    }

    @Override
    public Principal ledger() {
        return client.ledger();
    }

    @Override
    public int pageSize() {
        return IcpLedgerClient.DEFAULT_PAGE;
    }

    @Override
    public Page read(long start, int length) {
        IcpLedgerClient.Blocks b = client.getBlocks(start, length);
        List<Fetched> out = new ArrayList<>(b.encoded().size());
        for (int i = 0; i < b.encoded().size(); i++) {
            out.add(fetched(start + i, b.encoded().get(i)));
        }
        return new Page(start, b.chainLength(), out, b.certificate());
    }

    private Fetched fetched(long index, byte[] encoded) {
        IcpBlock block;
        try {
            block = IcpBlock.decode(index, encoded);
        } catch (IllegalArgumentException e) {
            return Fetched.unreadable(index, e.getMessage());
        }
        return new Fetched(index, block.hash(), block.parentHash().orElse(null),
                IcpBlockDecoder.decode(ledger, block).withVerification(null, HexFormat.of().formatHex(encoded)), false, null);
    }

    @Override
    public Optional<Tip> certifiedTip(Page atTip) {
        if (atTip.logLength() == 0 || atTip.certificate().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Tip(atTip.logLength() - 1, client.certifiedTipHash(atTip.certificate().get())));
    }
}
