package dev.interlock.sim.scenario;

import java.util.List;

import dev.interlock.sim.SimOptions;
import dev.interlock.sim.engine.CanisterLog;
import dev.interlock.sim.engine.Evidence;
import dev.interlock.sim.engine.Sim;
import dev.interlock.sim.engine.SimSink;

/** Runs one scenario instance alone under one seed-chosen schedule and returns its incidents. */
final class ScenarioHarness {
    private ScenarioHarness() {
    }

    static List<Incident> once(Scenario scenario, Variant variant, long seed) {
        Sim sim = new Sim(seed, SimOptions.START_TIME_NANOS, SimOptions.ROUND_NANOS, Evidence.FULL, SimSink.NONE);
        World world = new World(sim, seed * 31 + 7, CanisterLog.DEFAULT_LIMIT);
        long start = sim.now();
        Scenario.Instance instance = scenario.install(world, variant, start + SimOptions.ROUND_NANOS);
        sim.runUntil(start + SimOptions.ROUND_NANOS * (StallScenario.STALL_AFTER_ROUNDS + 200));
        return instance.incidents();
    }

    /** Schedules per scenario and variant: the issue asks for at least 1,000. */
    static int schedules() {
        return "full".equals(System.getProperty("interlock.test.scale")) ? 10_000 : 1_000;
    }
}
