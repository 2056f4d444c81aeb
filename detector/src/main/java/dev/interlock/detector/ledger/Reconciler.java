package dev.interlock.detector.ledger;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Evidence;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.Severity;

/**
 * LEDGER_RECONCILIATION for one-way calls: a {@code notify} whose trace line names the ledger
 * transfer it should cause ({@code tx}: recipient, amount, memo) and no block with that recipient,
 * amount and memo appears within the window. Nobody tells a canister whether a notify took
 * effect; the fix is to check later and correct, which the canister shows by completing a journal
 * entry (a {@code jr} line) for the request: then nothing is raised.
 *
 * Deciding "not reconciled" needs the canister's optional evidence (journal events); from a
 * canister that prints none, nothing is raised. Plain Java: the scan feeds it calls and blocks;
 * the service will feed it through a topic joining calls and blocks by account.
 */
public final class Reconciler {
    private final long windowNanos;
    private final Map<String, Expected> expected = new LinkedHashMap<>();
    /** Block keys with the time they were seen: kept for two windows, then dropped. */
    private final Map<String, Long> blocks = new LinkedHashMap<>();
    private final Map<String, String> pendingJournal = new HashMap<>();
    private final Set<String> resolvedJournals = new HashSet<>();
    private final Set<String> withEvidence = new HashSet<>();

    private static final class Expected {
        String canister;
        String context;
        String call;
        String journal;
        String to;
        BigInteger amount;
        String memo;
        long sentAt;
        String eventId;
        String callee;
    }

    public Reconciler(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    public void accept(CallEvent e) {
        if (e.rolledBack()) {
            return;
        }
        switch (e.kind()) {
            case JOURNAL_INTENT -> {
                withEvidence.add(e.canister());
                pendingJournal.put(e.canister() + "/" + e.context(), e.subject());
            }
            case JOURNAL_RESULT -> {
                withEvidence.add(e.canister());
                resolvedJournals.add(e.canister() + "/" + e.subject());
            }
            case STATE_READ, STATE_WRITE, GUARD_ACQUIRE, GUARD_RELEASE -> withEvidence.add(e.canister());
            case CALL -> {
                if ("n".equals(e.value()) && e.transfer() != null) {
                    Expected x = new Expected();
                    x.canister = e.canister();
                    x.context = e.context();
                    x.call = e.call();
                    x.journal = pendingJournal.remove(e.canister() + "/" + e.context());
                    x.to = e.transfer().to();
                    x.amount = e.transfer().amount();
                    x.memo = e.transfer().memo();
                    x.sentAt = e.timeNanos();
                    x.eventId = e.id();
                    x.callee = e.callee();
                    expected.put(e.canister() + "/" + e.call(), x);
                }
            }
            default -> {
            }
        }
    }

    public void block(LedgerBlock b) {
        if (b.to() != null && b.amount() != null) {
            blocks.put(key(b.to(), b.amount(), b.memo()), b.timestampNanos());
            blocks.put(key(b.to(), b.amount(), null), b.timestampNanos());
        }
    }

    /** Decides every expectation older than the window at {@code nowNanos}. */
    public List<Alert> tick(long nowNanos) {
        List<Alert> out = new ArrayList<>();
        for (Iterator<Expected> it = expected.values().iterator(); it.hasNext();) {
            Expected x = it.next();
            if (nowNanos - x.sentAt < windowNanos) {
                continue;
            }
            it.remove();
            boolean seen = blocks.containsKey(key(x.to, x.amount, x.memo));
            boolean reconciled = x.journal != null && resolvedJournals.contains(x.canister + "/" + x.journal);
            if (seen || reconciled || !withEvidence.contains(x.canister)) {
                continue;
            }
            out.add(new Alert(Alert.VERSION, AlertClass.LEDGER_RECONCILIATION + "/" + x.canister + "/" + x.context + "/"
                    + x.call, AlertClass.LEDGER_RECONCILIATION, Severity.WARNING, x.canister, List.of(), x.amount,
                    String.format("Context %s notified %s (call %s, one-way) expecting a transfer of %s to %s%s; no such "
                            + "block appeared within %d s and the canister never reconciled it. A notify may be lost "
                            + "without anyone being told: check the effect later and correct the state.", x.context,
                            x.callee, x.call, x.amount, x.to, x.memo == null ? "" : " (memo " + x.memo + ")",
                            windowNanos / 1_000_000_000L),
                    new Evidence(List.of(x.eventId), List.of(x.context), List.of(x.call), List.of(), null,
                            List.of("notify-expected-transfer", "ledger-blocks", "journal"), List.of()),
                    nowNanos));
        }
        // Blocks older than two windows can no longer settle anything still expected.
        long keepAfter = nowNanos - 2 * windowNanos;
        for (Expected x : expected.values()) {
            keepAfter = Math.min(keepAfter, x.sentAt);
        }
        long cutoff = keepAfter;
        blocks.values().removeIf(t -> t < cutoff);
        return out;
    }

    /** Expectations not yet decided (still within their window). */
    public int undecided() {
        return expected.size();
    }

    private static String key(String to, BigInteger amount, String memo) {
        return to + "|" + amount + "|" + Objects.toString(memo, "");
    }
}
