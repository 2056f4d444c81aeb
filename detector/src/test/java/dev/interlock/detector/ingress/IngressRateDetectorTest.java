package dev.interlock.detector.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;

class IngressRateDetectorTest {
    private static final long MINUTE = 60_000_000_000L;
    private static final long T0 = 1_767_225_600L * 1_000_000_000L; // a window boundary
    private final IngressRateDetector detector = new IngressRateDetector(MINUTE, 3, 1000);
    private final IngressRateDetector.State state = new IngressRateDetector.State();
    private int n;

    IngressRateDetectorTest() {
        state.canister = "bkyz2-fmaaa-aaaaa-qaaaq-cai";
    }

    private List<Alert> send(int times, long time, String type, String method, String client, String errorCause) {
        List<Alert> out = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            out.addAll(detector.accept(state, IngressEvents.event(n++, time, type, method, client, errorCause)).alerts());
        }
        return out;
    }

    @Test
    void oneClientOverTheLimitOnOneMethodRaisesOneAlertNamingItsClientHashNotAPrincipal() {
        List<Alert> alerts = send(10, T0 + 1, "call_v3", "withdraw", "c0ffee", null);

        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.alertClass()).isEqualTo(AlertClass.RATE_ANOMALY);
            assertThat(a.callers()).containsExactly("client-hash:c0ffee");
            assertThat(a.evidence().eventIds()).containsExactly("bn1.example/req-3");
            assertThat(a.evidence().basis()).containsExactly("boundary-node-access-log");
            assertThat(a.explanation()).contains("4 update calls of withdraw", "limit 3", "bn1.example");
            assertThat(a.dedupKey()).isEqualTo("RATE_ANOMALY/bkyz2-fmaaa-aaaaa-qaaaq-cai/ingress|c0ffee|withdraw|"
                    + (T0 / MINUTE));
        });
    }

    @Test
    void anonymousClientsWithDifferentHashesAreCountedApart() {
        List<Alert> alerts = new ArrayList<>();
        for (String client : List.of("aa01", "aa02", "aa03", "aa04")) {
            alerts.addAll(send(3, T0 + 1, "call", "claim", client, null));
        }
        assertThat(alerts).isEmpty();
        assertThat(state.counts).containsEntry("aa01|claim", 3).hasSize(4);
    }

    @Test
    void queriesRequestsRefusedByTheBoundaryNodesRateLimitAndUnhashedClientsDoNotCount() {
        assertThat(send(10, T0 + 1, "query_v3", "balance", "c0ffee", null)).isEmpty();
        assertThat(send(10, T0 + 1, "call", "withdraw", "c0ffee", "rate_limited_normal")).isEmpty();
        assertThat(detector.accept(state, IngressEvents.event(99, T0 + 1, "sync_call", "withdraw", null, null)).outcome())
                .isEqualTo(IngressRateDetector.Outcome.NO_CLIENT_HASH);
        assertThat(state.counts).isEmpty();
    }

    @Test
    void aNewWindowStartsCountingAfreshAndAnEventOfAClosedWindowIsLate() {
        assertThat(send(3, T0 + 1, "call", "withdraw", "c0ffee", null)).isEmpty();
        assertThat(send(3, T0 + MINUTE + 1, "call", "withdraw", "c0ffee", null)).isEmpty();

        assertThat(detector.accept(state, IngressEvents.event(50, T0 + 2, "call", "withdraw", "c0ffee", null)).outcome())
                .isEqualTo(IngressRateDetector.Outcome.LATE);
        assertThat(state.counts).containsExactly(java.util.Map.entry("c0ffee|withdraw", 3));
    }

    @Test
    void beyondTheTrackingCapNewClientsAreReportedUntrackedNotSilentlyDropped() {
        IngressRateDetector small = new IngressRateDetector(MINUTE, 3, 2);
        small.accept(state, IngressEvents.event(1, T0, "call", "m", "a", null));
        small.accept(state, IngressEvents.event(2, T0, "call", "m", "b", null));

        assertThat(small.accept(state, IngressEvents.event(3, T0, "call", "m", "c", null)).outcome())
                .isEqualTo(IngressRateDetector.Outcome.UNTRACKED);
        assertThat(small.accept(state, IngressEvents.event(4, T0, "call", "m", "a", null)).outcome())
                .isEqualTo(IngressRateDetector.Outcome.COUNTED);
    }
}
