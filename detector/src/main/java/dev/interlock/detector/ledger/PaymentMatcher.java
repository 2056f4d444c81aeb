package dev.interlock.detector.ledger;

import static dev.interlock.detector.graph.SortedStore.part;
import static dev.interlock.detector.graph.SortedStore.time;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import dev.interlock.detector.graph.SortedStore;
import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Evidence;
import dev.interlock.model.Severity;

/**
 * The payer side of LEDGER_RECONCILIATION: a monitored canister's transfer calls and the ledger
 * blocks that move funds out of the same principal's accounts meet here, on the payer (in the
 * service, one partition of the payments repartition topic owns a payer). Two rules:
 * <ul>
 * <li><b>Replied, no block.</b> A call replied as successful (a ledger transfer, or a call to another
 * canister naming the transfer it should cause with its ledger, {@code tx.l}) must have its block: the
 * one whose index the reply named, else one with its payer, recipient, amount, memo and
 * {@code created_at_time} (a call through another canister that prints no {@code created_at_time}
 * leaves it to that canister). Decided on the ledger's progress: once the ledger's blocks have passed
 * the reply's time (plus {@link #SKEW_NANOS}), no matching block is an alert. A call to a ledger
 * Interlock does not follow cannot be checked and is counted, not alerted.</li>
 * <li><b>Block, no call.</b> A block that moves funds out of a monitored canister's account (a transfer
 * or a burn; an approval moves nothing) must be explained by a call of that canister: a transfer with
 * the same recipient, amount, memo and {@code created_at_time}, sent no later than the block (with
 * {@link #SKEW_NANOS} for subnet clocks), not known to have failed, each call explaining one block.
 * Calls of a trapped message were never sent and explain nothing. Decided once the canister's trace
 * has passed the block's time: its calls arrive in its order, so an explaining call would have come
 * by then; a canister silent for a window is decided then.</li>
 * </ul>
 * Known false-positive risks: a canister's trace that lost records (a log gap: LOG_GAP is raised by
 * ingest) can leave a block unexplained; a canister that moves funds on code paths that print no
 * trace is flagged on every such block, which is what it should hear. Blocks of the ICP ledger name
 * account identifiers, which hide the owner: their payer is the paying account's identifier, and so is
 * the payer of the calls to that ledger and of the canister's clocks for its accounts there
 * ({@link PaymentTracker}); the rules are the same.
 *
 * <p>State lives in a {@link SortedStore}, one entry per call, block, canister clock and ledger (the
 * indexes over them are kept in memory and rebuilt from the entries at start, so a message costs
 * one or two entry writes); calls and blocks are kept for two windows of the matcher's clock (the
 * latest event time it saw).
 */
public final class PaymentMatcher {
    /** How far a subnet's clock may be ahead of the ledger's: a call sent this much after a block may still be its cause. */
    public static final long SKEW_NANOS = 60_000_000_000L;

    private static final String CALLS = "c";
    private static final String BLOCKS = "b";
    private static final String MONITORED = "m";
    private static final String LEDGERS = "l";

    private final SortedStore<PaymentEntry> store;
    private final long windowNanos;
    private final long retainNanos;
    private long clock;
    /**
     * Per payer, the time of its latest block forgotten: a reply of a call before it (give or take the skew) can no
     * longer be checked, its block may have come and gone. In memory only, pruned with the entries (after a restart a
     * reply whose block was forgotten before it may be judged: the stage's own lag past two windows, rare).
     */
    private final Map<String, Long> forgottenBefore = new HashMap<>();
    private long unverifiable;
    /** The latest clock of any monitored canister heard of here (their traces have come that far at least). */
    private long traceClock = Long.MIN_VALUE;
    /*
     * Indexes kept in memory only (rebuilt from the entries when the matcher starts), so that an entry changed costs
     * one store write and no index writes: replies awaiting their ledger (ledger, call key -> call key), unexplained
     * blocks awaiting their canister's trace (time, block key -> block key), blocks by ledger and index.
     */
    private final TreeMap<String, String> expected = new TreeMap<>();
    private final TreeMap<String, String> unexplained = new TreeMap<>();
    private final Map<String, String> byIndex = new HashMap<>();
    /** Calls and blocks by expiry (time, key -> key), so that a sweep costs what it forgets. */
    private final TreeMap<String, String> expiries = new TreeMap<>();

