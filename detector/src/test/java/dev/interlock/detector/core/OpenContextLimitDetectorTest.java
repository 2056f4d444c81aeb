package dev.interlock.detector.core;

import static dev.interlock.detector.core.DetectorTestSupport.of;
import static dev.interlock.detector.core.Trace.ALICE;
import static dev.interlock.detector.core.Trace.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;

class OpenContextLimitDetectorTest {
    private final DetectorEngine engine = DetectorEngine.withDefaults(DetectorSettings.defaults().withMaxOpenContexts(3));

    private List<Alert> feed(CanisterState state, List<CallEvent> events) {
        List<Alert> out = new ArrayList<>();
        events.forEach(e -> out.addAll(engine.process(state, e)));
        return out;
    }

    @Test
    void openingOneContextMoreThanTheLimitDropsTheOldestOpenOneAndSaysSo() {
        CanisterState state = CanisterState.empty(Trace.CANISTER);
        Trace t = new Trace().open("c1", ALICE, "pay").call("c1", "k1", "ledger", "icrc1_transfer", "u")
                .open("c2", BOB, "pay").open("c3", ALICE, "pay").open("c4", BOB, "pay");

        List<Alert> alerts = feed(state, t.events());

        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.alertClass()).isEqualTo(AlertClass.OPEN_CONTEXT_LIMIT);
            assertThat(a.evidence().contextIds()).containsExactly("c1");
            assertThat(a.callers()).containsExactly(ALICE);
            assertThat(a.explanation()).contains("more than 3 open call contexts", "c1 (pay of " + ALICE);
        });
        assertThat(state.contexts.keySet()).containsExactly("c2", "c3", "c4");
        assertThat(state.openContexts).isEqualTo(3);
        assertThat(state.evicted).contains("c1");
        assertThat(state.unboundedAwaiting).as("the dropped context's call is no longer watched").isEmpty();
    }

    @Test
    void furtherDropsWithinTheHorizonRaiseNoSecondAlert() {
        CanisterState state = CanisterState.empty(Trace.CANISTER);
        Trace t = new Trace().open("c1", ALICE, "pay").open("c2", ALICE, "pay").open("c3", ALICE, "pay")
                .open("c4", ALICE, "pay").open("c5", ALICE, "pay").open("c6", ALICE, "pay");

        List<Alert> alerts = feed(state, t.events());

        assertThat(of(alerts, AlertClass.OPEN_CONTEXT_LIMIT)).hasSize(1);
        assertThat(state.contexts.keySet()).containsExactly("c4", "c5", "c6");
    }

    @Test
    void closedContextsDoNotCountAgainstTheLimit() {
        CanisterState state = CanisterState.empty(Trace.CANISTER);
        Trace t = new Trace();
        for (int i = 1; i <= 10; i++) {
            t.open("c" + i, ALICE, "get").replied("c" + i);
        }
        // a trap with nothing outstanding ends its context too
        t.open("t1", BOB, "pay").trap("t1", "boom");
        t.open("o1", ALICE, "pay").open("o2", BOB, "pay").open("o3", ALICE, "pay");

        List<Alert> alerts = feed(state, t.events());

        assertThat(of(alerts, AlertClass.OPEN_CONTEXT_LIMIT)).isEmpty();
        assertThat(state.openContexts).isEqualTo(3);
        assertThat(state.contexts).hasSize(14);
    }

    @Test
    void aDroppedContextsLaterEventsOpenItAgainWithoutItsBeginning() {
        CanisterState state = CanisterState.empty(Trace.CANISTER);
        Trace t = new Trace().open("c1", ALICE, "pay").open("c2", BOB, "pay").open("c3", ALICE, "pay")
                .open("c4", BOB, "pay").replied("c1");

        feed(state, t.events());

        // c1 was dropped for c4; its reply opens it again, without caller (dropping c2, the oldest open one now),
        // and closes it
        assertThat(state.context("c1").caller).isNull();
        assertThat(state.context("c1").stillOpen()).isFalse();
        assertThat(state.openContexts).isEqualTo(2); // c3, c4
        assertThat(state.contexts.keySet()).containsExactly("c3", "c4", "c1");
    }
}
