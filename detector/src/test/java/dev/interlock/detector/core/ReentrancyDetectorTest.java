package dev.interlock.detector.core;

import static dev.interlock.detector.core.DetectorTestSupport.of;
import static dev.interlock.detector.core.DetectorTestSupport.run;
import static dev.interlock.detector.core.Trace.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.interlock.model.AlertClass;

class ReentrancyDetectorTest {
    @Test
    void aCallbackWritingABalanceReadBeforeTheAwaitAfterAnotherContextChangedItIsFlagged() {
        var alerts = of(run(new Trace()
                .open("c1", ALICE, "withdraw").read("c1", "balance:a", "100").transfer("c1", "k1", 60)
                .open("c2", ALICE, "withdraw").read("c2", "balance:a", "100").transfer("c2", "k2", 70)
                .reply("c1", "k1", 1).write("c1", "balance:a", "40").replied("c1")
                .reply("c2", "k2", 2).write("c2", "balance:a", "30").replied("c2").events()), AlertClass.REENTRANCY);

        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.evidence().contextIds()).containsExactly("c2", "c1");
            assertThat(a.explanation()).contains("balance:a", "c1", "40");
        });
    }

    @Test
    void deductingBeforeTheAwaitIsTheFixAndIsNotFlagged() {
        assertThat(of(run(new Trace()
                .open("c1", ALICE, "withdraw").read("c1", "balance:a", "100").write("c1", "balance:a", "40")
                .transfer("c1", "k1", 60)
                .open("c2", ALICE, "withdraw").read("c2", "balance:a", "40").rejected("c2")
                .reply("c1", "k1", 1).replied("c1").events()), AlertClass.REENTRANCY)).isEmpty();
    }

    @Test
    void aCallbackThatReadsTheKeyAgainBeforeWritingItIsNotStale() {
        assertThat(of(run(new Trace()
                .open("c1", ALICE, "withdraw").read("c1", "balance:a", "100").write("c1", "balance:a", "40")
                .transfer("c1", "k1", 60)
                .open("c2", ALICE, "deposit").read("c2", "balance:a", "40").write("c2", "balance:a", "90").replied("c2")
                .reject("c1", "k1", 4).read("c1", "balance:a", "90").write("c1", "balance:a", "150").rejected("c1")
                .events()), AlertClass.REENTRANCY)).isEmpty();
    }

    @Test
    void twoContextsSettingTheSameFlagLoseNoUpdate() {
        assertThat(of(run(new Trace()
                .open("c1", ALICE, "claim").read("c1", "paid:a", "false").transfer("c1", "k1", 5)
                .open("c2", ALICE, "claim").read("c2", "paid:a", "false").transfer("c2", "k2", 5)
                .reply("c1", "k1", 1).write("c1", "paid:a", "true").replied("c1")
                .reply("c2", "k2", 2).write("c2", "paid:a", "true").replied("c2").events()), AlertClass.REENTRANCY))
                .isEmpty();
    }

    @Test
    void withoutStateKeyEventsItRaisesNothing() {
        assertThat(of(run(new Trace()
                .open("c1", ALICE, "withdraw").transfer("c1", "k1", 60)
                .open("c2", ALICE, "withdraw").transfer("c2", "k2", 70)
                .reply("c1", "k1", 1).replied("c1").reply("c2", "k2", 2).replied("c2").events()), AlertClass.REENTRANCY))
                .isEmpty();
    }
}
