package dev.interlock.detector.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;
import dev.interlock.model.CallOutcome;

class CallGraphTest {
    private static final String A = "vault-a";
    private static final String B = "router-b";
    private static final String C = "pricer-c";
    private final CallGraph graph = new CallGraph();
    private final List<Alert> alerts = new ArrayList<>();
    private long seq;

    private void open(String canister, String ctx, String caller, String correlation) {
        alerts.addAll(graph.accept(new CallEvent(canister + "/" + seq, canister, seq++, 1_000 + seq,
                CallEventKind.CONTEXT_OPEN, ctx, caller, "m", null, null, null, null, null, false, correlation, "u")));
    }

    private void call(String canister, String ctx, String call, String callee) {
        alerts.addAll(graph.accept(new CallEvent(canister + "/" + seq, canister, seq++, 1_000 + seq,
                CallEventKind.CALL, ctx, null, null, call, callee, "m", null, null, false, call, "u")));
    }

    private void answered(String canister, String ctx, String call) {
        alerts.addAll(graph.accept(CallEvent.callback(canister + "/" + seq, canister, seq++, 1_000 + seq, ctx, call,
                CallOutcome.reply(null))));
    }

    @Test
    void threeOutstandingCallsThatReturnToTheFirstCanisterAreACycle() {
        open(A, "a1", "user", null);
        call(A, "a1", "k1", B);
        open(B, "b1", A, "k1");
        call(B, "b1", "k7", C);
        open(C, "c1", B, "k7");
        call(C, "c1", "k3", A);

        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.alertClass()).isEqualTo(AlertClass.CALL_CYCLE);
            assertThat(a.canister()).isEqualTo(A);
            assertThat(a.evidence().callIds()).containsExactly(A + ":k1", B + ":k7", C + ":k3");
            assertThat(a.explanation()).contains(A + " -> " + B + " -> " + C + " -> " + A);
        });
    }

    @Test
    void aChainThatNeverReturnsIsNoCycle() {
        open(A, "a1", "user", null);
        call(A, "a1", "k1", B);
        open(B, "b1", A, "k1");
        call(B, "b1", "k7", C);

        assertThat(alerts).isEmpty();
    }

    @Test
    void anAnsweredCallBreaksTheChain() {
        open(A, "a1", "user", null);
        call(A, "a1", "k1", B);
        open(B, "b1", A, "k1");
        call(B, "b1", "k7", C);
        answered(A, "a1", "k1");
        open(C, "c1", B, "k7");
        call(C, "c1", "k3", A);

        assertThat(alerts).isEmpty();
    }

    @Test
    void withoutCorrelationIdsNoLinkIsGuessed() {
        open(A, "a1", "user", null);
        call(A, "a1", "k1", B);
        open(B, "b1", A, null);
        call(B, "b1", "k7", A);

        assertThat(alerts).isEmpty();
    }

    @Test
    void answeredCallsAndClosedContextsAreForgotten() {
        for (int i = 0; i < 1_000; i++) {
            open(A, "a" + i, "user", null);
            call(A, "a" + i, "k" + i, B);
            open(B, "b" + i, A, "k" + i);
            alerts.addAll(graph.accept(CallEvent.other(B + "/" + seq, B, seq++, 1_000 + seq, CallEventKind.CONTEXT_CLOSE,
                    "b" + i, null, null, "rep")));
            answered(A, "a" + i, "k" + i);
        }

        assertThat(graph.outstandingCalls()).isZero();
        assertThat(graph.linkedContexts()).isZero();
        assertThat(alerts).isEmpty();
    }
}
