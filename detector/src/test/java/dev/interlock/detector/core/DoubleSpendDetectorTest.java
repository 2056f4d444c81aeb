package dev.interlock.detector.core;

import static dev.interlock.detector.core.Trace.ALICE;
import static dev.interlock.detector.core.Trace.BOB;
import static dev.interlock.detector.core.Trace.CANISTER;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Severity;

class DoubleSpendDetectorTest {
    private final DetectorEngine engine = DetectorEngine.withDefaults(Duration.ofHours(1));

    private List<Alert> run(List<CallEvent> events) {
        CanisterState state = CanisterState.empty(CANISTER);
        List<Alert> alerts = new ArrayList<>();
        for (CallEvent e : events) {
            alerts.addAll(engine.process(state, e));
        }
        return alerts;
    }

    @Test
    void doubleSpendIsFlaggedWhenTwoInterleavedContextsOfOneCallerBothTransfer() {
        List<Alert> alerts = run(new Trace()
                .open("ctx-1", ALICE, "withdraw").open("ctx-2", ALICE, "withdraw")
                .transfer("ctx-1", "call-1", 500).transfer("ctx-2", "call-2", 500)
                .reply("ctx-1", "call-1", 7).reply("ctx-2", "call-2", 8)
                .close("ctx-1").close("ctx-2").events());

        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.alertClass()).isEqualTo(AlertClass.DOUBLE_SPEND);
        assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(a.canister()).isEqualTo(CANISTER);
        assertThat(a.callers()).containsExactly(ALICE);
        assertThat(a.amountAtStake()).isEqualTo(BigInteger.valueOf(500));
        assertThat(a.evidence().contextIds()).containsExactly("ctx-1", "ctx-2");
        assertThat(a.evidence().callIds()).containsExactly("call-1", "call-2");
        assertThat(a.evidence().blockIndexes()).containsExactly(7L, 8L);
        assertThat(a.evidence().missing()).containsExactly("state-keys");
        assertThat(a.dedupKey()).isEqualTo("DOUBLE_SPEND/" + CANISTER + "/ctx-1+ctx-2");
        assertThat(a.explanation()).contains(ALICE, "withdraw", "ctx-1", "ctx-2", "blocks 7 and 8");
    }

    @Test
    void aRequestPaidAgainAfterATrapRolledBackItsRecordIsFlaggedByItsMemo() {
        List<Alert> alerts = run(new Trace()
                .open("ctx-1", ALICE, "claim").read("ctx-1", "claims:a", "0").transfer("ctx-1", "k1", ALICE, 500, "636c61696d2d30")
                .reply("ctx-1", "k1", 7).write("ctx-1", "claims:a", "1").rolledBack().trap("ctx-1", "overflow")
                .open("ctx-2", ALICE, "claim").read("ctx-2", "claims:a", "0").transfer("ctx-2", "k2", ALICE, 500, "636c61696d2d30")
                .reply("ctx-2", "k2", 9).write("ctx-2", "claims:a", "1").close("ctx-2").events());

        assertThat(alerts).filteredOn(a -> a.alertClass() == AlertClass.DOUBLE_SPEND).singleElement().satisfies(a -> {
            assertThat(a.dedupKey()).isEqualTo("DOUBLE_SPEND/" + CANISTER + "/ctx-1+ctx-2");
            assertThat(a.evidence().callIds()).containsExactly("k1", "k2");
            assertThat(a.evidence().blockIndexes()).containsExactly(7L, 9L);
            assertThat(a.evidence().basis()).contains("same-memo");
            assertThat(a.explanation()).contains("memo 636c61696d2d30", "block 7", "block 9");
        });
    }

    @Test
    void oneJournalEntryPaidInTwoContextsIsFlaggedWhateverTheMemos() {
        List<Alert> alerts = run(new Trace()
                .open("ctx-1", BOB, "settle").journalIntent("ctx-1", "req-9", null).transfer("ctx-1", "k1", ALICE, 300, "01")
                .reply("ctx-1", "k1", 3).close("ctx-1")
                .open("ctx-2", ALICE, "retry").journalIntent("ctx-2", "req-9", "k2").transfer("ctx-2", "k2", ALICE, 300, "02")
                .reply("ctx-2", "k2", 4).close("ctx-2").events());

        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.alertClass()).isEqualTo(AlertClass.DOUBLE_SPEND);
            assertThat(a.evidence().basis()).contains("same-journal-id");
            assertThat(a.explanation()).contains("journal req-9");
        });
    }

    @Test
    void distinctRequestsPaidWithTheirOwnMemosAreNotADoubleSpend() {
        assertThat(run(new Trace()
                .open("ctx-1", ALICE, "claim").transfer("ctx-1", "k1", ALICE, 500, "636c61696d2d30").reply("ctx-1", "k1", 7)
                .close("ctx-1")
                .open("ctx-2", ALICE, "claim").transfer("ctx-2", "k2", ALICE, 500, "636c61696d2d31").reply("ctx-2", "k2", 9)
                .close("ctx-2")
                .open("ctx-3", ALICE, "claim").transfer("ctx-3", "k3", BOB, 500, "636c61696d2d30").reply("ctx-3", "k3", 11)
                .close("ctx-3").events())).isEmpty();
    }

    @Test
    void aSameMemoTransferTheLedgerRefusedIsNotASecondPayment() {
        assertThat(run(new Trace()
                .open("ctx-1", ALICE, "claim").transfer("ctx-1", "k1", ALICE, 500, "aa").reply("ctx-1", "k1", 7)
                .close("ctx-1")
                .open("ctx-2", ALICE, "claim").transfer("ctx-2", "k2", ALICE, 500, "aa").error("ctx-2", "k2", "Duplicate")
                .close("ctx-2").events())).isEmpty();
    }

    @Test
    void sequentialCallsOfOneCallerAreNotADoubleSpend() {
        assertThat(run(new Trace()
                .open("ctx-1", ALICE, "withdraw").transfer("ctx-1", "call-1", 500).reply("ctx-1", "call-1", 7)
                .close("ctx-1")
                .open("ctx-2", ALICE, "withdraw").transfer("ctx-2", "call-2", 500).reply("ctx-2", "call-2", 8)
                .close("ctx-2").events())).isEmpty();
    }

    @Test
    void interleavedCallsOfDifferentCallersAreNotADoubleSpend() {
        assertThat(run(new Trace()
                .open("ctx-1", ALICE, "withdraw").open("ctx-2", BOB, "withdraw")
                .transfer("ctx-1", "call-1", 500).transfer("ctx-2", "call-2", 500)
                .reply("ctx-1", "call-1", 7).reply("ctx-2", "call-2", 8)
                .close("ctx-1").close("ctx-2").events())).isEmpty();
    }

    @Test
    void aRejectedSecondTransferPaysNothingTwice() {
        assertThat(run(new Trace()
                .open("ctx-1", ALICE, "withdraw").open("ctx-2", ALICE, "withdraw")
                .transfer("ctx-1", "call-1", 500).transfer("ctx-2", "call-2", 500)
                .reply("ctx-1", "call-1", 7).reject("ctx-2", "call-2", 4)
                .close("ctx-1").close("ctx-2").events())).isEmpty();
    }

    @Test
    void aRedeliveredEventRaisesNoSecondAlert() {
        List<CallEvent> events = new ArrayList<>(new Trace()
                .open("ctx-1", ALICE, "withdraw").open("ctx-2", ALICE, "withdraw")
                .transfer("ctx-1", "call-1", 500).transfer("ctx-2", "call-2", 500)
                .reply("ctx-1", "call-1", 7).reply("ctx-2", "call-2", 8).events());
        events.add(events.get(5));
        events.add(events.get(4));

        assertThat(run(events)).hasSize(1);
    }

    @Test
    void closedContextsAreEvictedOnceOlderThanTheHorizon() {
        DetectorEngine shortHorizon = DetectorEngine.withDefaults(Duration.ofMillis(2));
        CanisterState state = CanisterState.empty(CANISTER);
        for (CallEvent e : new Trace()
                .open("ctx-1", ALICE, "withdraw").close("ctx-1")
                .open("ctx-2", BOB, "withdraw").close("ctx-2")
                .open("ctx-3", BOB, "withdraw").close("ctx-3").events()) {
            shortHorizon.process(state, e);
        }

        assertThat(state.contexts.keySet()).containsExactly("ctx-2", "ctx-3");
    }

    @Test
    void aHeldGuardThatTurnsTheSecondCallAwayIsTheFixAndIsNotFlagged() {
        assertThat(run(new Trace()
                .open("ctx-1", ALICE, "withdraw").acquire("ctx-1", "withdraw:alice").transfer("ctx-1", "call-1", 500)
                .open("ctx-2", ALICE, "withdraw").guardBusy("ctx-2", "withdraw:alice").rejected("ctx-2")
                .reply("ctx-1", "call-1", 7).release("ctx-1", "withdraw:alice").replied("ctx-1").events())).isEmpty();
    }
}
