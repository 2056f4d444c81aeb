package dev.interlock.detector.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;

/** Records lost unread (LOG_GAP events from the ingester): alerts whose events straddle them say so. */
class LogGapTest {
    private static final String C = Trace.CANISTER;
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private final DetectorEngine engine = DetectorEngine.withDefaults(DetectorSettings.defaults()
            .withStallAfter(Duration.ofSeconds(30)).withHorizon(Duration.ofMinutes(10)));
    private final CanisterState state = CanisterState.empty(C);
    private final List<Alert> alerts = new ArrayList<>();

    private void feed(CallEvent e) {
        alerts.addAll(engine.process(state, e));
    }

    private void openAndCall(long seq, long atSeconds) {
        feed(CallEvent.open(C + "/" + seq, C, seq, T0 + atSeconds * SECOND, "c" + seq, Trace.ALICE, "quote"));
        feed(new CallEvent(C + "/" + (seq + 1), C, seq + 1, T0 + atSeconds * SECOND, CallEventKind.CALL, "c" + seq,
                null, null, "k" + seq, "oracle", "get_price", null, null, false, null, "u"));
    }

    private List<Alert> stalls(long atSeconds) {
        alerts.addAll(engine.tick(state, T0 + atSeconds * SECOND, false));
        return alerts.stream().filter(a -> a.alertClass() == AlertClass.STALLED_CALL).toList();
    }

    @Test
    void aCallWhoseCallbackMayHaveBeenLostInAGapIsStillFlaggedButItsAlertNamesTheLostRecords() {
        openAndCall(0, 0);
        feed(CallEvent.logGap(C, 2, 6, T0, T0 + 2 * SECOND));

        assertThat(stalls(31)).singleElement().satisfies(a -> {
            assertThat(a.evidence().callIds()).containsExactly("k0");
            assertThat(a.evidence().missing()).contains("log records 2..6 (LOG_GAP)");
            assertThat(a.explanation()).contains("Records 2..6 of the canister's log were lost before Interlock read "
                    + "them (LOG_GAP), after the first event this alert rests on");
        });
    }

    @Test
    void anAlertWhoseEventsAllCameAfterTheGapSaysNothingOfIt() {
        feed(CallEvent.logGap(C, 0, 4, T0, T0 + SECOND));
        openAndCall(5, 1);

        assertThat(stalls(32)).singleElement().satisfies(a -> {
            assertThat(a.evidence().missing()).noneMatch(m -> m.contains("LOG_GAP"));
            assertThat(a.explanation()).doesNotContain("LOG_GAP");
        });
    }

    @Test
    void aGapReadAgainIsIgnoredAndGapsAreForgottenAfterTheHorizon() {
        openAndCall(0, 0);
        feed(CallEvent.logGap(C, 2, 6, T0, T0 + 2 * SECOND));
        feed(CallEvent.logGap(C, 2, 6, T0, T0 + 2 * SECOND));
        assertThat(state.logGaps).hasSize(1);
        assertThat(state.lastSeq).isEqualTo(6);

        openAndCall(7, 11 * 60);
        assertThat(state.logGaps).as("eleven minutes later, past the ten-minute horizon").isNull();
    }

    @Test
    void aGapWithoutItsRangeIsUnusable() {
        CallEvent bad = new CallEvent(C + "/9/gap", C, 9, T0, CallEventKind.LOG_GAP, null, null, null, null, null, null,
                null, null, false, "9", "12");

        assertThat(bad.problems()).containsExactly("subject must be the lost idx range <from>..<to>");
        assertThat(CallEvent.logGap(C, 3, 9, T0, T0 + SECOND).problems()).isEmpty();
    }
}
