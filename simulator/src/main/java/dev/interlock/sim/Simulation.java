package dev.interlock.sim;

import java.util.ArrayList;
import java.util.List;

import dev.interlock.sim.engine.Sim;
import dev.interlock.sim.engine.SimSink;
import dev.interlock.sim.scenario.Background;
import dev.interlock.sim.scenario.Incident;
import dev.interlock.sim.scenario.Scenario;
import dev.interlock.sim.scenario.Scenarios;
import dev.interlock.sim.scenario.StallScenario;
import dev.interlock.sim.scenario.World;

/** Runs one simulation: world, background traffic, scenario instances, then the ground truth. */
public final class Simulation {
    private Simulation() {
    }

    /** One installed scenario instance: what it was and which canisters it consists of. */
    public record InstanceInfo(String scenario, dev.interlock.sim.scenario.Variant variant,
            List<dev.interlock.ic.Principal> canisters) {
    }

    public record Result(World world, List<Incident> incidents, long endTimeNanos, List<InstanceInfo> instances) {
    }

    public static Result run(SimOptions o, SimSink sink) {
        return run(o, sink, fraction -> {
        });
    }

    /** Runs, reporting the share of simulated time done (0..1) to {@code progress} about a hundred times. */
    public static Result run(SimOptions o, SimSink sink, java.util.function.DoubleConsumer progress) {
        Sim sim = new Sim(o.seed(), o.startTimeNanos(), SimOptions.ROUND_NANOS, o.evidence(), sink);
        World world = new World(sim, o.seed() ^ 0x5DEECE66DL, o.logLimit());
        long start = sim.now();
        long end = start + o.duration().toNanos();
        new Background(world, o.backgroundCanisters(), o.users()).drive(start, end, o.rate());
        List<Scenario.Instance> instances = new ArrayList<>();
        List<InstanceInfo> infos = new ArrayList<>();
        long span = Math.max(1, (long) ((end - start) * 0.7));
        for (SimOptions.Choice choice : o.scenarios()) {
            Scenario s = Scenarios.byName(choice.scenario());
            for (int i = 0; i < o.instancesPerScenario(); i++) {
                long at = start + span * i / Math.max(1, o.instancesPerScenario()) + sim.rng().nextLong(SimOptions.ROUND_NANOS * 4);
                Scenario.Instance instance = s.install(world, choice.variant(), at);
                instances.add(instance);
                infos.add(new InstanceInfo(s.name(), choice.variant(), instance.canisters()));
            }
        }
        // After the users stop, let calls in flight settle, long enough for a stalled call to count as stalled.
        long last = end + SimOptions.ROUND_NANOS * (StallScenario.STALL_AFTER_ROUNDS + 60);
        long step = Math.max(SimOptions.ROUND_NANOS, (last - start) / 100);
        for (long t = start + step; t < last; t += step) {
            sim.runUntil(t);
            progress.accept((double) (t - start) / (last - start));
        }
        sim.runUntil(last);
        progress.accept(1.0);
        List<Incident> incidents = new ArrayList<>();
        for (Scenario.Instance i : instances) {
            incidents.addAll(i.incidents());
        }
        return new Result(world, incidents, sim.now(), infos);
    }
}
