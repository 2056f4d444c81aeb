package dev.interlock.ingest.source.ledger;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.interlock.ic.Icrc3Chain;
import dev.interlock.ic.Principal;
import dev.interlock.ic.ValueJson;
import dev.interlock.ic.agent.IcException;
import dev.interlock.ic.agent.Icrc3Client;
import dev.interlock.ic.candid.Icrc3Candid;
import dev.interlock.ic.cert.TipCertificate;
import dev.interlock.ingest.normalise.Icrc3BlockDecoder;
import dev.interlock.ingest.source.Source;
import dev.interlock.ingest.source.SourceBatch;
import dev.interlock.ingest.source.SourceException;
import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.Evidence;
import dev.interlock.model.IngestRecord;
import dev.interlock.model.Json;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.Severity;

/**
 * Follows an ICRC-3 ledger: reads blocks from the cursor in pages (archives included), checks each
 * block's parent hash against the previous block's hash, compares the chain's tip with the ledger's
 * certified tip when it reaches it, and publishes the blocks with the cursor in one transaction.
 * A break in the chain raises one LEDGER_INTEGRITY alert with the evidence; the cursor stays before the
 * broken block and later polls back off until the ledger serves a chain that holds.
 *
 * <p>The cursor is JSON: {@code {"next": index, "prev": "hex of block next-1"}}.
 */
public final class Icrc3LedgerSource implements Source {
    /** Where to begin when there is no cursor yet. */
    public sealed interface Start {
        record Genesis() implements Start {
        }

        /** The next block to be appended; history before it is not read. */
        record Tip() implements Start {
        }

        record At(long index) implements Start {
        }
    }

    private final String id;
    private final Icrc3Client client;
    private final Start start;
    private final int pagesPerPoll;
    private final Duration pollInterval;
    private String reportedBreak;
    private volatile boolean behind;
    private volatile long lag = -1;

