package dev.interlock.ingest.source.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.interlock.ic.agent.IcException;
import dev.interlock.ingest.source.Source;
import dev.interlock.ingest.source.SourceBatch;
import dev.interlock.ingest.source.SourceException;
import dev.interlock.ic.HashChain;
import dev.interlock.ic.HashChain.Break;
import dev.interlock.ingest.source.ledger.LedgerProtocol.Fetched;
import dev.interlock.ingest.source.ledger.LedgerProtocol.Page;
import dev.interlock.ingest.source.ledger.LedgerProtocol.Tip;
import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.Evidence;
import dev.interlock.model.IngestRecord;
import dev.interlock.model.Json;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.Severity;

/**
 * Follows a ledger of any kind ({@link LedgerProtocol}): reads blocks from the cursor in pages (the first
 * page, then up to {@code pagesPerPoll - 1} more fetched concurrently), checks each block's parent hash
 * against the previous block's hash (across archives), compares the chain's tip with the ledger's
 * certified tip when it reaches it, and hands the blocks and the new cursor to the publisher, which
 * commits them in one transaction.
 *
 * <p>A block is published only once something vouches for it: its successor's parent hash, or the
 * certified tip; until then it is held back and the cursor stays before it. A break in the chain raises
 * one LEDGER_INTEGRITY alert with the evidence; the cursor stays before the implicated blocks and later
 * polls back off until the ledger serves a chain that holds.
 *
 * <p>The cursor is JSON: {@code {"next": index, "prev": "hex of the hash of block next-1"}}.
 */
public final class LedgerSource implements Source {
    private static final Logger LOG = Logger.getLogger(LedgerSource.class);
    private static final String BAD_CERTIFICATE = "certificate does not hold";
    private static final String MISSING = "missing block";
    private static final String UNDECODABLE = "undecodable block";
    private static final String UNREADABLE_REPLY = "unreadable reply";

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
    private final LedgerProtocol protocol;
    private final Start start;
    private final int pagesPerPoll;
    private final Duration pollInterval;
    private final ExecutorService fetchers;
    private volatile String reportedBreak;
    private volatile boolean behind;
    private volatile long lag = -1;
    private volatile long logLength = -1;
    private volatile long nextIndex = -1;
    private volatile String verifiedTip;
    private volatile String lastBreak;
    /** Blocks of types this version does not know, by type: kept, chained and published, and counted here. */
    private final Map<String, Long> unknownTypes = new java.util.concurrent.ConcurrentSkipListMap<>();

    /**
     * @param concurrency pages fetched at once while catching up (1: one after the other)
     */
    public LedgerSource(String id, LedgerProtocol protocol, Start start, int pagesPerPoll, int concurrency,
            Duration pollInterval) {
        if (pagesPerPoll < 1 || concurrency < 1) {
            throw new IllegalArgumentException("pages per poll and concurrency must be at least 1");
        }
        this.id = id;
        this.protocol = protocol;
        this.start = start;
        this.pagesPerPoll = pagesPerPoll;
        this.pollInterval = pollInterval;
        AtomicInteger n = new AtomicInteger();
        this.fetchers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, id + "-fetch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
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
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ledger", protocol.ledger().toString());
        m.put("kind", protocol.kind());
        m.put("nextIndex", nextIndex);
        m.put("ledgerLength", logLength);
        m.put("lag", lag);
        m.put("lastCertifiedTip", verifiedTip);
        m.put("chainBroken", lastBreak);
        m.put("unknownBlockTypes", new java.util.TreeMap<>(unknownTypes));
        return m;
    }

    @Override
    public void close() {
        fetchers.shutdownNow();
    }

    /** A break reported in a batch that was never committed is reported again. */
    @Override
    public void rewind() {
        reportedBreak = null;
    }

