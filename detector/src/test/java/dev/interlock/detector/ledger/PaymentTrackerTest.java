package dev.interlock.detector.ledger;

import static dev.interlock.detector.ledger.PaymentRulesTest.BOB;
import static dev.interlock.detector.ledger.PaymentRulesTest.LEDGER;
import static dev.interlock.detector.ledger.PaymentRulesTest.ROUTER;
import static dev.interlock.detector.ledger.PaymentRulesTest.SECOND;
import static dev.interlock.detector.ledger.PaymentRulesTest.SHOP;
import static dev.interlock.detector.ledger.PaymentRulesTest.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigInteger;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.interlock.detector.core.OutgoingCall;
import dev.interlock.ic.Account;
import dev.interlock.ic.AccountIdentifier;
import dev.interlock.ic.Principal;
import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;
import dev.interlock.model.CallOutcome;
import dev.interlock.model.Transfer;

/** What the canister side tells the payer side: as few records as the rules need. */
class PaymentTrackerTest {
    private static final long WINDOW = 300 * SECOND;
    private final PaymentTracker tracker = new PaymentTracker(10 * SECOND, WINDOW);
    private long seq;

    private List<PaymentMessage> open(long t) {
        return tracker.accept(CallEvent.open(SHOP + "/" + seq, SHOP, seq++, T0 + t * SECOND, "c1", BOB, "pay"), null,
                BOB);
    }

    private static Transfer direct() {
        return new Transfer(BOB, BigInteger.valueOf(500), null, T0);
    }

    private static Transfer viaRouter() {
        return new Transfer(BOB, BigInteger.valueOf(500), null, null, null, LEDGER);
    }

    private List<PaymentMessage> send(String call, long t, String callee, Transfer tx) {
        return tracker.accept(new CallEvent(SHOP + "/" + seq, SHOP, seq++, T0 + t * SECOND, CallEventKind.CALL, "c1",
                null, null, call, callee, "icrc1_transfer", tx, null, false, null, "u"), null, BOB);
    }

    private List<PaymentMessage> answer(String call, long sent, long t, String callee, Transfer tx, CallOutcome o) {
        OutgoingCall c = new OutgoingCall();
        c.id = call;
        c.callee = callee;
        c.method = "icrc1_transfer";
        c.waitKind = "u";
        c.transfer = tx;
        c.sentAt = T0 + sent * SECOND;
        c.outcome = o;
        return tracker.accept(CallEvent.callback(SHOP + "/" + seq, SHOP, seq++, T0 + t * SECOND, "c1", call, o), c,
                BOB);
    }