    public Icrc3LedgerSource(String id, Icrc3Client client, Start start, int pagesPerPoll, Duration pollInterval) {
        this.id = id;
        this.client = client;
        this.start = start;
        this.pagesPerPoll = pagesPerPoll;
        this.pollInterval = pollInterval;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Duration pollInterval() {
        return pollInterval;
    }

    @Override
    public long lag() {
        return lag;
    }

    /** No pause while the ledger has more blocks than the last poll read. */
    @Override
    public Duration pauseAfter(SourceBatch batch) {
        return behind && reportedBreak == null ? Duration.ZERO : pollInterval;
    }

    @Override
    public SourceBatch poll(String cursor) throws SourceException {
        try {
            return read(cursor);
        } catch (IcException.Rejected e) {
            throw new SourceException(SourceException.Reason.REJECTED_BY_PEER, true, "ledger " + client.ledger() + ": " + e.getMessage(), e);
        } catch (IcException.Transport e) {
            throw new SourceException(SourceException.Reason.UNREACHABLE, true, "ledger " + client.ledger() + ": " + e.getMessage(), e);
        }
    }

    private SourceBatch read(String cursor) throws SourceException {
        Icrc3Chain chain = cursor == null ? initial() : resume(cursor);
        String ledger = client.ledger().toString();
        // A block is published only once something vouches for it: its successor's parent hash, or the
        // certified tip. Until then it is held back and the cursor stays before it.
        List<LedgerBlock> accepted = new ArrayList<>();
        List<byte[]> hashBefore = new ArrayList<>();
        BigInteger logLength = null;
        for (int page = 0; page < pagesPerPoll; page++) {
            Icrc3Client.Blocks blocks = client.getBlocks(chain.nextIndex(), Icrc3Client.DEFAULT_PAGE);
            logLength = blocks.logLength();
            for (Icrc3Candid.Block b : blocks.blocks()) {
                long index = b.id().longValueExact();
                byte[] before = chain.previousHash();
                Optional<Icrc3Chain.Verdict> v = chain.accept(index, b.block());
                if (v.isEmpty()) {
                    return broken(accepted, hashBefore, chain.lastBreak(), cursor, chain);
                }
                accepted.add(Icrc3BlockDecoder.decode(ledger, index, v.get().hash(), b.block())
                        .withVerification(LedgerBlock.VERIFIED_CHAIN, ValueJson.write(b.block())));
                hashBefore.add(before);
            }
            if (blocks.blocks().isEmpty() || BigInteger.valueOf(chain.nextIndex()).compareTo(logLength) >= 0) {
                break;
            }
        }
        behind = logLength != null && BigInteger.valueOf(chain.nextIndex()).compareTo(logLength) < 0;
        if (logLength != null) {
            lag = Math.max(0, logLength.subtract(BigInteger.valueOf(chain.nextIndex())).longValue());
        }
        if (accepted.isEmpty()) {
            reportedBreak = null;
            return SourceBatch.of(List.of(), cursor(chain.nextIndex(), chain.previousHash()));
        }
        boolean tipVouched = false;
        if (logLength != null && BigInteger.valueOf(chain.nextIndex()).compareTo(logLength) >= 0) {
            Optional<TipCertificate.Tip> tip = client.tip();
            if (tip.isPresent()) {
                Optional<Icrc3Chain.Break> br = chain.checkTip(tip.get().lastBlockIndex(), tip.get().lastBlockHash());
                if (br.isPresent()) {
                    return broken(accepted, hashBefore, br.get(), cursor, chain);
                }
                tipVouched = tip.get().lastBlockIndex().longValueExact() == chain.nextIndex() - 1;
            }
        }
        reportedBreak = null;
        int last = accepted.size() - 1;
        if (tipVouched) {
            LedgerBlock lb = accepted.get(last);
            accepted.set(last, lb.withVerification(LedgerBlock.VERIFIED_CERTIFIED_TIP, lb.raw()));
            return SourceBatch.of(new ArrayList<>(accepted), cursor(chain.nextIndex(), chain.previousHash()));
        }
        LedgerBlock held = accepted.remove(last);
        return SourceBatch.of(new ArrayList<>(accepted), cursor(held.index(), hashBefore.get(last)));
    }

    /**
     * A break at block i implicates block i-1 too (its hash is what block i disagrees with): both are held
     * back, the blocks before them are published with one alert, and the cursor stays before block i-1.
     * A break already reported, with nothing new before it, backs off instead.
     */
    private SourceBatch broken(List<LedgerBlock> accepted, List<byte[]> hashBefore, Icrc3Chain.Break br, String cursor,
            Icrc3Chain chain) throws SourceException {
        boolean suspectPrevious = !accepted.isEmpty() && accepted.get(accepted.size() - 1).index() == br.index() - 1;
        boolean tipBreak = br.reason().equals("certified tip mismatch");
        List<IngestRecord> out = new ArrayList<>();
        String next;
        List<Long> implicated;
        if (tipBreak || suspectPrevious) {
            // the last accepted block is implicated: hold it back with the break
            int last = accepted.size() - 1;
            out.addAll(accepted.subList(0, last));
            next = cursor(accepted.get(last).index(), hashBefore.get(last));
            implicated = tipBreak ? List.of(br.index()) : List.of(br.index() - 1, br.index());
        } else {
            out.addAll(accepted);
            next = cursor(chain.nextIndex(), chain.previousHash());
            implicated = br.index() > 0 && !"gap".equals(br.reason()) ? List.of(br.index() - 1, br.index()) : List.of(br.index());
        }
        String key = AlertClass.LEDGER_INTEGRITY + "/" + client.ledger() + "/" + br.index() + "/" + br.reason();
        if (key.equals(reportedBreak) && out.isEmpty()) {
            throw new SourceException(SourceException.Reason.REJECTED_BY_PEER, true, "ledger " + client.ledger()
                    + ": chain still broken at block " + br.index() + " (" + br.reason() + ")", null);
        }
        reportedBreak = key;
        String explanation = "Ledger " + client.ledger() + ": block " + br.index() + " breaks the hash chain (" + br.reason()
                + "): expected " + br.expected() + ", got " + br.actual() + ". Blocks " + implicated
                + " are held back; ingestion of this ledger stays before them and retries.";
        out.add(new Alert(Alert.VERSION, key, AlertClass.LEDGER_INTEGRITY, Severity.CRITICAL, client.ledger().toString(),
                List.of(), null, explanation, new Evidence(List.of(), List.of(), List.of(), implicated,
                        client.ledger().toString(), List.of("hash-chain", br.reason()), List.of()),
                System.currentTimeMillis() * 1_000_000L));
        return new SourceBatch(out, List.of(), next);
    }

    private Icrc3Chain initial() {
        if (start instanceof Start.Genesis) {
            return new Icrc3Chain();
        }
        long from = start instanceof Start.At at ? at.index()
                : client.getBlocks(0, 0).logLength().longValueExact();
        if (from == 0) {
            return new Icrc3Chain();
        }
        Icrc3Client.Blocks prev = client.getBlocks(from - 1, 1);
        if (prev.blocks().isEmpty()) {
            throw new IcException.Transport("ledger " + client.ledger() + " has no block " + (from - 1) + " to start after", 200,
                    true, null);
        }
        return new Icrc3Chain(from, dev.interlock.ic.ValueHash.hash(prev.blocks().get(0).block()));
    }

    private static Icrc3Chain resume(String cursor) throws SourceException {
        try {
            JsonNode n = Json.mapper().readTree(cursor);
            long next = n.get("next").asLong();
            JsonNode prev = n.get("prev");
            return new Icrc3Chain(next, prev == null || prev.isNull() ? null : HexFormat.of().parseHex(prev.asText()));
        } catch (Exception e) {
            throw new SourceException(SourceException.Reason.BAD_CONFIGURATION, false, "unreadable ledger cursor '" + cursor + "': "
                    + e.getMessage(), e);
        }
    }

    static String cursor(long next, byte[] prev) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("next", next);
        if (prev == null) {
            n.putNull("prev");
        } else {
            n.put("prev", HexFormat.of().formatHex(prev));
        }
        return n.toString();
    }
}
