package dev.interlock.ingest.source.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.interlock.ic.Icrc3Chain;
import dev.interlock.ic.Principal;
import dev.interlock.ic.Value;
import dev.interlock.ic.ValueHash;
import dev.interlock.ic.ValueJson;
import dev.interlock.ic.agent.Icrc3Client;
import dev.interlock.ic.candid.Icrc3Candid;
import dev.interlock.ingest.normalise.Icrc3BlockDecoder;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.MalformedRecordException;

/**
 * ICRC-3 ledgers: blocks by {@code icrc3_get_blocks} (archive callbacks followed), each hashed as an
 * ICRC-3 {@code Value} and chained by {@code phash}; the tip by {@code icrc3_get_tip_certificate}.
 * Blocks of types this version does not know are kept, chained and published with their raw Value.
 */
public final class Icrc3Protocol implements LedgerProtocol<Icrc3Candid.Block> {
    private final Icrc3Client client;

    public Icrc3Protocol(Icrc3Client client) {
        this.client = client;
    }

    @Override
    public String kind() {
        return "icrc";
    }

    @Override
    public Principal ledger() {
        return client.ledger();
    }

    @Override
    public int pageSize() {
        return Icrc3Client.DEFAULT_PAGE;
    }

    @Override
    public Page<Icrc3Candid.Block> read(long start, int length) {
        Icrc3Client.Blocks got = client.getBlocks(start, length);
        List<Icrc3Candid.Block> contiguous = new ArrayList<>(got.blocks().size());
        long next = start;
        for (Icrc3Candid.Block b : got.blocks()) {
            if (b.id().signum() < 0 || b.id().bitLength() > 63 || b.id().longValue() != next) {
                break; // a hole (an archive answered short) or a stray block: read again from here next time
            }
            contiguous.add(b);
            next++;
        }
        return new Page<>(start, got.logLength().bitLength() > 63 ? Long.MAX_VALUE : got.logLength().longValue(), contiguous,
                Optional.empty());
    }

    @Override
    public byte[] hash(long index, Icrc3Candid.Block block) {
        return ValueHash.hash(block.block());
    }

    @Override
    public Optional<Tip> certifiedTip(Page<Icrc3Candid.Block> atTip) {
        return client.tip().map(t -> new Tip(t.lastBlockIndex().longValueExact(), t.lastBlockHash()));
    }

    @Override
    public Chain<Icrc3Candid.Block> chain(long nextIndex, byte[] previousHash) {
        Icrc3Chain chain = new Icrc3Chain(nextIndex, previousHash);
        String ledger = client.ledger().toString();
        return new Chain<>() {
            @Override
            public Checked accept(long index, Icrc3Candid.Block block) {
                Value v = block.block();
                Optional<Icrc3Chain.Verdict> verdict = chain.accept(index, v);
                if (verdict.isEmpty()) {
                    Icrc3Chain.Break b = chain.lastBreak();
                    return new Checked.Broken(new Break(b.index(), b.reason(), b.expected(), b.actual()));
                }
                try {
                    return new Checked.Verified(Icrc3BlockDecoder.decode(ledger, index, verdict.get().hash(), v)
                            .withVerification(LedgerBlock.VERIFIED_CHAIN, ValueJson.write(v)));
                } catch (MalformedRecordException | ArithmeticException e) {
                    return new Checked.Broken(new Break(index, "undecodable block: " + e.getMessage(), "an ICRC-3 block", "unreadable"));
                }
            }

            @Override
            public Optional<Break> checkTip(Tip tip) {
                return chain.checkTip(java.math.BigInteger.valueOf(tip.index()), tip.hash())
                        .map(b -> new Break(b.index(), b.reason(), b.expected(), b.actual()));
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
