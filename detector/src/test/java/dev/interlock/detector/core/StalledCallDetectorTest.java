package dev.interlock.detector.core;

import static dev.interlock.detector.core.DetectorTestSupport.of;
import static dev.interlock.detector.core.Trace.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;

class StalledCallDetectorTest {
    private final DetectorEngine engine = DetectorEngine.withDefaults(DetectorSettings.defaults()
            .withStallAfter(Duration.ofSeconds(30)));

    private List<Alert> feed(CanisterState state, List<CallEvent> events) {
        List<Alert> out = new ArrayList<>();
        events.forEach(e -> out.addAll(engine.process(state, e)));
        return out;
    }

    @Test
    void anUnboundedCallWithoutResponseIsFlaggedByTheTimerAloneOnceItIsOldEnough() {
        CanisterState state = CanisterState.empty(Trace.CANISTER);
        Trace t = new Trace().open("c1", ALICE, "quote").call("c1", "k1", "oracle", "get_price", "u");
        assertThat(of(feed(state, t.events()), AlertClass.STALLED_CALL)).isEmpty();

        long start = t.time();
        assertThat(of(engine.tick(state, start + 29_000_000_000L, false), AlertClass.STALLED_CALL)).isEmpty();
        assertThat(of(engine.tick(state, start + 31_000_000_000L, false), AlertClass.STALLED_CALL))
                .singleElement().satisfies(a -> assertThat(a.evidence().callIds()).containsExactly("k1"));
        assertThat(engine.tick(state, start + 60_000_000_000L, false)).as("raised once").isEmpty();
    }

    @Test
    void boundedWaitAndAnsweredCallsNeverStall() {
        CanisterState state = CanisterState.empty(Trace.CANISTER);
        Trace t = new Trace().open("c1", ALICE, "quote").call("c1", "k1", "oracle", "get_price", "b")
                .open("c2", ALICE, "quote").call("c2", "k2", "oracle", "get_price", "u").reply("c2", "k2", 0)
                .replied("c2");
        feed(state, t.events());

        assertThat(engine.tick(state, t.time() + 3_600_000_000_000L, true)).isEmpty();
    }
}
