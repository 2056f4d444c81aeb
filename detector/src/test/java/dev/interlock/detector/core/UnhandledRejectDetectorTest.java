package dev.interlock.detector.core;

import static dev.interlock.detector.core.DetectorTestSupport.of;
import static dev.interlock.detector.core.DetectorTestSupport.run;
import static dev.interlock.detector.core.Trace.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.interlock.model.AlertClass;

class UnhandledRejectDetectorTest {
    @Test
    void aDebitKeptAfterTheTransferWasRejectedIsFlagged() {
        var alerts = of(run(new Trace()
                .open("c1", ALICE, "withdraw").read("c1", "balance:a", "100").write("c1", "balance:a", "40")
                .transfer("c1", "k1", 60).reject("c1", "k1", 2).rejected("c1").events()), AlertClass.UNHANDLED_REJECT);

        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.explanation())
                .contains("balance:a", "reject 2"));
    }

    @Test
    void anEventMarkedAsItsMessagesEndDecidesAtOnceWithoutWaitingForTheNextMessageOrTheEndOfInput() {
        var events = new java.util.ArrayList<>(new Trace()
                .open("c1", ALICE, "withdraw").read("c1", "balance:a", "100").write("c1", "balance:a", "40")
                .transfer("c1", "k1", 60).reject("c1", "k1", 2).rejected("c1").events());
        var unmarked = of(run(DetectorEngine.withDefaults(DetectorSettings.defaults()), events, false),
                AlertClass.UNHANDLED_REJECT);
        events.set(events.size() - 1, events.get(events.size() - 1).asMessageEnd());

        var marked = of(run(DetectorEngine.withDefaults(DetectorSettings.defaults()), events, false),
                AlertClass.UNHANDLED_REJECT);

        assertThat(unmarked).as("without the mark the callback's message is still open").isEmpty();
        assertThat(marked).singleElement().satisfies(a -> assertThat(a.explanation()).contains("balance:a"));
    }

    @Test
    void aFlagSetForAnApprovalThatWentThroughIsNotExpectedBackWhenALaterCallFails() {
        var alerts = of(run(new Trace()
                .open("c1", ALICE, "payout").write("c1", "approved:router", "true")
                .call("c1", "k1", Trace.LEDGER, "icrc2_approve").reply("c1", "k1", 3)
                .call("c1", "k2", "router", "pay").reject("c1", "k2", 4).rejected("c1").events()),
                AlertClass.UNHANDLED_REJECT);

        assertThat(alerts).isEmpty();
    }

    @Test
    void aDebitBeforeACallThatIsStillAwaitedWhenTheNextOneFailsIsFlagged() {
        var alerts = of(run(new Trace()
                .open("c1", ALICE, "withdraw").write("c1", "balance:a", "40")
                .call("c1", "k1", "notary", "log").transfer("c1", "k2", 60).reject("c1", "k2", 2).rejected("c1")
                .events()), AlertClass.UNHANDLED_REJECT);

        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.evidence().callIds()).containsExactly("k2"));
    }

    @Test
    void aDebitRestoredOnRejectIsTheFix() {
        assertThat(of(run(new Trace()
                .open("c1", ALICE, "withdraw").write("c1", "balance:a", "40").transfer("c1", "k1", 60)
                .reject("c1", "k1", 2).read("c1", "balance:a", "40").write("c1", "balance:a", "100").rejected("c1")
                .events()), AlertClass.UNHANDLED_REJECT)).isEmpty();
    }

    @Test
    void aSendFailureLeavesTheDebitUnlessTheSameMessageRestoresIt() {
        var kept = of(run(new Trace()
                .open("c1", ALICE, "withdraw").write("c1", "balance:a", "40").transfer("c1", "k1", 60)
                .sendFailed("c1", "k1").rejected("c1").events()), AlertClass.UNHANDLED_REJECT);
        var restored = of(run(new Trace()
                .open("c1", ALICE, "withdraw").write("c1", "balance:a", "40").transfer("c1", "k1", 60)
                .sendFailed("c1", "k1").write("c1", "balance:a", "100").rejected("c1").events()),
                AlertClass.UNHANDLED_REJECT);

        assertThat(kept).singleElement().satisfies(a -> assertThat(a.explanation()).contains("synchronous send failure"));
        assertThat(restored).isEmpty();
    }

    @Test
    void aLedgerDuplicateIsSuccessNotFailure() {
        assertThat(of(run(new Trace()
                .open("c1", ALICE, "send").write("c1", "balance:a", "40").transfer("c1", "k1", 60, 5L)
                .error("c1", "k1", "Duplicate").replied("c1").events()), AlertClass.UNHANDLED_REJECT)).isEmpty();
    }

    @Test
    void anErrorReplyLikeInsufficientFundsIsAFailure() {
        assertThat(of(run(new Trace()
                .open("c1", ALICE, "send").write("c1", "balance:a", "40").transfer("c1", "k1", 60)
                .error("c1", "k1", "InsufficientFunds").rejected("c1").events()), AlertClass.UNHANDLED_REJECT))
                .hasSize(1);
    }

    @Test
    void aRestoreWrittenByACallbackThatTrappedNeverHappened() {
        var restoredThenTrapped = of(run(new Trace()
                .open("c1", ALICE, "withdraw").write("c1", "balance:a", "40").transfer("c1", "k1", 60)
                .reject("c1", "k1", 2).write("c1", "balance:a", "100").rolledBack().trap("c1", "boom")
                .open("c2", ALICE, "withdraw").events()), AlertClass.UNHANDLED_REJECT);
        var restoredInCleanup = of(run(new Trace()
                .open("c1", ALICE, "withdraw").write("c1", "balance:a", "40").transfer("c1", "k1", 60)
                .reject("c1", "k1", 2).write("c1", "balance:a", "100").rolledBack().trap("c1", "boom")
                .cleanup("c1", "k1").write("c1", "balance:a", "100")
                .open("c2", ALICE, "withdraw").events()), AlertClass.UNHANDLED_REJECT);

        assertThat(restoredThenTrapped).singleElement()
                .satisfies(a -> assertThat(a.explanation()).contains("callback trapped"));
        assertThat(restoredInCleanup).isEmpty();
    }
}
