package dev.interlock.detector.ledger;

import static dev.interlock.detector.graph.SortedStore.part;
import static dev.interlock.detector.graph.SortedStore.time;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

import dev.interlock.detector.graph.SortedStore;
import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.Evidence;
import dev.interlock.model.Severity;

/**
 * The account side of LEDGER_RECONCILIATION: notifies' expected transfers and ledger blocks meet
 * here, on the recipient account's identifier ({@link ReconcileMessage#key}: blocks that name owners
 * and blocks that name identifiers alike; in the service, one partition of the reconcile repartition topic
 * owns an account). An expectation is settled by a block with its recipient, amount and memo (an
 * expectation without memo by any block of its amount), whichever comes first, or by the canister
 * completing the notify's journal entry; one still unsettled a window after it was sent is a
 * LEDGER_RECONCILIATION alert, unless its canister prints no optional evidence (then nothing can be
 * said about reconciliation and nothing is raised).
 *
 * <p>Time is event time: each account has a clock, the latest event time of its messages, which
 * the service extrapolates by wall-clock time when the account's input stops. Blocks (and
 * account clocks) are kept for two windows of the matcher's clock. State lives in a
 * {@link SortedStore}, one entry per expectation, block and account.
 */
public final class TransferMatcher {
    private static final String PENDING = "p";
    private static final String BLOCKS = "b";
    private static final String CLOCKS = "k";
    private static final String INDEX = "x";

    private final SortedStore<LedgerEntry> store;
    private final long windowNanos;
    private long clock;
    private long nextExpiry;

