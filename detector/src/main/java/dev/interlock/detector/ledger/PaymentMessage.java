package dev.interlock.detector.ledger;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import dev.interlock.model.CallEvent;
import dev.interlock.model.CallOutcome;
import dev.interlock.model.LedgerBlock;

/**
 * What the canister side ({@link PaymentTracker}) and the ledger side (blocks) tell the payer side
 * ({@link PaymentMatcher}). In the service these are the records of the payments repartition topic,
 * keyed by {@link #payer()}: a monitored canister's transfer calls and the blocks that move funds out
 * of the same principal's accounts meet there. PROGRESS is not keyed: every partition gets it.
 *
 * @param type          what happened
 * @param payer         the principal whose account the funds leave (CALL: the owner of {@code tx.from}, else the
 *                      calling canister; BLOCK: the owner of the block's {@code from}; CLOCK: the canister); on a
 *                      ledger whose blocks name account identifiers (the ICP ledger), the identifier of the account
 *                      (CLOCK: of one of the canister's accounts) in lowercase hex; null for PROGRESS
 * @param canister      CALL, CLOCK: the monitored canister
 * @param context       CALL: the calling context
 * @param caller        CALL: the context's caller, when known
 * @param call          CALL: the call id
 * @param callee        CALL: the called canister
 * @param method        CALL: the called method
 * @param waitKind      CALL: u, b or n
 * @param ledger        CALL: the ledger the transfer goes to ({@code tx.l}, else the callee); BLOCK, PROGRESS: the
 *                      ledger
 * @param to            CALL, BLOCK: recipient account (ICRC-1 text, or an account identifier's hex where the payer is
 *                      one); null for a burn block
 * @param amount        CALL, BLOCK: amount
 * @param memo          CALL, BLOCK: hex memo, or null
 * @param createdAtTime CALL, BLOCK: {@code created_at_time}, or null
 * @param timeNanos     CALL: when the call was sent; CLOCK: the canister's latest event time; BLOCK: the block's
 *                      time; PROGRESS: the time of the ledger's latest block routed
 * @param eventId       CALL: the trace event of the call
 * @param answerEventId CALL: the callback (or send failure) event, once answered
 * @param answerNanos   CALL: when the answer arrived, once answered
 * @param outcome       CALL: the answer as the canister saw it, or null (not answered yet, or a send failure)
 * @param sendFailed    CALL: the call failed synchronously: nothing was sent
 * @param blockIndex    BLOCK: its index; PROGRESS: the ledger's latest index routed
 * @param op            BLOCK: xfer or burn
 * @param spender       BLOCK: the spender's account of an {@code icrc2_transfer_from}, or null
 *                      <p>GAP (records of the canister's log lost unread): {@code payer} the canister (or its
 *                      default account's identifier), {@code canister}, {@code timeNanos} the time of the last record
 *                      read before them, {@code answerNanos} of the first after, {@code eventId} the LOG_GAP event,
 *                      {@code op} the lost idx range {@code <from>..<to>}
 */
