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
    private CallGraph graph = new CallGraph();
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
    void offlineACycleIsFoundWhenItsClosingCallIsReadHoursAfterTheCallsItClosesItWith() {
        open(A, "a1", "user", null);
        call(A, "a1", "k1", B);
        open(B, "b1", A, "k1");
        call(B, "b1", "k7", C);
        open(C, "c1", B, "k7");
        // Three hours of other canisters' traffic: the deadlocked C's last message is read at the end of its file.
        long later = 1_000 + 3 * CallGraph.DEFAULT_RETENTION_NANOS;
        alerts.addAll(graph.accept(CallEvent.open("other/1", "other", 1, later, "x1", "user", "m")));
        alerts.addAll(graph.accept(new CallEvent(C + "/" + seq, C, seq++, 1_000 + seq, CallEventKind.CALL, "c1", null,
                null, "k3", A, "m", null, null, false, "k3", "u")));

        assertThat(alerts).singleElement()
                .satisfies(a -> assertThat(a.evidence().callIds()).containsExactly(A + ":k1", B + ":k7", C + ":k3"));
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

    private static final long DELAY = 10_000_000_000L;
    private static final long RETENTION = 3_600_000_000_000L;

    /** Events at explicit times (ms after 1 s), for the delayed graph whose verdict must not depend on arrival order. */
    private CallEvent at(String canister, long ms, CallEventKind kind, String ctx, String caller, String call,
            String callee, String correlation) {
        long t = 1_000_000_000L + ms * 1_000_000L;
        return switch (kind) {
            case CONTEXT_OPEN -> new CallEvent(canister + "/" + ms, canister, ms, t, kind, ctx, caller, "m", null, null,
                    null, null, null, false, correlation, "u");
            case CALL -> new CallEvent(canister + "/" + ms, canister, ms, t, kind, ctx, null, null, call, callee, "m",
                    null, null, false, call, "u");
            case CALLBACK -> CallEvent.callback(canister + "/" + ms, canister, ms, t, ctx, call, CallOutcome.reply(null));
            default -> CallEvent.other(canister + "/" + ms, canister, ms, t, kind, ctx, null, null, null);
        };
    }

    private List<CallEvent> canisterA(long answerK1AtMs) {
        return List.of(at(A, 0, CallEventKind.CONTEXT_OPEN, "a1", "user", null, null, null),
                at(A, 1, CallEventKind.CALL, "a1", null, "k1", B, null),
                at(A, answerK1AtMs, CallEventKind.CALLBACK, "a1", null, "k1", null, null));
    }

    private List<CallEvent> canisterB() {
        return List.of(at(B, 2, CallEventKind.CONTEXT_OPEN, "b1", A, null, null, "k1"),
                at(B, 3, CallEventKind.CALL, "b1", null, "k7", C, null));
    }

    private List<CallEvent> canisterC() {
        return List.of(at(C, 4, CallEventKind.CONTEXT_OPEN, "c1", B, null, null, "k7"),
                at(C, 5, CallEventKind.CALL, "c1", null, "k3", A, null));
    }

    private void feed(List<CallEvent> events) {
        events.forEach(e -> alerts.addAll(graph.accept(e)));
    }

    @Test
    void delayedGraphFindsTheCycleWhicheverCanisterIsReadFirstOnceTheDelayPassed() {
        graph = new CallGraph(SortedStore.inMemory(), DELAY, RETENTION);
        // The answer to A's call comes after C's call: A's call was outstanding when the cycle closed.
        feed(canisterC());
        feed(canisterA(2_000));
        feed(canisterB());
        assertThat(alerts).isEmpty();
        assertThat(graph.pendingChecks()).as("B's and C's calls, made by called contexts").isEqualTo(2);

        // A's answer (at 2 s) moved the clock: B's events, read after it, wait a delay from there.
        alerts.addAll(graph.advance(1_000_000_000L + 2_000_000_000L + DELAY));

        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.dedupKey()).isEqualTo("CALL_CYCLE/vault-a:k1>router-b:k7>pricer-c:k3");
            assertThat(a.canister()).isEqualTo(A);
            assertThat(a.detectedAtNanos()).isEqualTo(1_005_000_000L);
        });
        assertThat(graph.pendingChecks()).isZero();
    }

    @Test
    void delayedGraphSeesThatTheFirstCallWasAnsweredBeforeTheCycleClosedEvenIfThatAnswerIsReadLast() {
        graph = new CallGraph(SortedStore.inMemory(), DELAY, RETENTION);
        feed(canisterB());
        feed(canisterC());
        feed(canisterA(4));

        alerts.addAll(graph.advance(1_000_000_000L + 2 * DELAY));

        assertThat(alerts).isEmpty();
    }

    @Test
    void eventsOfLogsThatCatchUpLongAfterTheGraphsClockStillWaitForEachOther() {
        graph = new CallGraph(SortedStore.inMemory(), DELAY, RETENTION);
        long tenMinutesLater = 1_000_000_000L + 600_000_000_000L;
        graph.advance(tenMinutesLater);

        feed(canisterC());
        feed(canisterA(2_000));
        assertThat(graph.advance(tenMinutesLater + DELAY / 2)).isEmpty();
        feed(canisterB());
        alerts.addAll(graph.advance(tenMinutesLater + DELAY));

        assertThat(alerts).extracting(Alert::dedupKey).containsExactly("CALL_CYCLE/vault-a:k1>router-b:k7>pricer-c:k3");
    }

    @Test
    void aGraphReopenedOnItsStoreContinuesWhereTheOtherStopped() {
        SortedStore<GraphEntry> store = SortedStore.inMemory();
        graph = new CallGraph(store, DELAY, RETENTION);
        feed(canisterA(2_000));
        feed(canisterB());

        graph = new CallGraph(store, DELAY, RETENTION);
        feed(canisterC());
        assertThat(graph.clock()).isEqualTo(1_000_000_000L + 2_000_000_000L);
        alerts.addAll(graph.advance(1_000_000_000L + 2_000_000_000L + DELAY));

        assertThat(alerts).extracting(Alert::dedupKey).containsExactly("CALL_CYCLE/vault-a:k1>router-b:k7>pricer-c:k3");
    }

    @Test
    void unansweredCallsAndAnswersAreForgottenAfterTheirRetention() {
        SortedStore<GraphEntry> store = SortedStore.inMemory();
        graph = new CallGraph(store, DELAY, 60_000_000_000L);
        feed(List.of(at(A, 0, CallEventKind.CONTEXT_OPEN, "a1", "user", null, null, null),
                at(A, 1, CallEventKind.CALL, "a1", null, "lost", B, null),
                at(A, 2, CallEventKind.CALL, "a1", null, "k2", B, null),
                at(A, 3, CallEventKind.CALLBACK, "a1", null, "k2", null, null),
                at(B, 4, CallEventKind.CONTEXT_OPEN, "b1", A, null, null, "lost")));
        assertThat(graph.outstandingCalls()).isEqualTo(1);
        assertThat(graph.linkedContexts()).isEqualTo(1);

        graph.advance(1_000_000_000L + 61_000_000_000L);

        assertThat(graph.outstandingCalls()).isZero();
        assertThat(graph.linkedContexts()).isZero();
        assertThat(store.range("", "~")).as("nothing but the clock is left").hasSize(1);
    }
}