    @Override
    public SourceBatch poll(String cursor) throws SourceException {
        try {
            return read(cursor);
        } catch (IcException.Rejected e) {
            throw new SourceException(SourceException.Reason.REJECTED_BY_PEER, true, "ledger " + protocol.ledger() + ": "
                    + e.getMessage(), e);
        } catch (IcException.Transport e) {
            if (!e.retryable() && cursor != null) {
                // the ledger answered, but with something unusable (oversized, not the expected Candid): as much a
                // reason for alarm as a broken link, and just as persistent
                Position at = resume(cursor);
                return broken(List.of(), List.of(), new Break(at.next(), UNREADABLE_REPLY, "a usable reply",
                        e.getMessage()), at);
            }
            throw new SourceException(SourceException.Reason.UNREACHABLE, true, "ledger " + protocol.ledger() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The position after a verified block: the next index and the hash of the block before it. */
    private record Position(long next, byte[] prev) {
    }

    private SourceBatch read(String cursor) throws SourceException {
        Position from = cursor == null ? initial() : resume(cursor);
        HashChain chain = new HashChain(from.next(), from.prev());
        List<LedgerBlock> accepted = new ArrayList<>();
        List<byte[]> hashBefore = new ArrayList<>();
        List<Page> pages = fetch(from.next());
        Page last = pages.get(pages.size() - 1);
        for (Page page : pages) {
            for (Fetched f : page.blocks()) {
                if (f.problem() != null) {
                    return broken(accepted, hashBefore, new Break(f.index(), UNDECODABLE + ": " + f.problem(), "a readable "
                            + protocol.kind() + " block", "unreadable"), from);
                }
                byte[] before = chain.previousHash();
                Optional<Break> br = chain.accept(f.index(), f.parent(), f.hash());
                if (br.isPresent()) {
                    return broken(accepted, hashBefore, br.get(), from);
                }
                if (f.unknownType()) {
                    unknownTypes.merge(f.block().op(), 1L, Long::sum);
                }
                accepted.add(f.block().withVerification(LedgerBlock.VERIFIED_CHAIN, f.block().raw()));
                hashBefore.add(before);
            }
        }
        long length = last.logLength();
        logLength = length;
        long next = from.next() + accepted.size();
        if (accepted.size() <= 1 && next < length) {
            // the ledger counts the block, yet no reply holds it (an archive lost a range): nothing can vouch for
            // what came before it, and nothing after it can be read
            return broken(accepted, hashBefore, new Break(next, MISSING, "block " + next + " of " + length,
                    "not served by the ledger or its archives"), from);
        }
        nextIndex = next;
        behind = next < length;
        lag = Math.max(0, length - next);
        if (accepted.isEmpty()) {
            reportedBreak = null;
            lastBreak = null;
            return SourceBatch.of(List.of(), cursor(from));
        }
        boolean tipVouched = false;
        if (next >= length) {
            Optional<Tip> tip;
            try {
                tip = protocol.certifiedTip(last);
            } catch (IllegalArgumentException e) {
                return broken(accepted, hashBefore, new Break(next - 1, BAD_CERTIFICATE, "a certificate of the ledger's tip",
                        e.getMessage()), from);
            }
            if (tip.isPresent()) {
                Optional<Break> br = chain.checkTip(tip.get().index(), tip.get().hash());
                if (br.isPresent()) {
                    return broken(accepted, hashBefore, br.get(), from);
                }
                tipVouched = tip.get().index() == next - 1;
                if (tipVouched) {
                    verifiedTip = "block " + tip.get().index() + " " + HexFormat.of().formatHex(tip.get().hash());
                }
            }
        }
        reportedBreak = null;
        lastBreak = null;
        int lastAccepted = accepted.size() - 1;
        if (tipVouched) {
            LedgerBlock lb = accepted.get(lastAccepted);
            accepted.set(lastAccepted, lb.withVerification(LedgerBlock.VERIFIED_CERTIFIED_TIP, lb.raw()));
            return SourceBatch.of(new ArrayList<>(accepted), cursor(after(accepted.get(lastAccepted))));
        }
        LedgerBlock held = accepted.remove(lastAccepted);
        nextIndex = held.index();
        return SourceBatch.of(new ArrayList<>(accepted), cursor(new Position(held.index(), hashBefore.get(lastAccepted))));
    }

    /**
     * The first page from {@code next}, then the following pages concurrently. Pages are kept in order up
     * to the first that is short of the ledger's end (a cap or a hole: the rest is read on the next poll) or
     * that failed; only a failure of the first page fails the poll.
     */
    private List<Page> fetch(long next) {
        int size = protocol.pageSize();
        Page first = protocol.read(next, size);
        List<Page> pages = new ArrayList<>(List.of(first));
        if (pagesPerPoll == 1 || first.blocks().isEmpty() || first.end() >= first.logLength()) {
            return pages;
        }
        List<Future<Page>> more = new ArrayList<>();
        for (int k = 0; k < pagesPerPoll - 1; k++) {
            long s = first.end() + (long) k * size;
            if (s >= first.logLength()) {
                break;
            }
            more.add(fetchers.submit(() -> protocol.read(s, size)));
        }
        long expected = first.end();
        boolean stop = first.blocks().size() < size;
        for (Future<Page> f : more) {
            if (stop) {
                f.cancel(true);
                continue;
            }
            try {
                Page p = f.get();
                if (p.start() != expected || p.blocks().isEmpty()) {
                    stop = true;
                    continue;
                }
                pages.add(p);
                expected = p.end();
                stop = p.blocks().size() < size && p.end() < p.logLength();
            } catch (ExecutionException e) {
                LOG.debugf("%s: page from %d failed, read again on the next poll: %s", id, expected, e.getCause());
                stop = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop = true;
            }
        }
        return pages;
    }

    /**
     * A break at block i implicates block i-1 too (its hash is what block i disagrees with): both are held
     * back, the blocks before them are published with one alert, and the cursor stays before block i-1.
     * A break already reported, with nothing new before it, backs off instead.
     */
    private SourceBatch broken(List<LedgerBlock> accepted, List<byte[]> hashBefore, Break br, Position from)
            throws SourceException {
        // the block itself is implicated; the one before it too when the break is in the link between them
        boolean linkBreak = br.reason().startsWith("parent hash") || br.reason().startsWith("block 0");
        List<Long> implicated = linkBreak && br.index() > 0 ? List.of(br.index() - 1, br.index()) : List.of(br.index());
        // the last accepted block sits right before the break (or is the tip): nothing vouches for it
        List<IngestRecord> out = new ArrayList<>();
        Position next;
        if (!accepted.isEmpty()) {
            int last = accepted.size() - 1;
            out.addAll(accepted.subList(0, last));
            next = new Position(accepted.get(last).index(), hashBefore.get(last));
        } else {
            next = from;
        }
        nextIndex = next.next();
        String ledger = protocol.ledger().toString();
        String key = AlertClass.LEDGER_INTEGRITY + "/" + ledger + "/" + br.index() + "/" + br.reason();
        lastBreak = "block " + br.index() + ": " + br.reason();
        if (key.equals(reportedBreak) && out.isEmpty()) {
            throw new SourceException(SourceException.Reason.REJECTED_BY_PEER, true, "ledger " + ledger
                    + ": chain still broken at block " + br.index() + " (" + br.reason() + ")", null);
        }
        reportedBreak = key;
        String explanation = "Ledger " + ledger + ": block " + br.index() + " breaks the hash chain (" + br.reason()
                + "): expected " + br.expected() + ", got " + br.actual() + ". Blocks " + implicated
                + " are held back; ingestion of this ledger stays before them and retries.";
        LOG.errorf("%s", explanation);
        out.add(new Alert(Alert.VERSION, key, AlertClass.LEDGER_INTEGRITY, Severity.CRITICAL, ledger, List.of(), null, explanation,
                new Evidence(List.of(), List.of(), List.of(), implicated, ledger, List.of("hash-chain", br.reason()), List.of()),
                System.currentTimeMillis() * 1_000_000L));
        return new SourceBatch(out, List.of(), cursor(next));
    }

    private static Position after(LedgerBlock b) {
        return new Position(b.index() + 1, HexFormat.of().parseHex(b.hash()));
    }

    private Position initial() {
        if (start instanceof Start.Genesis) {
            return new Position(0, null);
        }
        long from = start instanceof Start.At at ? at.index() : protocol.read(0, 0).logLength();
        if (from == 0) {
            return new Position(0, null);
        }
        Page prev = protocol.read(from - 1, 1);
        if (prev.blocks().isEmpty() || prev.blocks().get(0).problem() != null) {
            throw new IcException.Transport("ledger " + protocol.ledger() + " has no readable block " + (from - 1)
                    + " to start after", 200, true, null);
        }
        return new Position(from, prev.blocks().get(0).hash());
    }

    private static Position resume(String cursor) throws SourceException {
        try {
            JsonNode n = Json.mapper().readTree(cursor);
            long next = n.get("next").asLong();
            JsonNode prev = n.get("prev");
            return new Position(next, prev == null || prev.isNull() ? null : HexFormat.of().parseHex(prev.asText()));
        } catch (Exception e) {
            throw new SourceException(SourceException.Reason.BAD_CONFIGURATION, false, "unreadable ledger cursor '" + cursor + "': "
                    + e.getMessage(), e);
        }
    }

    static String cursor(Position p) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("next", p.next());
        if (p.prev() == null) {
            n.putNull("prev");
        } else {
            n.put("prev", HexFormat.of().formatHex(p.prev()));
        }
        return n.toString();
    }
}
