package dev.interlock.sim.scenario;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every scenario, by name: a new one is one class plus one line here. */
public final class Scenarios {
    private static final Map<String, Scenario> ALL = new LinkedHashMap<>();

    static {
        for (Scenario s : List.of(new RefundScenario(), new ToctouScenario(), new CallbackTrapScenario(),
                new RejectScenario(), new StallScenario(), new CycleScenario(), new RetryScenario(),
                new FloodScenario(), new NotifyScenario(), new AllowanceScenario())) {
            ALL.put(s.name(), s);
        }
    }

    private Scenarios() {
    }

    public static Map<String, Scenario> all() {
        return java.util.Collections.unmodifiableMap(ALL);
    }

    public static Scenario byName(String name) {
        Scenario s = ALL.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown scenario '" + name + "'; known: " + ALL.keySet());
        }
        return s;
    }
}
