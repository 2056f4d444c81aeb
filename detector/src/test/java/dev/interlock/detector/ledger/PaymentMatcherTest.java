package dev.interlock.detector.ledger;

import static dev.interlock.detector.ledger.PaymentRulesTest.ALICE;
import static dev.interlock.detector.ledger.PaymentRulesTest.BOB;
import static dev.interlock.detector.ledger.PaymentRulesTest.LEDGER;
import static dev.interlock.detector.ledger.PaymentRulesTest.SECOND;
import static dev.interlock.detector.ledger.PaymentRulesTest.SHOP;
import static dev.interlock.detector.ledger.PaymentRulesTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

import dev.interlock.detector.graph.SortedStore;
import dev.interlock.model.CallOutcome;
import dev.interlock.model.LedgerBlock;

/**
 * The payer side as the service runs it: messages arrive from different partitions in any order,
 * and decisions wait for the ledger's progress and the canister's clock instead of the end of input.
 */
class PaymentMatcherTest {
    private static final long WINDOW = 300 * SECOND;
    private final SortedStore<PaymentEntry> store = SortedStore.inMemory();
    private final PaymentMatcher matcher = new PaymentMatcher(store, WINDOW);

    private static PaymentMessage call(String call, long sentSeconds, CallOutcome outcome, Long answerSeconds) {
        return new PaymentMessage(PaymentMessage.Type.CALL, SHOP, SHOP, "c-" + call, ALICE, call, LEDGER,
                "icrc1_transfer", "u", LEDGER, BOB, BigInteger.valueOf(500), "6d31", T0, T0 + sentSeconds * SECOND, "e-" + call, answerSeconds == null ? null : "a-" + call,
                answerSeconds == null ? null : T0 + answerSeconds * SECOND, outcome, false, null, null, null);
    }

    private static PaymentMessage block(long index, long seconds, String from, String to) {
        return PaymentMessage.block(new LedgerBlock(LEDGER, index, "h", null, T0 + seconds * SECOND, "xfer", from, to,
                BigInteger.valueOf(500), BigInteger.TEN, "6d31", T0));
    }

    @Test
    void aReplyIsDecidedOnlyOnceTheLedgersBlocksHavePassedItsTimeByTheSkew() {
        matcher.accept(call("k1", 0, null, null), 1_000);
        matcher.accept(call("k1", 0, CallOutcome.reply(7L), 1L), 1_000);
        assertThat(matcher.decide(1_000, 0, false)).as("its ledger not heard of").isEmpty();

        matcher.accept(PaymentMessage.progress(LEDGER, 9, T0 + SECOND + PaymentMatcher.SKEW_NANOS - 1), 1_100);
        assertThat(matcher.decide(1_100, 0, false)).as("a block made a little later may still be its").isEmpty();

        matcher.accept(PaymentMessage.progress(LEDGER, 10, T0 + SECOND + PaymentMatcher.SKEW_NANOS), 1_200);
        assertThat(matcher.decide(1_200, 0, false)).singleElement()
                .satisfies(a -> assertThat(a.dedupKey()).endsWith("/c-k1/k1/no-block"));
        assertThat(matcher.decide(1_300, 0, false)).as("decided once").isEmpty();
    }

    @Test
    void aBlockThatArrivedBeforeTheReplyIsFoundWhenTheReplyComes() {
        matcher.accept(block(7, 0, SHOP, BOB), 1_000);
        matcher.accept(PaymentMessage.progress(LEDGER, 9, T0 + 2 * SECOND + PaymentMatcher.SKEW_NANOS), 1_000);
        matcher.accept(call("k1", 0, CallOutcome.reply(7L), 1L), 1_500);

        assertThat(matcher.decide(1_500, 0, false)).isEmpty();
        assertThat(matcher.undecided()).isZero();
    }