public record PaymentMessage(
        Type type,
        String payer,
        String canister,
        String context,
        String caller,
        String call,
        String callee,
        String method,
        String waitKind,
        String ledger,
        String to,
        BigInteger amount,
        String memo,
        Long createdAtTime,
        long timeNanos,
        String eventId,
        String answerEventId,
        Long answerNanos,
        CallOutcome outcome,
        boolean sendFailed,
        Long blockIndex,
        String op,
        String spender) {

    public enum Type {
        /** A monitored canister's call that transfers (or should cause a transfer), sent, and again when answered. */
        CALL,
        /** A monitored canister's event clock: it is monitored, and its trace has reached this time. */
        CLOCK,
        /** A ledger block that moves funds out of an account (a transfer or a burn). */
        BLOCK,
        /** A ledger's latest block routed so far: blocks up to it have reached every partition. */
        PROGRESS,
        /** Records of a monitored canister's log were lost unread: a call that explains a block may be among them. */
        GAP
    }

    /** Records of the canister's log were lost between {@code sinceNanos} and {@code untilNanos}. */
    public static PaymentMessage gap(String payer, String canister, String eventId, String lostRange, long sinceNanos,
            long untilNanos) {
        return new PaymentMessage(Type.GAP, payer, canister, null, null, null, null, null, null, null, null, null,
                null, null, sinceNanos, eventId, null, untilNanos, null, false, null, lostRange, null);
    }

    public static PaymentMessage clock(String canister, long timeNanos) {
        return clock(canister, canister, timeNanos);
    }

    /** The canister's clock for one of its accounts, named by its identifier on ledgers that name identifiers. */
    public static PaymentMessage clock(String payer, String canister, long timeNanos) {
        return new PaymentMessage(Type.CLOCK, payer, canister, null, null, null, null, null, null, null, null, null,
                null, null, timeNanos, null, null, null, null, false, null, null, null);
    }

    public static PaymentMessage progress(String ledger, long index, long timeNanos) {
        return new PaymentMessage(Type.PROGRESS, null, null, null, null, null, null, null, null, ledger, null, null,
                null, null, timeNanos, null, null, null, null, false, index, null, null);
    }

    /**
     * A block as the matcher needs it, or null for blocks that move nothing out of an account: mints, approvals (they
     * only set an allowance), unknown types, and blocks whose source is neither an ICRC-1 account text nor an account
     * identifier. A block that names account identifiers (the ICP ledger's: they hash the owner away) has the source's
     * identifier as its payer.
     */
    public static PaymentMessage block(LedgerBlock b) {
        if (b.amount() == null || !("xfer".equals(b.op()) || "burn".equals(b.op()))) {
            return null;
        }
        boolean identifiers = Accounts.isIdentifier(b.from());
        String payer = identifiers ? Accounts.identifier(b.from()) : Accounts.owner(b.from());
        if (payer == null) {
            return null;
        }
        String to = "burn".equals(b.op()) ? null : identifiers ? Accounts.identifier(b.to()) : b.to();
        return new PaymentMessage(Type.BLOCK, payer, null, null, null, null, null, null, null, b.ledger(), to,
                b.amount(), b.memo(), b.createdAtTime(), b.timestampNanos(), null, null, null, null, false, b.index(),
                b.op(), b.spender());
    }

    /** The call has been answered, or failed to be sent. */
    public boolean answered() {
        return outcome != null || sendFailed;
    }

    /** What is missing for this message's type; empty when usable. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (type == null) {
            p.add("type is missing");
            return p;
        }
        switch (type) {
            case CALL -> {
                require(p, payer, "payer");
                require(p, canister, "canister");
                require(p, call, "call");
                require(p, ledger, "ledger");
                if (amount == null || amount.signum() < 0) {
                    p.add("amount must be a non-negative integer");
                }
            }
            case CLOCK -> {
                require(p, payer, "payer");
                require(p, canister, "canister");
            }
            case BLOCK -> {
                require(p, payer, "payer");
                require(p, ledger, "ledger");
                if (blockIndex == null || blockIndex < 0) {
                    p.add("blockIndex must be a non-negative integer");
                }
                if (amount == null || amount.signum() < 0) {
                    p.add("amount must be a non-negative integer");
                }
            }
            case PROGRESS -> {
                require(p, ledger, "ledger");
                if (blockIndex == null || blockIndex < 0) {
                    p.add("blockIndex must be a non-negative integer");
                }
            }
            case GAP -> {
                require(p, payer, "payer");
                require(p, canister, "canister");
                if (answerNanos == null || answerNanos < timeNanos) {
                    p.add("answerNanos must be the time after the gap, not before timeNanos");
                }
                if (CallEvent.idxRange(op) == null) {
                    p.add("op must be the lost idx range <from>..<to>");
                }
            }
        }
        return p;
    }

    private static void require(List<String> p, String value, String name) {
        if (value == null || value.isEmpty()) {
            p.add(name + " is missing");
        }
    }
}