    /**
     * @param windowNanos how long (wall clock) a silent canister's unexplained blocks wait for its trace; calls and
     *                    blocks are kept for two windows (plus the skew)
     */
    public PaymentMatcher(SortedStore<PaymentEntry> store, long windowNanos) {
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("window must be positive");
        }
        this.store = store;
        this.windowNanos = windowNanos;
        this.retainNanos = 2 * windowNanos + SKEW_NANOS;
        for (Map.Entry<String, PaymentEntry> e : store.range(CALLS, SortedStore.upTo(CALLS))) {
            if (e.getValue().expectation != null) {
                expected.put(e.getValue().expectation, e.getKey());
            }
            expiries.put(time(e.getValue().expiry) + e.getKey(), e.getKey());
        }
        for (Map.Entry<String, PaymentEntry> e : store.range(MONITORED, SortedStore.upTo(MONITORED))) {
            traceClock = Math.max(traceClock, e.getValue().time);
        }
        for (Map.Entry<String, PaymentEntry> e : store.range(BLOCKS, SortedStore.upTo(BLOCKS))) {
            PaymentEntry b = e.getValue();
            byIndex.put(indexKey(b.ledger, b.blockIndex), e.getKey());
            if (b.unexplained != null) {
                unexplained.put(b.unexplained, e.getKey());
            }
            expiries.put(time(b.expiry) + e.getKey(), e.getKey());
        }
    }

    /** Applies one message; {@code wallMillis} is when it arrived (wall clock), for telling silent canisters. */
    public void accept(PaymentMessage m, long wallMillis) {
        clock = Math.max(clock, m.answerNanos() == null ? m.timeNanos() : Math.max(m.timeNanos(), m.answerNanos()));
        switch (m.type()) {
            case CALL -> call(m, wallMillis);
            case CLOCK -> monitored(m.payer(), m.canister(), m.timeNanos(), wallMillis);
            case BLOCK -> block(m);
            case PROGRESS -> progress(m, wallMillis);
            case GAP -> gap(m);
        }
    }

    // ---- calls

    private void call(PaymentMessage m, long wallMillis) {
        String key = callKey(m);
        PaymentEntry c = store.get(key);
        boolean isNew = c == null;
        if (isNew) {
            c = new PaymentEntry();
            c.payer = m.payer();
            c.canister = m.canister();
            c.context = m.context();
            c.call = m.call();
            c.callee = m.callee();
            c.method = m.method();
            c.waitKind = m.waitKind();
            c.ledger = m.ledger();
            c.to = m.to();
            c.amount = m.amount();
            c.memo = m.memo();
            c.createdAtTime = m.createdAtTime();
            c.time = m.timeNanos();
        }
        c.wall = Math.max(c.wall, wallMillis);
        c.caller = c.caller == null ? m.caller() : c.caller;
        c.eventId = c.eventId == null ? m.eventId() : c.eventId;
        if (m.answered()) {
            c.outcome = m.outcome();
            c.sendFailed = m.sendFailed();
            c.answerEventId = m.answerEventId();
            c.answerNanos = m.answerNanos();
        }
        if (isNew) {
            expires(key, c, c.time + retainNanos);
        }
        if (c.repliedSuccess() && !"n".equals(c.waitKind) && c.expectation == null) {
            c.expectation = part(c.ledger) + key;
            expected.put(c.expectation, key);
        }
        if (c.matched != null) {
            PaymentEntry b = store.get(c.matched);
            if (b == null || !explains(c, b)) {
                String blockKey = c.matched;
                c.matched = null;
                if (b != null) {
                    b.matched = null;
                    store.put(blockKey, b);
                    store.put(key, c);
                    explain(blockKey, b); // another call may explain it, else it waits for a decision
                }
            }
        }
        store.put(key, c);
        if (c.matched == null) {
            findBlock(key, c);
        }
    }

    /**
     * Matches an unmatched call with the block its reply named, taking it from a call that did not name it, else with
     * the earliest unmatched block it explains.
     */
    private void findBlock(String key, PaymentEntry c) {
        if (c.definitelyFailed()) {
            return;
        }
        PaymentEntry exact = replied(c);
        if (exact != null && explains(c, exact)) {
            String blockKey = byIndex.get(indexKey(c.ledger, c.outcome.blockIndex()));
            PaymentEntry other = exact.matched == null ? null : store.get(exact.matched);
            if (other == null || !names(other, exact)) {
                String otherKey = exact.matched;
                match(key, c, blockKey, exact);
                store.put(key, c);
                if (other != null) { // it did not name this block: it may explain another one
                    other.matched = null;
                    store.put(otherKey, other);
                    findBlock(otherKey, other);
                }
                return;
            }
        }
        for (String to : new String[] {c.to, null}) { // blocks to its recipient, then burns
            String prefix = transfer(BLOCKS, c.payer, c.amount.toString(), c.memo, to);
            for (Map.Entry<String, PaymentEntry> e : store.range(prefix, SortedStore.upTo(prefix))) {
                PaymentEntry b = e.getValue();
                if (b.matched == null && explains(c, b)) {
                    match(key, c, e.getKey(), b);
                    store.put(key, c);
                    return;
                }
            }
        }
    }

    /** The block the call's reply named, if it reached this payer's partition. */
    private PaymentEntry replied(PaymentEntry c) {
        if (c.outcome == null || c.outcome.blockIndex() == null) {
            return null;
        }
        String key = byIndex.get(indexKey(c.ledger, c.outcome.blockIndex()));
        return key == null ? null : store.get(key);
    }

    // ---- blocks

    private void block(PaymentMessage m) {
        String key = transfer(BLOCKS, m.payer(), m.amount().toString(), m.memo(), m.to()) + ts(m.createdAtTime())
                + time(m.timeNanos()) + part(m.ledger()) + part(Long.toString(m.blockIndex()));
        if (store.get(key) != null) {
            return; // seen before (a re-delivered block)
        }
        PaymentEntry b = new PaymentEntry();
        b.payer = m.payer();
        b.ledger = m.ledger();
        b.to = m.to();
        b.amount = m.amount();
        b.memo = m.memo();
        b.createdAtTime = m.createdAtTime();
        b.time = m.timeNanos();
        b.blockIndex = m.blockIndex();
        b.op = m.op();
        b.spender = m.spender();
        expires(key, b, b.time + retainNanos);
        byIndex.put(indexKey(b.ledger, b.blockIndex), key);
        // A ledger's blocks reach a partition in index order: this one says the earlier ones for this payer are here.
        advance(b.ledger, b.blockIndex, b.time, 0);
        explain(key, b);
    }

    /**
     * Finds the call that explains an unexplained block (a call whose reply named it first, then one whose reply named
     * no block, then one whose reply named another: a router may name a stale index), or files it as unexplained.
     */
    private void explain(String key, PaymentEntry b) {
        // a burn has no recipient: any call of its payer, amount and memo may be its cause
        String prefix = transfer(CALLS, b.payer, b.amount.toString(), b.memo, b.to);
        if (b.to == null) {
            prefix = prefix.substring(0, prefix.length() - part(null).length());
        }
        String bestKey = null;
        PaymentEntry best = null;
        for (Map.Entry<String, PaymentEntry> e : store.range(prefix, SortedStore.upTo(prefix))) {
            PaymentEntry c = e.getValue();
            if (c.matched != null || !explains(c, b)) {
                continue;
            }
            int rank = rank(c, b);
            int bestRank = best == null ? Integer.MAX_VALUE : rank(best, b);
            if (rank < bestRank || (rank == bestRank && c.time < best.time)) {
                best = c;
                bestKey = e.getKey();
            }
        }
        if (best != null) {
            match(bestKey, best, key, b);
            store.put(bestKey, best);
            return;
        }
        if (b.unexplained == null && store.get(MONITORED + part(b.payer)) != null) {
            b.unexplained = time(b.time) + key;
            unexplained.put(b.unexplained, key);
        }
        store.put(key, b);
    }

    private void match(String callKey, PaymentEntry c, String blockKey, PaymentEntry b) {
        c.matched = blockKey;
        b.matched = callKey;
        if (b.unexplained != null) {
            unexplained.remove(b.unexplained);
            b.unexplained = null;
        }
        store.put(blockKey, b);
    }

    /**
     * Whether the call can be the cause of the block: the same transfer (a burn has no recipient), on the call's
     * ledger (any ledger when the call names none Interlock follows: a router's), sent before the block (give or take
     * the skew), not known to have failed. The index a reply named is a preference, not a condition: a canister that
     * pays through another may be told a wrong one although its transfer was made.
     */
    private boolean explains(PaymentEntry c, PaymentEntry b) {
        // A call through another canister that prints no created_at_time leaves it to that canister.
        boolean anyTime = c.createdAtTime == null && !c.ledger.equals(c.callee);
        if (c.definitelyFailed() || !c.payer.equals(b.payer) || !c.amount.equals(b.amount)
                || !Objects.equals(c.memo, b.memo) || (!anyTime && !Objects.equals(c.createdAtTime, b.createdAtTime))
                || (b.to != null && !b.to.equals(c.to)) || c.time > b.time + SKEW_NANOS) {
            return false;
        }
        if (!c.ledger.equals(b.ledger) && store.get(LEDGERS + part(c.ledger)) != null) {
            return false;
        }
        return true;
    }

    /** The call's reply named this block. */
    private static boolean names(PaymentEntry c, PaymentEntry b) {
        return c.outcome != null && b.blockIndex.equals(c.outcome.blockIndex())
                && (c.ledger.equals(b.ledger) || !c.ledger.equals(c.callee));
    }

    private static int rank(PaymentEntry c, PaymentEntry b) {
        return names(c, b) ? 0 : c.outcome == null || c.outcome.blockIndex() == null ? 1 : 2;
    }

    // ---- clocks

    /** The canister is monitored, and its trace has come this far; {@code payer}: it, or one of its accounts. */
    private void monitored(String payer, String canister, long time, long wallMillis) {
        String key = MONITORED + part(payer);
        PaymentEntry m = store.get(key);
        if (m == null) {
            m = new PaymentEntry();
            m.payer = payer;
            m.canister = canister;
            // Blocks from its accounts that came before its first trace are judged too.
            String prefix = BLOCKS + part(payer);
            for (Map.Entry<String, PaymentEntry> e : store.range(prefix, SortedStore.upTo(prefix))) {
                PaymentEntry b = e.getValue();
                if (b.matched == null && b.unexplained == null) {
                    b.unexplained = time(b.time) + e.getKey();
                    unexplained.put(b.unexplained, e.getKey());
                    store.put(e.getKey(), b);
                }
            }
        } else if (m.time >= time && m.wall >= wallMillis) {
            return;
        }
        m.time = Math.max(m.time, time);
        m.wall = Math.max(m.wall, wallMillis);
        traceClock = Math.max(traceClock, m.time);
        store.put(key, m);
    }

    /** Gaps remembered per monitored payer at most (the newest). */
    static final int MAX_GAPS = 16;

    /** Records of the canister's log were lost: its alerts on blocks made meanwhile say so. */
    private void gap(PaymentMessage m) {
        String key = MONITORED + part(m.payer());
        if (store.get(key) == null) {
            monitored(m.payer(), m.canister(), m.timeNanos(), 0); // its clock follows in the same batch
        }
        PaymentEntry e = store.get(key);
        long[] lost = CallEvent.idxRange(m.op());
        long[] g = {m.timeNanos(), m.answerNanos(), lost[0], lost[1]};
        if (e.gaps == null) {
            e.gaps = new ArrayList<>(1);
        }
        if (e.gaps.stream().noneMatch(x -> x[2] == g[2] && x[3] == g[3])) {
            e.gaps.add(g);
        }
        e.gaps.removeIf(x -> clock - x[1] > retainNanos * KEEP_AT_MOST);
        while (e.gaps.size() > MAX_GAPS) {
            e.gaps.remove(0);
        }
        store.put(key, e);
    }

    private void progress(PaymentMessage m, long wallMillis) {
        advance(m.ledger(), m.blockIndex(), m.timeNanos(), wallMillis);
    }

    private void advance(String ledger, long index, long time, long wallMillis) {
        String key = LEDGERS + part(ledger);
        PaymentEntry l = store.get(key);
        if (l == null) {
            l = new PaymentEntry();
            l.ledger = ledger;
            l.blockIndex = -1L;
        } else if (l.blockIndex >= index && l.time >= time && l.wall >= wallMillis) {
            return;
        }
        l.blockIndex = Math.max(l.blockIndex, index);
        l.time = Math.max(l.time, time);
        l.wall = Math.max(l.wall, wallMillis);
        store.put(key, l);
    }

    // ---- decisions

    /**
     * Decides what can be decided. {@code endOfInput}: every message has been seen (the offline scan), so every
     * canister's trace and every ledger are complete; otherwise a canister counts as silent when no message of it
     * arrived for a window of wall-clock time, counted from {@code sinceWallMillis} at the earliest (this instance's
     * start: downtime is not silence).
     */
    public List<Alert> decide(long wallMillis, long sinceWallMillis, boolean endOfInput) {
        List<Alert> out = new ArrayList<>();
        for (Map.Entry<String, String> u : List.copyOf(unexplained.entrySet())) {
            String ref = u.getValue();
            PaymentEntry b = store.get(ref);
            if (b == null || b.matched != null || !u.getKey().equals(b.unexplained)) {
                unexplained.remove(u.getKey());
                continue;
            }
            PaymentEntry m = store.get(MONITORED + part(b.payer));
            boolean silent = m != null
                    && (wallMillis - Math.max(m.wall, sinceWallMillis)) * 1_000_000L >= windowNanos;
            if (m != null && (endOfInput || silent || m.time >= b.time + SKEW_NANOS)) {
                unexplained.remove(u.getKey());
                b.unexplained = null;
                store.put(ref, b);
                out.add(unexplained(b));
            }
        }
        for (Map.Entry<String, PaymentEntry> l : store.range(LEDGERS, SortedStore.upTo(LEDGERS))) {
            PaymentEntry ledger = l.getValue();
            String prefix = part(ledger.ledger);
            for (Map.Entry<String, String> x : List.copyOf(expected.subMap(prefix, SortedStore.upTo(prefix)).entrySet())) {
                String callKey = x.getValue();
                PaymentEntry c = store.get(callKey);
                if (c == null || c.matched != null || !c.repliedSuccess()) {
                    expected.remove(x.getKey());
                    if (c != null && c.expectation != null) {
                        c.expectation = null;
                        store.put(callKey, c);
                    }
                    continue;
                }
                Long named = c.outcome.blockIndex();
                long repliedAt = c.answerNanos == null ? c.time : c.answerNanos;
                // A block is made before its reply: once the ledger's blocks have passed the reply's time (give or
                // take the skew between subnets), the block would be here. Offline, the blocks given are all there is.
                boolean due = ledger.time >= repliedAt + (endOfInput ? 0 : SKEW_NANOS);
                if (!due) {
                    continue;
                }
                expected.remove(x.getKey());
                c.expectation = null;
                store.put(callKey, c);
                if (c.time < forgottenBefore.getOrDefault(c.payer, Long.MIN_VALUE) + SKEW_NANOS) {
                    unverifiable++; // its block may have come and been forgotten before the reply was seen
                } else {
                    out.add(noBlock(c, ledger));
                }
            }
        }
        return out;
    }

    private Alert unexplained(PaymentEntry b) {
        PaymentEntry monitored = store.get(MONITORED + part(b.payer));
        String canister = monitored == null || monitored.canister == null ? b.payer : monitored.canister;
        String account = canister.equals(b.payer) ? "" : " (account identifier " + b.payer + ")";
        List<String> lost = new ArrayList<>();
        if (monitored != null && monitored.gaps != null) {
            for (long[] g : monitored.gaps) {
                if (b.time >= g[0] - SKEW_NANOS && b.time <= g[1] + SKEW_NANOS) {
                    lost.add(g[2] + ".." + g[3]);
                }
            }
        }
        String gapNote = lost.isEmpty() ? "" : " Records " + String.join(", ", lost) + " of the canister's log, "
                + "printed around the block's time, were lost before Interlock read them (LOG_GAP): the call that "
                + "explains it may be among them.";
        List<String> missing = new ArrayList<>();
        lost.forEach(r -> missing.add(Evidence.lostRecords(r)));
        List<String> events = new ArrayList<>();
        List<String> contexts = new ArrayList<>();
        List<String> calls = new ArrayList<>();
        List<String> repeats = new ArrayList<>();
        String prefix = transfer(CALLS, b.payer, b.amount.toString(), b.memo, b.to);
        if (b.to == null) {
            prefix = prefix.substring(0, prefix.length() - part(null).length());
        }
        List<PaymentEntry> similar = new ArrayList<>();
        for (Map.Entry<String, PaymentEntry> e : store.range(prefix, SortedStore.upTo(prefix))) {
            PaymentEntry c = e.getValue();
            if (b.to == null || b.to.equals(c.to)) {
                similar.add(c);
            }
        }
        similar.sort(Comparator.comparingLong(c -> Math.abs(c.time - b.time)));
        for (PaymentEntry c : similar.subList(0, Math.min(3, similar.size()))) {
            calls.add(c.call);
            if (!contexts.contains(c.context)) {
                contexts.add(c.context);
            }
            if (c.eventId != null) {
                events.add(c.eventId);
            }
            PaymentEntry theirs = c.matched == null ? null : store.get(c.matched);
            repeats.add(String.format("call %s of context %s%s", c.call, c.context, theirs != null
                    ? " (paid in block " + theirs.blockIndex + ")" : c.definitelyFailed() ? " (which failed)" : ""));
        }
        List<String> accounts = new ArrayList<>();
        if (b.to != null) {
            accounts.add(b.to);
        }
        if (b.spender != null) {
            accounts.add(b.spender);
        }
        String how = b.spender != null
                ? " It was an icrc2_transfer_from by " + b.spender + ", spending an allowance of the canister's: an "
                        + "allowance larger or longer-lived than one payment lets the spender take more."
                : " The canister's account was debited on a path that prints no trace, or by someone holding its keys.";
        boolean repeated = similar.stream().limit(3).anyMatch(c -> c.matched != null);
        String same = repeats.isEmpty() ? ""
                : repeated ? " It has the recipient, amount and memo of " + String.join(", ", repeats)
                        + ", so it repeats a transfer that was already accounted for."
                : " Calls with its recipient, amount and memo (" + String.join(", ", repeats) + ") cannot be its "
                        + "cause: they failed, or name another created_at_time or ledger.";
        if (!account.isEmpty()) {
            accounts.add(0, b.payer);
        }
        return new Alert(Alert.VERSION, AlertClass.LEDGER_RECONCILIATION + "/" + b.payer + "/block/" + b.ledger + "/"
                + b.blockIndex, AlertClass.LEDGER_RECONCILIATION, Severity.CRITICAL, canister, accounts, b.amount,
                String.format("Block %d of ledger %s moved %s out of monitored canister %s's account%s%s%s, and no call "
                        + "of the canister explains it: it sent no transfer with that recipient, amount, memo and "
                        + "created_at_time that was not already matched to another block or known to have failed.%s%s",
                        b.blockIndex, b.ledger, b.amount, canister, account, "burn".equals(b.op) ? " (a burn)" : " to " + b.to,
                        b.memo == null ? "" : " with memo " + b.memo, same, how + gapNote),
                new Evidence(events, contexts, calls, List.of(b.blockIndex), b.ledger,
                        List.of("ledger-blocks", "transfer-calls"), missing),
                b.time);
    }

    private Alert noBlock(PaymentEntry c, PaymentEntry ledger) {
        Long named = c.outcome.blockIndex();
        String found;
        PaymentEntry block = replied(c);
        if (named == null) {
            found = "no block with its payer, recipient, amount, memo and created_at_time was made before the reply";
        } else if (block != null) {
            found = String.format("block %d %s %s from %s's account%s%s", named,
                    "burn".equals(block.op) ? "burned" : "moved", block.amount, block.payer,
                    block.to == null ? "" : " to " + block.to, block.memo == null ? " (no memo)" : " (memo " + block.memo + ")");
            found = "the block the reply named is another transfer (" + found + ") and no other block matches it";
        } else if (named <= ledger.blockIndex) {
            found = "block " + named + " of the ledger does not move funds out of " + (Accounts.isIdentifier(c.payer)
                    ? "account " + c.payer : c.payer + "'s accounts") + ", and no other block matches it";
        } else {
            found = "the ledger has no block " + named + " (its latest is " + ledger.blockIndex + ", made after the "
                    + "reply), and no other block matches it";
        }
        List<String> events = new ArrayList<>();
        if (c.eventId != null) {
            events.add(c.eventId);
        }
        if (c.answerEventId != null) {
            events.add(c.answerEventId);
        }
        List<String> accounts = new ArrayList<>();
        if (c.caller != null) {
            accounts.add(c.caller);
        }
        accounts.add(c.to);
        boolean viaOther = !c.ledger.equals(c.callee);
        return new Alert(Alert.VERSION, AlertClass.LEDGER_RECONCILIATION + "/" + c.canister + "/" + c.context + "/"
                + c.call + "/no-block", AlertClass.LEDGER_RECONCILIATION, Severity.CRITICAL, c.canister, accounts,
                c.amount,
                String.format("Context %s of canister %s called %s.%s (call %s)%s, and the reply said the transfer of %s "
                        + "from %s to %s%s succeeded%s; but %s on ledger %s. The canister took a payment as made that "
                        + "the ledger does not show: check the block on the ledger before booking a reply, and correct "
                        + "the books.", c.context, c.canister, c.callee, c.method, c.call,
                        viaOther ? " expecting it to transfer on ledger " + c.ledger : "", c.amount, c.payer, c.to,
                        c.memo == null ? "" : " (memo " + c.memo + ")", named == null ? "" : " in block " + named,
                        found, c.ledger),
                new Evidence(events, List.of(c.context), List.of(c.call), named == null ? List.of() : List.of(named),
                        c.ledger, List.of("transfer-replies", "ledger-blocks"), List.of()),
                c.answerNanos == null ? c.time : c.answerNanos);
    }

    // ---- memory

    /**
     * Forgets calls and blocks two windows old (plus the skew) on the matcher's clock; costs what it forgets (call it
     * often). The matcher's clock is the latest event time of anything (a ledger's backfill can run it hours ahead of
     * a canister's trace), so what another clock still needs is kept a window longer, and again, up to
     * {@link #KEEP_AT_MOST} windows: a block of a monitored canister until that canister's trace has passed it and its
     * verdict is out (a block is never alerted on for being old), any other block until some monitored canister's
     * trace has passed it (its payer may be a canister whose first trace is still to come), a call until its ledger's
     * blocks (every followed ledger's, when it names none) have passed it. A call naming a ledger not heard of here is
     * also kept a window of wall-clock time after it arrived: its ledger's progress may still be on its way (from
     * another instance, while another ledger's backlog runs ahead); past that, its ledger counts as not followed and
     * its reply as unverifiable.
     *
     * @param wallMillis now, on the wall clock
     */
    public void sweep(long wallMillis) {
        sweepUpTo(clock, wallMillis);
    }

    /** How many windows past its time an entry is kept at most, whatever still needs it. */
    static final int KEEP_AT_MOST = 12;

    void sweepUpTo(long upTo, long wallMillis) {
        if (forgottenBefore.size() > 1_000) { // calls as old as these marks are gone too
            forgottenBefore.values().removeIf(t -> upTo - t > (KEEP_AT_MOST + 1) * windowNanos);
        }
        String end = time(upTo + 1);
        while (!expiries.isEmpty() && expiries.firstKey().compareTo(end) < 0) {
            String key = expiries.pollFirstEntry().getValue();
            PaymentEntry x = store.get(key);
            if (x == null) {
                continue;
            }
            if (upTo - x.time < KEEP_AT_MOST * windowNanos && stillNeeded(key, x, wallMillis)) {
                expires(key, x, upTo + windowNanos);
                store.put(key, x);
                continue;
            }
            store.delete(key);
            if (key.startsWith(BLOCKS)) {
                forgottenBefore.merge(x.payer, x.time, Math::max);
                byIndex.remove(indexKey(x.ledger, x.blockIndex));
                if (x.unexplained != null) {
                    unexplained.remove(x.unexplained);
                }
            } else if (x.expectation != null) {
                expected.remove(x.expectation);
                unverifiable++; // its ledger is not followed, or its blocks never came
            }
        }
    }

    private boolean stillNeeded(String key, PaymentEntry x, long wallMillis) {
        if (key.startsWith(BLOCKS)) {
            // a payer not (yet) known as monitored may be a canister whose trace has not come this far
            PaymentEntry m = store.get(MONITORED + part(x.payer));
            return m == null ? traceClock < x.time + SKEW_NANOS
                    : x.unexplained != null || m.time < x.time + SKEW_NANOS;
        }
        PaymentEntry ledger = store.get(LEDGERS + part(x.ledger));
        if (ledger != null) {
            return ledger.time < x.time + SKEW_NANOS;
        }
        if ((wallMillis - x.wall) * 1_000_000L < windowNanos) {
            return true;
        }
        // a ledger not followed, or a router's call that names none: a block on any followed ledger may be its
        for (Map.Entry<String, PaymentEntry> l : store.range(LEDGERS, SortedStore.upTo(LEDGERS))) {
            if (l.getValue().time < x.time + SKEW_NANOS) {
                return true;
            }
        }
        return false;
    }

    /** The latest event time this matcher saw since it was created. */
    public long clock() {
        return clock;
    }

    /** Successful replies that could not be checked: their ledger is not followed, or its blocks were gone or never came. */
    public long unverifiable() {
        return unverifiable;
    }

    /** Replies still waiting for their ledger, and unexplained blocks still waiting for their canister's trace. */
    public int undecided() {
        return expected.size() + unexplained.size();
    }

    // ---- keys

    /** Key prefix of a transfer: payer, amount, memo, recipient (none for a burn). */
    private static String transfer(String kind, String payer, String amount, String memo, String to) {
        return kind + part(payer) + part(amount) + part(memo) + part(to);
    }

    private static String ts(Long createdAtTime) {
        return part(createdAtTime == null ? null : createdAtTime.toString());
    }

    private static String callKey(PaymentMessage m) {
        return transfer(CALLS, m.payer(), m.amount().toString(), m.memo(), m.to()) + ts(m.createdAtTime())
                + time(m.timeNanos()) + part(m.canister()) + part(m.call());
    }

    private static String indexKey(String ledger, long index) {
        return part(ledger) + index;
    }

    private void expires(String key, PaymentEntry entry, long expiry) {
        entry.expiry = expiry;
        expiries.put(time(expiry) + key, key);
    }
}
