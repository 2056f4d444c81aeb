package dev.interlock.sim;

import java.time.Duration;
import java.util.List;

import dev.interlock.sim.engine.CanisterLog;
import dev.interlock.sim.engine.Evidence;
import dev.interlock.sim.scenario.Variant;

/**
 * What to simulate. Same options and seed, same output, byte for byte.
 *
 * @param seed                 the run's only randomness
 * @param scenarios            scenarios and the variants to inject
 * @param duration             how long users keep calling (simulated time)
 * @param rate                 honest background calls per simulated second
 * @param instancesPerScenario incidents-to-be of each scenario and variant over the duration
 * @param evidence             which optional trace events canisters print
 * @param logLimit             canister log buffer, bytes
 * @param backgroundCanisters  honest canisters
 * @param users                honest users
 * @param startTimeNanos       simulated time of the first round (fixed by default, for reproducible corpora)
 */
public record SimOptions(long seed, List<Choice> scenarios, Duration duration, double rate, int instancesPerScenario,
        Evidence evidence, int logLimit, int backgroundCanisters, int users, long startTimeNanos) {

    /** 2026-01-01T00:00:00Z: a fixed start so that runs do not depend on the wall clock. */
    public static final long START_TIME_NANOS = 1_767_225_600_000_000_000L;
    public static final long ROUND_NANOS = 500_000_000L;

    public record Choice(String scenario, Variant variant) {
    }

    public static SimOptions defaults(long seed) {
        return new SimOptions(seed, List.of(), Duration.ofMinutes(1), 20, 1, Evidence.FULL, CanisterLog.DEFAULT_LIMIT,
                6, 50, START_TIME_NANOS);
    }

    public SimOptions withScenarios(List<Choice> s) {
        return new SimOptions(seed, s, duration, rate, instancesPerScenario, evidence, logLimit, backgroundCanisters,
                users, startTimeNanos);
    }

    public SimOptions withDuration(Duration d) {
        return new SimOptions(seed, scenarios, d, rate, instancesPerScenario, evidence, logLimit, backgroundCanisters,
                users, startTimeNanos);
    }

    public SimOptions withRate(double r) {
        return new SimOptions(seed, scenarios, duration, r, instancesPerScenario, evidence, logLimit,
                backgroundCanisters, users, startTimeNanos);
    }

    public SimOptions withInstances(int n) {
        return new SimOptions(seed, scenarios, duration, rate, n, evidence, logLimit, backgroundCanisters, users, startTimeNanos);
    }

    public SimOptions withEvidence(Evidence e) {
        return new SimOptions(seed, scenarios, duration, rate, instancesPerScenario, e, logLimit, backgroundCanisters,
                users, startTimeNanos);
    }

    public SimOptions withLogLimit(int bytes) {
        return new SimOptions(seed, scenarios, duration, rate, instancesPerScenario, evidence, bytes,
                backgroundCanisters, users, startTimeNanos);
    }

    public SimOptions withStart(long nanos) {
        return new SimOptions(seed, scenarios, duration, rate, instancesPerScenario, evidence, logLimit,
                backgroundCanisters, users, nanos);
    }

    public SimOptions withBackground(int canisters, int userCount) {
        return new SimOptions(seed, scenarios, duration, rate, instancesPerScenario, evidence, logLimit, canisters,
                userCount, startTimeNanos);
    }
}
