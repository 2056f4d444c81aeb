package dev.interlock.detector.ledger;

import static dev.interlock.detector.graph.SortedStore.part;
import static dev.interlock.detector.graph.SortedStore.time;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.interlock.detector.graph.SortedStore;
import dev.interlock.model.CallEvent;

/**
 * The canister side of LEDGER_RECONCILIATION: reads one canister's events (in the service, on the
 * calls partition that owns the canister) and tells the account side what it needs, as
 * {@link ReconcileMessage}s to route by recipient account:
 * <ul>
 * <li>EXPECT for a one-way {@code notify} whose trace line names its expected transfer
 * ({@code tx}), with the journal entry open in its context and whether the canister prints
 * optional evidence;</li>
 * <li>RESOLVED when the canister completes that journal entry (it checked and corrected the
 * notify's effect itself), for every notify of the entry;</li>
 * <li>EVIDENCE when a canister's first optional evidence comes after a notify, for the notifies
 * sent before it.</li>
 * </ul>
 * Journal intents, completed journals and notifies are kept for two windows of the canister's
 * event time, the evidence flag for good. State lives in a {@link SortedStore}, one entry per fact.
 */
public final class NotifyTracker {
    private static final String EVIDENCE = "e";
    private static final String UNEVIDENCED = "v";
    private static final String JOURNAL = "j";
    private static final String RESOLVED = "r";
    private static final String NOTIFIED = "n";
    private static final String INDEX = "x";

    private final SortedStore<LedgerEntry> store;
    private final long retainNanos;
    /** Canisters known to print evidence (the flag never goes back): saves a store read per evidence event. */
    private final Set<String> evidenced = new HashSet<>();
    private final Map<String, Long> nextExpiry = new HashMap<>();

    /** @param windowNanos the reconciliation window; what the tracker remembers is kept for two */
    public NotifyTracker(SortedStore<LedgerEntry> store, long windowNanos) {
        this.store = store;
        this.retainNanos = 2 * windowNanos;
    }

    /** Whether an event can matter to reconciliation: a cheap test before any state is read. */
    public static boolean concerns(CallEvent e) {
        if (e.rolledBack() || e.kind() == null) {
            return false;
        }
        return switch (e.kind()) {
            case JOURNAL_INTENT, JOURNAL_RESULT, STATE_READ, STATE_WRITE, GUARD_ACQUIRE, GUARD_RELEASE -> true;
            case CALL -> isNotifyWithTransfer(e);
            default -> false;
        };
    }

    static boolean isNotifyWithTransfer(CallEvent e) {
        return "n".equals(e.value()) && e.transfer() != null && e.transfer().to() != null
                && e.transfer().amount() != null;
    }

    /** Feeds one event of the canister (in its order); returns the messages for the account side. */
    public List<ReconcileMessage> accept(CallEvent e) {
        if (!concerns(e)) {
            return List.of();
        }
        String canister = e.canister();
        long t = e.timeNanos();
        List<ReconcileMessage> out = new ArrayList<>(0);
        switch (e.kind()) {
            case JOURNAL_INTENT -> {
                evidence(canister, out);
                LedgerEntry j = new LedgerEntry();
                j.journal = e.subject();
                j.time = t;
                stamp(canister, JOURNAL + part(canister) + part(e.context()), j, t + retainNanos);
            }
            case JOURNAL_RESULT -> {
                evidence(canister, out);
                String prefix = NOTIFIED + part(canister) + part(e.subject());
                for (Map.Entry<String, LedgerEntry> n : store.range(prefix, SortedStore.upTo(prefix))) {
                    LedgerEntry x = n.getValue();
                    out.add(new ReconcileMessage(ReconcileMessage.Type.RESOLVED, x.account, x.amount, x.memo, canister,
                            null, x.call, e.subject(), null, null, t, true, null, null, null));
                    store.delete(n.getKey());
                }
                LedgerEntry r = new LedgerEntry();
                r.journal = e.subject();
                r.time = t;
                stamp(canister, RESOLVED + part(canister) + part(e.subject()), r, t + retainNanos);
            }
            case STATE_READ, STATE_WRITE, GUARD_ACQUIRE, GUARD_RELEASE -> evidence(canister, out);
            case CALL -> notify(e, out);
            default -> {
            }
        }
        sweep(canister, t);
        return out;
    }

    private void notify(CallEvent e, List<ReconcileMessage> out) {
        String canister = e.canister();
        long t = e.timeNanos();
        String journalKey = JOURNAL + part(canister) + part(e.context());
        LedgerEntry intent = store.get(journalKey);
        String journal = null;
        if (intent != null) {
            journal = intent.journal;
            store.delete(journalKey);
        }
        if (journal != null && store.get(RESOLVED + part(canister) + part(journal)) != null) {
            return; // already reconciled by the canister
        }
        boolean evidence = hasEvidence(canister);
        ReconcileMessage m = ReconcileMessage.expect(e, journal, evidence);
        out.add(m);
        LedgerEntry ref = new LedgerEntry();
        ref.account = m.account();
        ref.amount = m.amount();
        ref.memo = m.memo();
        ref.call = m.call();
        ref.time = t;
        if (journal != null) {
            stamp(canister, NOTIFIED + part(canister) + part(journal) + part(e.call()), ref, t + retainNanos);
        }
        if (!evidence) {
            LedgerEntry copy = copyRef(ref);
            stamp(canister, UNEVIDENCED + part(canister) + part(e.call()), copy, t + retainNanos);
        }
    }

    private static LedgerEntry copyRef(LedgerEntry ref) {
        LedgerEntry c = new LedgerEntry();
        c.account = ref.account;
        c.amount = ref.amount;
        c.memo = ref.memo;
        c.call = ref.call;
        c.time = ref.time;
        return c;
    }

    private boolean hasEvidence(String canister) {
        if (evidenced.contains(canister)) {
            return true;
        }
        if (store.get(EVIDENCE + part(canister)) != null) {
            evidenced.add(canister);
            return true;
        }
        return false;
    }

    private void evidence(String canister, List<ReconcileMessage> out) {
        if (hasEvidence(canister)) {
            return;
        }
        LedgerEntry flag = new LedgerEntry();
        flag.canister = canister;
        flag.evidence = true;
        store.put(EVIDENCE + part(canister), flag);
        evidenced.add(canister);
        String prefix = UNEVIDENCED + part(canister);
        for (Map.Entry<String, LedgerEntry> v : store.range(prefix, SortedStore.upTo(prefix))) {
            LedgerEntry x = v.getValue();
            out.add(new ReconcileMessage(ReconcileMessage.Type.EVIDENCE, x.account, x.amount, x.memo, canister, null,
                    x.call, null, null, null, x.time, true, null, null, null));
            store.delete(v.getKey());
        }
    }

    private void stamp(String canister, String key, LedgerEntry entry, long expiry) {
        entry.expiry = expiry;
        store.put(key, entry);
        store.put(INDEX + part(canister) + time(expiry) + key, new LedgerEntry());
        nextExpiry.merge(canister, expiry, Math::min);
    }

    private void sweep(String canister, long clock) {
        if (clock < nextExpiry.getOrDefault(canister, 0L)) {
            return;
        }
        String prefix = INDEX + part(canister);
        SortedStore.sweep(store, prefix, clock, x -> x.expiry);
        String first = store.firstKey(prefix, SortedStore.upTo(prefix));
        nextExpiry.put(canister, first == null ? Long.MAX_VALUE : SortedStore.timeAt(first, prefix.length()));
    }
}