    @Test
    void anUnexplainedBlockWaitsUntilTheCanistersTraceHasPassedItsTime() {
        matcher.accept(PaymentMessage.clock(SHOP, T0), 1_000);
        matcher.accept(block(12, 10, SHOP, BOB), 1_000);
        assertThat(matcher.decide(1_000, 0, false)).isEmpty();

        matcher.accept(PaymentMessage.clock(SHOP, T0 + 10 * SECOND + PaymentMatcher.SKEW_NANOS - 1), 2_000);
        assertThat(matcher.decide(2_000, 0, false)).isEmpty();

        matcher.accept(PaymentMessage.clock(SHOP, T0 + 10 * SECOND + PaymentMatcher.SKEW_NANOS), 3_000);
        assertThat(matcher.decide(3_000, 0, false)).singleElement()
                .satisfies(a -> assertThat(a.evidence().blockIndexes()).containsExactly(12L));
    }

    @Test
    void aCallThatArrivesAfterItsBlockStillExplainsIt() {
        matcher.accept(PaymentMessage.clock(SHOP, T0), 1_000);
        matcher.accept(block(12, 10, SHOP, BOB), 1_000);
        matcher.accept(call("k1", 9, null, null), 5_000); // the canister's log came late

        matcher.accept(PaymentMessage.clock(SHOP, T0 + 600 * SECOND), 6_000);
        assertThat(matcher.decide(6_000, 0, false)).isEmpty();
    }

    @Test
    void aSilentCanistersUnexplainedBlockIsDecidedAfterAWindowOfWallClock() {
        matcher.accept(PaymentMessage.clock(SHOP, T0), 1_000);
        matcher.accept(block(12, 10, SHOP, BOB), 1_000);

        assertThat(matcher.decide(1_000 + WINDOW / 1_000_000 - 1, 0, false)).isEmpty();
        assertThat(matcher.decide(1_000 + WINDOW / 1_000_000, 0, false)).hasSize(1);
    }

    @Test
    void silenceIsCountedFromTheStartOfThisInstanceNotFromBeforeADowntime() {
        matcher.accept(PaymentMessage.clock(SHOP, T0), 1_000);
        matcher.accept(block(12, 10, SHOP, BOB), 1_000);

        long restarted = 1_000_000;
        assertThat(matcher.decide(restarted + 10, restarted, false)).isEmpty();
    }

    @Test
    void aBlockFromACanisterWhoseTraceStartsLaterIsJudgedOnceItIsKnownToBeMonitored() {
        matcher.accept(block(12, 10, SHOP, BOB), 1_000);
        assertThat(matcher.decide(1_000, 0, true)).as("not known as monitored yet").isEmpty();

        matcher.accept(PaymentMessage.clock(SHOP, T0 + 600 * SECOND), 2_000);
        assertThat(matcher.decide(2_000, 0, false)).hasSize(1);
    }

    @Test
    void aLedgerFarAheadOfACanistersTraceDoesNotMakeTheStageForgetWhatTheTraceStillNeeds() {
        matcher.accept(PaymentMessage.clock(SHOP, T0), 1_000);
        matcher.accept(block(5, 1, SHOP, BOB), 1_000); // its call is still on its way: the shop's log lags
        // another ledger's backfill runs the stage's clock hours past the block's retention
        matcher.accept(PaymentMessage.progress("ryjl3-tyaaa-aaaaa-aaaba-cai", 90, T0 + 3 * WINDOW), 1_100);
        matcher.sweep(1_100);
        assertThat(matcher.decide(1_100, 0, false)).as("neither forgotten nor judged for being old").isEmpty();

        matcher.accept(call("k1", 0, CallOutcome.reply(5L), 1L), 1_200);
        matcher.accept(PaymentMessage.clock(SHOP, T0 + 2 * PaymentMatcher.SKEW_NANOS), 1_200);
        assertThat(matcher.decide(1_200, 0, false)).as("the late call explains it").isEmpty();
        assertThat(matcher.undecided()).isZero();
    }

