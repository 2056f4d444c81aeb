package dev.interlock.detector.ledger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.interlock.detector.core.OutgoingCall;
import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;
import dev.interlock.model.CallOutcome;
import dev.interlock.model.Transfer;

/**
 * The canister side of payment matching: reads one canister's events (in the service, after the
 * detector engine, on the calls partition that owns the canister) and tells the payer side
 * ({@link PaymentMatcher}) what it needs, as {@link PaymentMessage}s to route by payer. It says as
 * little as the rules need, because every message is a record on the broker:
 * <ul>
 * <li>CALL for a ledger transfer (a call whose {@code tx} has no {@code l}) once, when it is answered
 * with success (rule 1 expects its block; it explains one) or SYS_UNKNOWN (it may have been executed,
 * so it may explain a block). Any other answer means the ledger made no block: nothing is sent.</li>
 * <li>CALL for a call to another canister naming the transfer it should cause ({@code tx} with
 * {@code l}, or a notify) when it is sent, and again when it is answered: while outstanding it may
 * already explain a block the other canister made.</li>
 * <li>CLOCK: that the canister is monitored (at its first event) and how far its trace is complete for
 * transfers: its latest event time, but never past a ledger transfer still awaiting its answer (which
 * may yet explain a block). {@link #clocks} (called every second or so) sends it for each canister
 * that moved at least {@code clockEveryNanos} since its last clock or fell quiet since the previous
 * call, so a busy canister costs at most one clock per call and a quiet one has its last time sent.</li>
 * </ul>
 * A ledger whose blocks name account identifiers instead of owners (the ICP ledger, or any call whose
 * recipient is a 64-hex identifier) gets its transfers keyed by the paying account's identifier, with
 * the recipient as an identifier, so that they meet its blocks; and the canister's clock is also sent
 * under the identifier of its default account, so that blocks out of it are judged too. Blocks out of
 * its subaccounts meet the transfers that name them ({@code tx.from}) but are not judged when none
 * does: nothing durable says which subaccounts are the canister's (a watch taken up from a transfer
 * would stop with a restart, and its stalled clock would judge the next block too early).
 * <p>Events rolled back by a trap are never passed here: a trapped message's calls were never sent.
 * Keeps each canister's clock and its ledger transfers awaiting an answer in memory only (forgotten
 * after {@code pendingLimitNanos} of its event time): after a restart, the first event of a canister
 * brings the engine's (stored) outgoing calls still awaiting an answer, so a transfer sent before the
 * restart and answered after it holds the clock back as it did before.
 */
public final class PaymentTracker {
    /** The ICP ledger's canister id: its blocks name account identifiers. */
    public static final String ICP_LEDGER = "ryjl3-tyaaa-aaaaa-aaaba-cai";
    public static final Set<String> DEFAULT_IDENTIFIER_LEDGERS = Set.of(ICP_LEDGER);

    private final long clockEveryNanos;
    private final long pendingLimitNanos;
    private final Set<String> identifierLedgers;
    private final Map<String, CanisterClock> clocks = new HashMap<>();

    private static final class CanisterClock {
        /** The identifier of the canister's default account, its clock goes to too (ledgers naming identifiers). */
        String identifier;
        long latest;
        long sent;
        long latestAtLastFlush;
        /** Ledger transfers awaiting an answer: call id → sent time. */
        final Map<String, Long> pending = new HashMap<>(4);

        /** Every transfer call sent before this time has been told about (or has no block to explain). */
        long complete(long pendingLimitNanos) {
            long oldest = Long.MAX_VALUE;
            for (var it = pending.values().iterator(); it.hasNext();) {
                long sentAt = it.next();
                if (sentAt < latest - pendingLimitNanos) {
                    it.remove(); // its answer was lost with the log, or comes far too late to wait for
                } else {
                    oldest = Math.min(oldest, sentAt);
                }
            }
            return oldest == Long.MAX_VALUE ? latest : Math.min(latest, oldest - 1);
        }
    }

    public PaymentTracker(long clockEveryNanos, long pendingLimitNanos) {
        this(clockEveryNanos, pendingLimitNanos, Set.of());
    }

    /**
     * @param identifierLedgers ledgers whose blocks name account identifiers, not owners (the ICP ledger); read as it
     *                          is (offline, more may be added as their blocks are read: calls to them from then on are
     *                          keyed so, and canisters first seen from then on send their default account's clock)
     */
    public PaymentTracker(long clockEveryNanos, long pendingLimitNanos, Set<String> identifierLedgers) {
        this.clockEveryNanos = clockEveryNanos;
        this.pendingLimitNanos = pendingLimitNanos;
        this.identifierLedgers = identifierLedgers;
    }

    /**
     * @param e      an event of the canister, in its order, not rolled back
     * @param call   the engine's record of the event's outgoing call (CALL, CALLBACK, SEND_FAILED events), or null
     * @param caller the caller of the event's context, when known
     */
    public List<PaymentMessage> accept(CallEvent e, OutgoingCall call, String caller) {
        return accept(e, call, caller, null);
    }

