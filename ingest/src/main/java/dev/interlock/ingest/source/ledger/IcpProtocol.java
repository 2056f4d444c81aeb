package dev.interlock.ingest.source.ledger;

import java.util.HexFormat;
import java.util.Optional;

import dev.interlock.ic.Principal;
import dev.interlock.ic.agent.IcpLedgerClient;
import dev.interlock.ic.icp.IcpBlock;
import dev.interlock.ic.icp.IcpChain;
import dev.interlock.ingest.normalise.IcpBlockDecoder;
import dev.interlock.model.LedgerBlock;

/**
 * The ICP ledger: protobuf-encoded blocks by {@code query_encoded_blocks} (archives by
 * {@code get_encoded_blocks}), each hashed as SHA-256 of the bytes received and chained by its
 * {@code parent_hash}; the tip is the raw hash the ledger certifies in the reply's {@code certificate}.
 */
public final class IcpProtocol implements LedgerProtocol<byte[]> {
    private final IcpLedgerClient client;

    public IcpProtocol(IcpLedgerClient client) {
        this.client = client;
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
    public Page<byte[]> read(long start, int length) {
        IcpLedgerClient.Blocks b = client.getBlocks(start, length);
        return new Page<>(start, b.chainLength(), b.encoded(), b.certificate());
    }

    @Override
    public byte[] hash(long index, byte[] block) {
        return dev.interlock.ic.Hashes.sha256(block);
    }

    @Override
    public Optional<Tip> certifiedTip(Page<byte[]> atTip) {
        if (atTip.logLength() == 0 || atTip.certificate().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Tip(atTip.logLength() - 1, client.certifiedTipHash(atTip.certificate().get())));
    }

    @Override
    public Chain<byte[]> chain(long nextIndex, byte[] previousHash) {
        IcpChain chain = new IcpChain(nextIndex, previousHash);
        String ledger = client.ledger().toString();
        return new Chain<>() {
            @Override
            public Checked accept(long index, byte[] encoded) {
                IcpBlock block;
                try {
                    block = IcpBlock.decode(index, encoded);
                } catch (IllegalArgumentException e) {
                    return new Checked.Broken(new Break(index, "undecodable block: " + e.getMessage(), "a protobuf ICP Block",
                            "sha256 " + HexFormat.of().formatHex(dev.interlock.ic.Hashes.sha256(encoded))));
                }
                Optional<IcpChain.Break> br = chain.accept(block);
                if (br.isPresent()) {
                    IcpChain.Break b = br.get();
                    return new Checked.Broken(new Break(b.index(), b.reason(), b.expected(), b.actual()));
                }
                return new Checked.Verified(IcpBlockDecoder.decode(ledger, block)
                        .withVerification(LedgerBlock.VERIFIED_CHAIN, HexFormat.of().formatHex(encoded)));
            }

            @Override
            public Optional<Break> checkTip(Tip tip) {
                if (tip.index() != chain.nextIndex() - 1) {
                    return Optional.empty();
                }
                return chain.checkCertifiedTip(tip.hash()).map(b -> new Break(b.index(), b.reason(), b.expected(), b.actual()));
            }

            @Override
            public long nextIndex() {
                return chain.nextIndex();
            }

            @Override
            public byte[] previousHash() {
                return chain.previousHash();
            }
        };
    }
}
