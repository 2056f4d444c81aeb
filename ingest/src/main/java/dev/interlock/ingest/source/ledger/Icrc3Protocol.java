package dev.interlock.ingest.source.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.interlock.ic.Icrc3Chain;
import dev.interlock.ic.Principal;
import dev.interlock.ic.ValueJson;
import dev.interlock.ic.agent.Icrc3Client;
import dev.interlock.ic.candid.Icrc3Candid;
import dev.interlock.ingest.normalise.Icrc3BlockDecoder;
import dev.interlock.model.MalformedRecordException;

/**
 * ICRC-3 ledgers: blocks by {@code icrc3_get_blocks} (archive callbacks followed), each hashed as an
 * ICRC-3 {@code Value} and chained by {@code phash}; the tip by {@code icrc3_get_tip_certificate}.
 * Blocks of types this version does not know are kept, chained and published with their raw Value.
 */
public final class Icrc3Protocol implements LedgerProtocol {
    private final Icrc3Client client;
    private final String ledger;

    public Icrc3Protocol(Icrc3Client client) {
        this.client = client;
        this.ledger = client.ledger().toString();
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
    public Page read(long start, int length) {
        Icrc3Client.Blocks got = client.getBlocks(start, length);
        List<Fetched> contiguous = new ArrayList<>(got.blocks().size());
        long next = start;
        for (Icrc3Candid.Block b : got.blocks()) {
            if (b.id().signum() < 0 || b.id().bitLength() > 63 || b.id().longValue() != next) {
                break; // a hole (an archive answered short) or a stray block: read again from here next time
            }
            contiguous.add(fetched(next, b));
            next++;
        }
        return new Page(start, got.logLength().bitLength() > 63 ? Long.MAX_VALUE : got.logLength().longValue(), contiguous,
                Optional.empty());
    }

    private Fetched fetched(long index, Icrc3Candid.Block b) {
        Icrc3Chain.Link link = Icrc3Chain.link(b.block());
        if (link.problem() != null) {
            return Fetched.unreadable(index, link.problem());
        }
        try {
            return new Fetched(index, link.hash(), link.parent(), Icrc3BlockDecoder.decode(ledger, index, link.hash(), b.block())
                    .withVerification(null, ValueJson.write(b.block())), link.unknownType(), null);
        } catch (MalformedRecordException | ArithmeticException e) {
            return Fetched.unreadable(index, e.getMessage());
        }
    }

    @Override
    public Optional<Tip> certifiedTip(Page atTip) {
        return client.tip().map(t -> new Tip(t.lastBlockIndex().longValueExact(), t.lastBlockHash()));
    }
}