    /**
     * @param awaiting the canister's outgoing calls still awaiting an answer, as the engine knows them with this event
     *                 applied (its stored state, after a restart); read only at the canister's first event here;
     *                 null when this tracker sees the canister's events from its first
     */
    public List<PaymentMessage> accept(CallEvent e, OutgoingCall call, String caller,
            Supplier<? extends Collection<OutgoingCall>> awaiting) {
        List<PaymentMessage> out = new ArrayList<>(0);
        CanisterClock clock = clocks.get(e.canister());
        boolean first = clock == null;
        if (first) {
            clock = new CanisterClock();
            clocks.put(e.canister(), clock);
            clock.identifier = identifierLedgers.isEmpty() ? null : Accounts.defaultIdentifier(e.canister());
            if (awaiting != null) {
                for (OutgoingCall o : awaiting.get()) {
                    if (o.transfer != null && direct(o.transfer, o.waitKind) && o.awaiting()) {
                        clock.pending.put(o.id, o.sentAt);
                    }
                }
            }
        }
        clock.latest = Math.max(clock.latest, e.timeNanos());
        switch (e.kind()) {
            case CALL -> {
                Transfer t = e.transfer();
                if (t != null && direct(t, e.value())) {
                    clock.pending.put(e.call(), e.timeNanos());
                } else if (t != null) {
                    add(out, message(e.canister(), e.context(), caller, e.call(), e.callee(), e.calleeMethod(), e.value(),
                            t, e.timeNanos(), e.id(), null, null, null, false));
                }
            }
            case CALLBACK, SEND_FAILED -> {
                clock.pending.remove(e.call());
                if (call != null && call.transfer != null && call.callee != null) {
                    boolean sendFailed = e.kind() == CallEventKind.SEND_FAILED;
                    CallOutcome o = e.outcome();
                    boolean mayHaveBlock = !sendFailed && o != null
                            && (o.succeeded() || (!o.isReply() && Integer.valueOf(6).equals(o.rejectCode())));
                    if (!direct(call.transfer, call.waitKind) || mayHaveBlock) {
                        add(out, message(e.canister(), e.context(), caller, call.id, call.callee, call.method,
                                call.waitKind, call.transfer, call.sentAt, null, e.id(), e.timeNanos(), o, sendFailed));
                    }
                }
            }
            case LOG_GAP -> {
                long since = Long.parseLong(e.value());
                out.add(PaymentMessage.gap(e.canister(), e.canister(), e.id(), e.subject(), since, e.timeNanos()));
                if (clock.identifier != null) {
                    out.add(PaymentMessage.gap(clock.identifier, e.canister(), e.id(), e.subject(), since,
                            e.timeNanos()));
                }
            }
            default -> {
            }
        }
        if (first) {
            clock.sent = clock.complete(pendingLimitNanos);
            clock.latestAtLastFlush = clock.latest;
            clockMessages(out, e.canister(), clock, clock.sent);
        }
        return out;
    }

    /** The clocks due: canisters that moved a clock interval since their last, or fell quiet with time unsent. */
    public List<PaymentMessage> clocks() {
        List<PaymentMessage> out = new ArrayList<>(0);
        for (Map.Entry<String, CanisterClock> e : clocks.entrySet()) {
            CanisterClock c = e.getValue();
            boolean quiet = c.latest == c.latestAtLastFlush;
            c.latestAtLastFlush = c.latest;
            if (c.latest <= c.sent || !(quiet || c.latest - c.sent >= clockEveryNanos)) {
                continue;
            }
            long complete = c.complete(pendingLimitNanos);
            if (complete > c.sent) {
                clockMessages(out, e.getKey(), c, complete);
                c.sent = complete;
            }
        }
        return out;
    }

    /** A transfer the call asks the ledger itself for (not one another canister should make, not a notify's). */
    private static boolean direct(Transfer t, String waitKind) {
        return t.ledger() == null && !"n".equals(waitKind);
    }

    private static void add(List<PaymentMessage> out, PaymentMessage m) {
        if (m != null) {
            out.add(m);
        }
    }

    /** The canister's clock, under its principal and under the identifier of its default account. */
    private static void clockMessages(List<PaymentMessage> out, String canister, CanisterClock clock, long time) {
        out.add(PaymentMessage.clock(canister, time));
        if (clock.identifier != null) {
            out.add(PaymentMessage.clock(clock.identifier, canister, time));
        }
    }

    private PaymentMessage message(String canister, String context, String caller, String call, String callee,
            String method, String waitKind, Transfer t, long sentNanos, String eventId, String answerEventId,
            Long answerNanos, CallOutcome outcome, boolean sendFailed) {
        if (t.to() == null || t.amount() == null) {
            return null;
        }
        String ledger = t.ledger() == null ? callee : t.ledger();
        String payer;
        String to;
        if (identifierLedgers.contains(ledger) || Accounts.isIdentifier(t.to())) {
            // its blocks name account identifiers: so does the message, to meet them on the payer's partition
            payer = t.from() == null ? Accounts.defaultIdentifier(canister) : Accounts.identifier(t.from());
            to = Accounts.identifier(t.to());
        } else {
            payer = t.from() == null ? canister : Accounts.owner(t.from());
            to = t.to();
        }
        if (payer == null || to == null) {
            return null;
        }
        return new PaymentMessage(PaymentMessage.Type.CALL, payer, canister, context, caller, call, callee, method,
                waitKind, ledger, to, t.amount(), t.memo(), t.createdAtTime(), sentNanos, eventId, answerEventId,
                answerNanos, outcome, sendFailed, null, null, null);
    }
}