    @Test
    void theFirstEventOfACanisterSaysItIsMonitored() {
        assertThat(open(0)).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(PaymentMessage.Type.CLOCK);
            assertThat(m.canister()).isEqualTo(SHOP);
            assertThat(m.timeNanos()).isEqualTo(T0);
        });
        assertThat(open(1)).isEmpty();
    }

    @Test
    void aLedgerTransferIsToldOnceWhenAnsweredWithSuccessWithItsSendTime() {
        open(0);
        assertThat(send("k1", 1, LEDGER, direct())).isEmpty();

        assertThat(answer("k1", 1, 2, LEDGER, direct(), CallOutcome.reply(7L))).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(PaymentMessage.Type.CALL);
            assertThat(m.payer()).isEqualTo(SHOP);
            assertThat(m.ledger()).isEqualTo(LEDGER);
            assertThat(m.timeNanos()).isEqualTo(T0 + SECOND);
            assertThat(m.answerNanos()).isEqualTo(T0 + 2 * SECOND);
            assertThat(m.outcome().blockIndex()).isEqualTo(7L);
        });
    }

    @Test
    void aLedgerTransferAnsweredSysUnknownIsToldForItMayHaveBeenExecuted() {
        open(0);
        send("k1", 1, LEDGER, direct());

        assertThat(answer("k1", 1, 2, LEDGER, direct(), CallOutcome.reject(6, "deadline"))).hasSize(1);
    }

    @Test
    void aLedgerTransferTheLedgerRefusedOrRejectedIsNotToldAtAll() {
        open(0);
        send("k1", 1, LEDGER, direct());
        send("k2", 1, LEDGER, direct());

        assertThat(answer("k1", 1, 2, LEDGER, direct(), CallOutcome.replyError("InsufficientFunds"))).isEmpty();
        assertThat(answer("k2", 1, 2, LEDGER, direct(), CallOutcome.reject(5, "trapped"))).isEmpty();
    }

    @Test
    void aCallThroughAnotherCanisterIsToldWhenSentAndAgainWhenAnswered() {
        open(0);
        assertThat(send("k1", 1, ROUTER, viaRouter())).singleElement().satisfies(m -> {
            assertThat(m.ledger()).isEqualTo(LEDGER);
            assertThat(m.callee()).isEqualTo(ROUTER);
            assertThat(m.answered()).isFalse();
        });
        assertThat(answer("k1", 1, 9, ROUTER, viaRouter(), CallOutcome.reject(4, "no"))).singleElement()
                .satisfies(m -> assertThat(m.answered()).isTrue());
    }

    @Test
    void onTheIcpLedgerTheTransferAndTheCanistersClockAreKeyedByAccountIdentifier() {
        PaymentTracker icp = new PaymentTracker(10 * SECOND, WINDOW, PaymentTracker.DEFAULT_IDENTIFIER_LEDGERS);
        String shopId = AccountIdentifier.hex(Account.of(Principal.fromText(SHOP)));
        String bobId = AccountIdentifier.hex(Account.of(Principal.fromText(BOB)));

        assertThat(icp.accept(CallEvent.open(SHOP + "/0", SHOP, 0, T0, "c1", BOB, "pay"), null, BOB))
                .extracting(PaymentMessage::type, PaymentMessage::payer, PaymentMessage::canister)
                .containsExactly(tuple(PaymentMessage.Type.CLOCK, SHOP, SHOP),
                        tuple(PaymentMessage.Type.CLOCK, shopId, SHOP));
        OutgoingCall c = new OutgoingCall();
        c.id = "k1";
        c.callee = PaymentTracker.ICP_LEDGER;
        c.method = "icrc1_transfer";
        c.waitKind = "u";
        c.transfer = direct();
        c.sentAt = T0;
        c.outcome = CallOutcome.reply(7L);
        assertThat(icp.accept(CallEvent.callback(SHOP + "/1", SHOP, 1, T0 + SECOND, "c1", "k1", c.outcome), c, BOB))
                .singleElement().satisfies(m -> {
                    assertThat(m.type()).isEqualTo(PaymentMessage.Type.CALL);
                    assertThat(m.payer()).isEqualTo(shopId);
                    assertThat(m.to()).isEqualTo(bobId);
                    assertThat(m.ledger()).isEqualTo(PaymentTracker.ICP_LEDGER);
                });
    }

    @Test
    void theClockStopsJustBeforeALedgerTransferStillAwaitingItsAnswer() {
        open(0);
        send("k1", 5, LEDGER, direct());
        open(40);
        assertThat(tracker.clocks()).singleElement()
                .satisfies(m -> assertThat(m.timeNanos()).isEqualTo(T0 + 5 * SECOND - 1));

        answer("k1", 5, 41, LEDGER, direct(), CallOutcome.reply(3L));
        assertThat(tracker.clocks()).singleElement().satisfies(m -> assertThat(m.timeNanos()).isEqualTo(T0 + 41 * SECOND));
    }

    @Test
    void afterARestartATransferSentBeforeItAndStillAwaitingItsAnswerHoldsTheClockBack() {
        OutgoingCall sentBefore = new OutgoingCall();
        sentBefore.id = "k1";
        sentBefore.callee = LEDGER;
        sentBefore.method = "icrc1_transfer";
        sentBefore.waitKind = "u";
        sentBefore.transfer = direct();
        sentBefore.sentAt = T0 + 5 * SECOND;
        OutgoingCall answeredBefore = new OutgoingCall();
        answeredBefore.id = "k0";
        answeredBefore.callee = LEDGER;
        answeredBefore.waitKind = "u";
        answeredBefore.transfer = direct();
        answeredBefore.sentAt = T0 + 2 * SECOND;
        answeredBefore.outcome = CallOutcome.reply(1L);
        PaymentTracker restarted = new PaymentTracker(10 * SECOND, WINDOW);

        List<PaymentMessage> first = restarted.accept(CallEvent.open(SHOP + "/9", SHOP, 9, T0 + 40 * SECOND, "c2", BOB,
                "pay"), null, BOB, () -> List.of(answeredBefore, sentBefore));

        assertThat(first).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(PaymentMessage.Type.CLOCK);
            assertThat(m.timeNanos()).as("not past the transfer the restart interrupted").isEqualTo(T0 + 5 * SECOND - 1);
        });
        sentBefore.outcome = CallOutcome.reply(3L);
        assertThat(restarted.accept(CallEvent.callback(SHOP + "/10", SHOP, 10, T0 + 41 * SECOND, "c1", "k1",
                sentBefore.outcome), sentBefore, BOB, () -> List.of())).singleElement()
                .satisfies(m -> assertThat(m.type()).isEqualTo(PaymentMessage.Type.CALL));
        assertThat(restarted.clocks()).singleElement()
                .satisfies(m -> assertThat(m.timeNanos()).isEqualTo(T0 + 41 * SECOND));
    }

    @Test
    void aTransferNeverAnsweredHoldsTheClockBackOnlyForAWindow() {
        open(0);
        send("k1", 5, LEDGER, direct()); // its callback was lost with the log
        open(5 + WINDOW / SECOND + 1);

        assertThat(tracker.clocks()).singleElement()
                .satisfies(m -> assertThat(m.timeNanos()).isEqualTo(T0 + (6 + WINDOW / SECOND) * SECOND));
    }

    @Test
    void aBusyCanisterSendsItsClockOnlyAfterMovingAnIntervalAndAQuietOneSendsItsLastTime() {
        open(0);
        open(3);
        assertThat(tracker.clocks()).as("busy, moved 3 s of a 10 s interval").isEmpty();
        open(6);
        assertThat(tracker.clocks()).as("still busy, 6 s").isEmpty();
        open(11);
        assertThat(tracker.clocks()).as("moved 11 s").singleElement()
                .satisfies(m -> assertThat(m.timeNanos()).isEqualTo(T0 + 11 * SECOND));
        open(12);
        assertThat(tracker.clocks()).as("moved since the last flush").isEmpty();
        assertThat(tracker.clocks()).as("quiet since the last flush: its last time").singleElement()
                .satisfies(m -> assertThat(m.timeNanos()).isEqualTo(T0 + 12 * SECOND));
        assertThat(tracker.clocks()).as("nothing new").isEmpty();
    }
}
