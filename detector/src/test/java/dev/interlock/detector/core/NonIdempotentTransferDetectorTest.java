package dev.interlock.detector.core;

import static dev.interlock.detector.core.DetectorTestSupport.of;
import static dev.interlock.detector.core.DetectorTestSupport.run;
import static dev.interlock.detector.core.Trace.ALICE;
import static dev.interlock.detector.core.Trace.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.interlock.model.AlertClass;

class NonIdempotentTransferDetectorTest {
    @Test
    void equalTransfersWithoutCreatedAtTimeThatBothPaidAreFlagged() {
        var alerts = of(run(new Trace()
                .open("c1", ALICE, "pay").transfer("c1", "k1", 100, null)
                .reply("c1", "k1", 5).replied("c1")
                .open("c2", BOB, "pay").transfer("c2", "k2", 100, null)
                .reply("c2", "k2", 6).replied("c2").events()), AlertClass.NON_IDEMPOTENT_TRANSFER);

        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.evidence().callIds()).containsExactly("k1", "k2");
            assertThat(a.evidence().blockIndexes()).containsExactly(5L, 6L);
        });
    }

    @Test
    void aRetryAfterSysUnknownWithoutCreatedAtTimeIsFlaggedThoughOnlyTheRetryWasConfirmed() {
        var alerts = of(run(new Trace()
                .open("c1", ALICE, "pay").transfer("c1", "k1", 100, null)
                .reject("c1", "k1", 6).transfer("c1", "k2", 100, null)
                .reply("c1", "k2", 9).replied("c1").events()), AlertClass.NON_IDEMPOTENT_TRANSFER);

        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.explanation()).contains("answered SYS_UNKNOWN"));
    }

    @Test
    void transfersThatCarryCreatedAtTimeAreLeftToTheLedgersDeduplication() {
        assertThat(of(run(new Trace()
                .open("c1", ALICE, "pay").transfer("c1", "k1", 100, 77L).reject("c1", "k1", 6)
                .transfer("c1", "k2", 100, 77L).error("c1", "k2", "Duplicate").replied("c1").events()),
                AlertClass.NON_IDEMPOTENT_TRANSFER)).isEmpty();
    }

    @Test
    void aRetryAfterAQueueFullRejectIsSafeBecauseTheFirstNeverRan() {
        assertThat(of(run(new Trace()
                .open("c1", ALICE, "pay").transfer("c1", "k1", 100, null).reject("c1", "k1", 2)
                .transfer("c1", "k2", 100, null).reply("c1", "k2", 3).replied("c1").events()),
                AlertClass.NON_IDEMPOTENT_TRANSFER)).isEmpty();
    }
}