    public TransferMatcher(SortedStore<LedgerEntry> store, long windowNanos) {
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("window must be positive");
        }
        this.store = store;
        this.windowNanos = windowNanos;
    }

    /** Applies one message; {@code wallMillis} is when it arrived (wall clock), for extrapolation. */
    public void accept(ReconcileMessage m, long wallMillis) {
        String account = m.account();
        clock = Math.max(clock, m.timeNanos());
        String clockKey = CLOCKS + part(account);
        LedgerEntry c = store.get(clockKey);
        if (c == null) {
            c = new LedgerEntry();
            c.account = account;
        }
        c.time = Math.max(c.time, m.timeNanos());
        c.wall = wallMillis;
        stamp(clockKey, c, c.time + 2 * windowNanos);
        String amountPrefix = part(account) + part(m.amount().toString());
        switch (m.type()) {
            case BLOCK -> {
                // Kept under its memo and under none (an expectation without memo accepts any memo), and
                // settling the expectations with this memo and those without.
                Set<String> memos = new LinkedHashSet<>(List.of(m.memo() == null ? "" : m.memo(), ""));
                for (String memo : memos) {
                    LedgerEntry b = new LedgerEntry();
                    b.account = account;
                    b.amount = m.amount();
                    b.memo = m.memo();
                    b.ledger = m.ledger();
                    b.blockIndex = m.blockIndex();
                    b.time = m.timeNanos();
                    stamp(BLOCKS + amountPrefix + part(memo), b, m.timeNanos() + 2 * windowNanos);
                    String pending = PENDING + amountPrefix + part(memo);
                    for (Map.Entry<String, LedgerEntry> x : store.range(pending, SortedStore.upTo(pending))) {
                        store.delete(x.getKey());
                    }
                }
            }
            case EXPECT -> {
                String memo = m.memo() == null ? "" : m.memo();
                if (store.get(BLOCKS + amountPrefix + part(memo)) != null) {
                    return; // the block came first
                }
                LedgerEntry x = new LedgerEntry();
                x.account = account;
                x.recipient = m.recipient();
                x.amount = m.amount();
                x.memo = m.memo();
                x.canister = m.canister();
                x.context = m.context();
                x.call = m.call();
                x.journal = m.journal();
                x.callee = m.callee();
                x.eventId = m.eventId();
                x.time = m.timeNanos();
                x.wall = wallMillis;
                x.evidence = m.evidence();
                store.put(pendingKey(account, m.amount().toString(), m.memo(), m.canister(), m.call()), x);
            }
            case RESOLVED -> store.delete(pendingKey(account, m.amount().toString(), m.memo(), m.canister(), m.call()));
            case EVIDENCE -> {
                String key = pendingKey(account, m.amount().toString(), m.memo(), m.canister(), m.call());
                LedgerEntry x = store.get(key);
                if (x != null && !x.evidence) {
                    x.evidence = true;
                    store.put(key, x);
                }
            }
        }
    }

    private static String pendingKey(String account, String amount, String memo, String canister, String call) {
        return PENDING + part(account) + part(amount) + part(memo) + part(canister) + part(call);
    }

    /** Decides every expectation a window old at {@code nowNanos} (one clock for all accounts: the offline scan). */
    public List<Alert> decideAt(long nowNanos) {
        return decide(account -> nowNanos);
    }

    /**
     * Decides every expectation a window old on its account's clock, extrapolated by the wall-clock
     * time since the account's last message, counted from {@code sinceWallMillis} at the earliest (the
     * time this instance started: downtime is not silence).
     */
    public List<Alert> decideExtrapolated(long wallMillis, long sinceWallMillis) {
        Map<String, Long> nows = new HashMap<>();
        return decide(account -> nows.computeIfAbsent(account, a -> {
            LedgerEntry c = store.get(CLOCKS + part(a));
            if (c == null) {
                return Long.MIN_VALUE;
            }
            return c.time + Math.max(0, wallMillis - Math.max(c.wall, sinceWallMillis)) * 1_000_000L;
        }));
    }

    private List<Alert> decide(ToLongFunction<String> nowOf) {
        List<Alert> out = new ArrayList<>();
        for (Map.Entry<String, LedgerEntry> e : store.range(PENDING, SortedStore.upTo(PENDING))) {
            LedgerEntry x = e.getValue();
            long now = nowOf.applyAsLong(x.account);
            if (now == Long.MIN_VALUE || now - x.time < windowNanos) {
                continue;
            }
            store.delete(e.getKey());
            if (x.evidence) {
                out.add(alert(x));
            }
        }
        return out;
    }

    private Alert alert(LedgerEntry x) {
        String recipient = x.recipient == null ? x.account : x.recipient;
        return new Alert(Alert.VERSION, AlertClass.LEDGER_RECONCILIATION + "/" + x.canister + "/" + x.context + "/"
                + x.call, AlertClass.LEDGER_RECONCILIATION, Severity.WARNING, x.canister, List.of(recipient), x.amount,
                String.format("Context %s notified %s (call %s, one-way) expecting a transfer of %s to %s%s; no such "
                        + "block appeared within %d s and the canister never reconciled it. A notify may be lost "
                        + "without anyone being told: check the effect later and correct the state.", x.context,
                        x.callee, x.call, x.amount, recipient, x.memo == null ? "" : " (memo " + x.memo + ")",
                        windowNanos / 1_000_000_000L),
                new Evidence(List.of(x.eventId), List.of(x.context), List.of(x.call), List.of(), null,
                        List.of("notify-expected-transfer", "ledger-blocks", "journal"), List.of()),
                x.time + windowNanos);
    }

    /**
     * Forgets blocks and account clocks two windows old on the matcher's clock (the latest event
     * time it saw), but never a block an undecided expectation might still need.
     */
    public void sweep() {
        sweepUpTo(clock);
    }

    void sweepUpTo(long upTo) {
        long oldestPending = Long.MAX_VALUE;
        for (Map.Entry<String, LedgerEntry> e : store.range(PENDING, SortedStore.upTo(PENDING))) {
            oldestPending = Math.min(oldestPending, e.getValue().time);
        }
        long limit = oldestPending == Long.MAX_VALUE ? upTo : Math.min(upTo, oldestPending + 2 * windowNanos - 1);
        if (limit < nextExpiry) {
            return;
        }
        SortedStore.sweep(store, INDEX, limit, x -> x.expiry);
        String first = store.firstKey(INDEX, SortedStore.upTo(INDEX));
        nextExpiry = first == null ? Long.MAX_VALUE : SortedStore.timeAt(first, INDEX.length());
    }

    /** The latest event time this matcher saw since it was created. */
    public long clock() {
        return clock;
    }

    /** Expectations not yet decided. */
    public int undecided() {
        return store.range(PENDING, SortedStore.upTo(PENDING)).size();
    }

    private void stamp(String key, LedgerEntry entry, long expiry) {
        boolean restamp = entry.expiry != expiry;
        entry.expiry = expiry;
        store.put(key, entry);
        if (restamp) {
            store.put(INDEX + time(expiry) + key, new LedgerEntry());
            nextExpiry = Math.min(nextExpiry, expiry);
        }
    }
}