    @Test
    void whatNothingNeedsAnyMoreIsForgottenAtTheLatestAfterTwelveWindows() {
        matcher.accept(PaymentMessage.clock(SHOP, T0), 1_000);
        matcher.accept(block(5, 1, SHOP, BOB), 1_000);
        matcher.accept(PaymentMessage.progress("ryjl3-tyaaa-aaaaa-aaaba-cai", 90,
                T0 + PaymentMatcher.KEEP_AT_MOST * WINDOW + 2 * SECOND), 1_100);
        matcher.sweep(1_100);

        assertThat(store.range("b", "b~")).isEmpty();
        assertThat(matcher.undecided()).isZero();
    }

    @Test
    void aReplyWhoseLedgerIsNotHeardOfYetWaitsForItWhileAnotherLedgerRunsTheClockAhead() {
        matcher.accept(PaymentMessage.clock(SHOP, T0), 1_000);
        matcher.accept(call("k1", 0, CallOutcome.reply(7L), 1L), 1_000);
        // another ledger's backlog (routed by another instance) runs the stage's clock past the call's retention
        matcher.accept(PaymentMessage.progress("ryjl3-tyaaa-aaaaa-aaaba-cai", 90, T0 + 3 * WINDOW), 1_100);
        assertThat(matcher.decide(1_100, 0, false)).isEmpty();
        matcher.sweep(1_100);

        matcher.accept(PaymentMessage.progress(LEDGER, 99, T0 + 3 * WINDOW), 1_500);
        assertThat(matcher.decide(1_500, 0, false)).as("its ledger came, without its block").singleElement()
                .satisfies(a -> assertThat(a.dedupKey()).endsWith("/k1/no-block"));
        assertThat(matcher.unverifiable()).isZero();
    }

    @Test
    void callsAndBlocksAreForgottenOnceTheirLedgerPassedThemAndAReplyOnALedgerNotFollowedIsCountedUnchecked() {
        matcher.accept(PaymentMessage.clock(SHOP, T0), 1_000);
        matcher.accept(call("k1", 0, CallOutcome.reply(7L), 1L), 1_000);
        PaymentMessage onOther = call("k2", 0, CallOutcome.reply(8L), 1L);
        matcher.accept(new PaymentMessage(onOther.type(), onOther.payer(), onOther.canister(), onOther.context(),
                onOther.caller(), onOther.call(), "ryjl3-tyaaa-aaaaa-aaaba-cai", onOther.method(), onOther.waitKind(),
                "ryjl3-tyaaa-aaaaa-aaaba-cai", onOther.to(), onOther.amount(), onOther.memo(), onOther.createdAtTime(),
                onOther.timeNanos(), onOther.eventId(), onOther.answerEventId(), onOther.answerNanos(), onOther.outcome(),
                false, null, null, null), 1_000);
        matcher.accept(block(3, 0, ALICE, BOB), 1_000);
        matcher.accept(PaymentMessage.clock(SHOP, T0 + 3 * WINDOW), 2_000);
        matcher.accept(PaymentMessage.progress(LEDGER, 99, T0 + 3 * WINDOW), 2_000);

        assertThat(matcher.decide(2_000, 0, false)).as("k1: its ledger passed it with no block").singleElement()
                .satisfies(a -> assertThat(a.evidence().callIds()).containsExactly("k1"));
        matcher.sweep(2_000);
        assertThat(store.range("c", "c~")).as("k2: its ledger's progress may still be on its way").hasSize(1);
        long windowLater = 1_000 + WINDOW / 1_000_000;
        matcher.accept(PaymentMessage.progress(LEDGER, 100, T0 + 4 * WINDOW), windowLater);
        matcher.sweep(windowLater);

        assertThat(store.range("c", "c~")).isEmpty();
        assertThat(store.range("b", "b~")).isEmpty();
        assertThat(store.range("", "~")).as("the shop's clock and the ledger's progress").hasSize(2);
        assertThat(matcher.undecided()).isZero();
        assertThat(matcher.unverifiable()).as("k2, on a ledger not followed").isEqualTo(1);
    }
}
