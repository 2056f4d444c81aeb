package dev.interlock.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Over many random schedules, each vulnerable variant breaks its invariant at least once, and
 * each fixed variant never does: the schedules explore the interleavings that matter.
 */
class ScenarioInvariantTest {
    static Stream<String> scenarios() {
        return Scenarios.all().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void vulnerableVariantBreaksItsInvariantInSomeScheduleAndTheFixedVariantInNone(String name) {
        Scenario scenario = Scenarios.byName(name);
        int broken = 0;
        List<Incident> fixedIncidents = new ArrayList<>();
        for (long seed = 1; seed <= ScenarioHarness.schedules(); seed++) {
            List<Incident> vulnerable = ScenarioHarness.once(scenario, Variant.VULNERABLE, seed);
            if (!vulnerable.isEmpty()) {
                broken++;
                assertThat(vulnerable).allSatisfy(i -> {
                    assertThat(i.scenario()).isEqualTo(name);
                    assertThat(i.variant()).isEqualTo("vulnerable");
                    assertThat(i.canister()).isNotBlank();
                });
            }
            fixedIncidents.addAll(ScenarioHarness.once(scenario, Variant.FIXED, seed));
        }
        System.out.printf("%-14s vulnerable broke its invariant in %d of %d schedules%n", name, broken,
                ScenarioHarness.schedules());
        assertThat(broken).as("schedules in which the vulnerable %s variant broke its invariant", name).isPositive();
        assertThat(fixedIncidents).as("incidents of the fixed %s variant", name).isEmpty();
    }
}
