package dev.interlock.detector.core;

import static dev.interlock.detector.core.DetectorTestSupport.of;
import static dev.interlock.detector.core.DetectorTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.interlock.model.AlertClass;

class RateAnomalyDetectorTest {
    private static Trace calls(String caller, int n, boolean replied) {
        Trace t = new Trace();
        for (int i = 0; i < n; i++) {
            t.open("c" + i, caller, "reindex");
            if (replied) {
                t.replied("c" + i);
            } else {
                t.rejected("c" + i);
            }
        }
        return t;
    }

    @Test
    void elevenServedCallsOfOneCallerWithinAMinuteAreFlaggedOnce() {
        assertThat(of(run(calls(Trace.ALICE, 11, true).events()), AlertClass.RATE_ANOMALY)).singleElement()
                .satisfies(a -> assertThat(a.explanation()).contains("11 reindex calls", Trace.ALICE));
        assertThat(of(run(calls(Trace.ALICE, 10, true).events()), AlertClass.RATE_ANOMALY)).isEmpty();
    }

    @Test
    void callsTheCanisterRejectedAtOnceDoNotCount() {
        assertThat(of(run(calls(Trace.ALICE, 50, false).events()), AlertClass.RATE_ANOMALY)).isEmpty();
    }

    @Test
    void theAnonymousBucketAndCanisterCallersHaveTheirOwnHigherLimits() {
        assertThat(of(run(calls(RateAnomalyDetector.ANONYMOUS, 50, true).events()), AlertClass.RATE_ANOMALY)).isEmpty();
        assertThat(of(run(calls(Trace.LEDGER, 50, true).events()), AlertClass.RATE_ANOMALY)).isEmpty();
        assertThat(RateAnomalyDetector.kind(Trace.LEDGER)).isEqualTo(RateAnomalyDetector.CallerKind.CANISTER);
        assertThat(RateAnomalyDetector.kind(Trace.ALICE)).isEqualTo(RateAnomalyDetector.CallerKind.AUTHENTICATED);
    }
}
