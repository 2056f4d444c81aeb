package dev.interlock.detector.core;

import static dev.interlock.detector.core.DetectorTestSupport.of;
import static dev.interlock.detector.core.DetectorTestSupport.run;
import static dev.interlock.detector.core.Trace.ALICE;
import static dev.interlock.detector.core.Trace.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.interlock.model.AlertClass;

class CallbackTrapDetectorTest {
    @Test
    void aCallbackThatTrapsAfterAPaidTransferWithoutCleanupIsFlagged() {
        var alerts = of(run(new Trace()
                .open("c1", ALICE, "claim").read("c1", "owed:a", "5").transfer("c1", "k1", 5)
                .reply("c1", "k1", 11).write("c1", "booked:a", "5").rolledBack().trap("c1", "overflow")
                .open("c2", BOB, "claim").events()), AlertClass.CALLBACK_TRAP);

        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.evidence().callIds()).containsExactly("k1");
            assertThat(a.evidence().blockIndexes()).containsExactly(11L);
            assertThat(a.explanation()).contains("overflow", "block 11");
        });
    }

    @Test
    void aCleanupThatBooksThePaymentFromTheJournalIsTheFix() {
        assertThat(of(run(new Trace()
                .open("c1", ALICE, "claim").write("c1", "owed:a", "0").transfer("c1", "k1", 5)
                .reply("c1", "k1", 11).write("c1", "booked:a", "5").rolledBack().trap("c1", "overflow")
                .cleanup("c1", "k1").write("c1", "booked:a", "5")
                .open("c2", BOB, "claim").events()), AlertClass.CALLBACK_TRAP)).isEmpty();
    }

    @Test
    void aTrapAfterARejectedTransferMovedNoFunds() {
        assertThat(of(run(new Trace()
                .open("c1", ALICE, "claim").transfer("c1", "k1", 5).reject("c1", "k1", 2).trap("c1", "unwrap on Err")
                .open("c2", BOB, "claim").events()), AlertClass.CALLBACK_TRAP)).isEmpty();
    }

    @Test
    void aGuardReleasedOnlyByATrappedCallbackStaysHeldAndIsFlagged() {
        var alerts = of(run(new Trace()
                .open("c1", ALICE, "pay").acquire("c1", "payroll").call("c1", "k1", "aaaaa-aa", "work")
                .reply("c1", "k1", 0).release("c1", "payroll").rolledBack().trap("c1", "index out of bounds")
                .open("c2", BOB, "pay").events()), AlertClass.CALLBACK_TRAP);

        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.explanation()).contains("guard payroll"));
    }

    @Test
    void aGuardAlsoReleasedInCleanupIsNotFlagged() {
        assertThat(of(run(new Trace()
                .open("c1", ALICE, "pay").acquire("c1", "payroll").call("c1", "k1", "aaaaa-aa", "work")
                .reply("c1", "k1", 0).release("c1", "payroll").rolledBack().trap("c1", "index out of bounds")
                .cleanup("c1", "k1").release("c1", "payroll")
                .open("c2", BOB, "pay").events()), AlertClass.CALLBACK_TRAP)).isEmpty();
    }

    @Test
    void aTrapAtTheEndOfInputIsDecidedWhenTheInputEnds() {
        assertThat(of(run(new Trace()
                .open("c1", ALICE, "claim").write("c1", "owed:a", "0").transfer("c1", "k1", 5)
                .reply("c1", "k1", 11).trap("c1", "overflow").events()), AlertClass.CALLBACK_TRAP)).hasSize(1);
    }
}
