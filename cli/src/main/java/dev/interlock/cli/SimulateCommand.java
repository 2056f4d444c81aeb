package dev.interlock.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.interlock.sim.SimOptions;
import dev.interlock.sim.Simulation;
import dev.interlock.sim.engine.Evidence;
import dev.interlock.sim.out.CorpusWriter;
import dev.interlock.sim.scenario.Scenarios;
import dev.interlock.sim.scenario.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Simulates IC canisters and an ICRC ledger, injects incidents into honest traffic, and writes",
                "logs.ndjson, blocks.ndjson, ground-truth.ndjson and summary.json. Same seed and options: same bytes."})
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--seed", defaultValue = "1", description = "The run's only randomness (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scenario", paramLabel = "NAME[:VARIANT]", description = {
            "Scenario to inject, repeatable: NAME, NAME:vulnerable, NAME:fixed, NAME:both, or all.",
            "Known: refund, toctou, callback-trap, reject, stall, cycle, retry, flood, notify. VARIANT defaults to both."})
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--duration", defaultValue = "60s", converter = Durations.class,
            description = "Simulated time users keep calling (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--rate", defaultValue = "20", description = "Honest calls per simulated second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--instances", defaultValue = "1",
            description = "Instances of each scenario and variant (default ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--evidence", defaultValue = "full",
            description = "full: every trace event; required: without state, guard and journal events (default ${DEFAULT-VALUE}).")
    String evidence;

    @Option(names = "--log-limit", defaultValue = "4096",
            description = "Canister log buffer in bytes, like log_memory_limit (default ${DEFAULT-VALUE}).")
    int logLimit;

    @Option(names = "--background-canisters", defaultValue = "6", description = "Honest canisters (default ${DEFAULT-VALUE}).")
    int backgroundCanisters;

    @Option(names = "--users", defaultValue = "50", description = "Honest users (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--out", required = true, description = "Directory to write (created if missing).")
    Path out;

    @Option(names = "--quiet", description = "No progress on stderr.")
    boolean quiet;

    @Override
    public Integer call() {
        SimOptions options = SimOptions.defaults(seed).withScenarios(choices()).withDuration(duration).withRate(rate)
                .withInstances(instances).withEvidence(evidence()).withLogLimit(logLimit)
                .withBackground(backgroundCanisters, users);
        if (rate < 0 || instances < 0 || logLimit < 256 || duration.isNegative() || duration.isZero()) {
            throw new ParameterException(spec.commandLine(),
                    "--rate and --instances must be >= 0, --log-limit >= 256 and --duration positive");
        }
        PrintStream err = System.err;
        long started = System.nanoTime();
        Simulation.Result result;
        long records;
        try (CorpusWriter writer = new CorpusWriter(out)) {
            int[] shown = {-1};
            result = Simulation.run(options, writer, f -> {
                int pct = (int) (f * 100);
                if (!quiet && pct / 5 != shown[0]) {
                    shown[0] = pct / 5;
                    err.printf(Locale.ROOT, "\rsimulating [%-20s] %3d%%", "#".repeat(pct / 5), pct);
                }
            });
            writer.finish(options, result);
            records = writer.logRecords();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (!quiet) {
            err.println();
        }
        System.out.printf(Locale.ROOT, "%d log records, %d blocks, %d call contexts, %d incidents in %s (%.1f s, %.0f events/s)%n",
                records, result.world().ledger.length(), result.world().sim.contextsOpened(),
                result.incidents().size(), out, seconds, records / Math.max(seconds, 1e-9));
        return 0;
    }

    private Evidence evidence() {
        return switch (evidence.toLowerCase(Locale.ROOT)) {
            case "full" -> Evidence.FULL;
            case "required" -> Evidence.REQUIRED;
            default -> throw new ParameterException(spec.commandLine(),
                    "--evidence must be full or required, got '" + evidence + "'");
        };
    }

    private List<SimOptions.Choice> choices() {
        List<SimOptions.Choice> out = new ArrayList<>();
        for (String s : scenarios) {
            String[] parts = s.split(":", 2);
            List<String> names = parts[0].equals("all") ? List.copyOf(Scenarios.all().keySet()) : List.of(parts[0]);
            String variant = parts.length > 1 ? parts[1] : "both";
            for (String name : names) {
                if (!Scenarios.all().containsKey(name)) {
                    throw new ParameterException(spec.commandLine(), "unknown scenario '" + name + "'; known: "
                            + Scenarios.all().keySet() + " or all");
                }
                switch (variant) {
                    case "vulnerable" -> out.add(new SimOptions.Choice(name, Variant.VULNERABLE));
                    case "fixed" -> out.add(new SimOptions.Choice(name, Variant.FIXED));
                    case "both" -> {
                        out.add(new SimOptions.Choice(name, Variant.VULNERABLE));
                        out.add(new SimOptions.Choice(name, Variant.FIXED));
                    }
                    default -> throw new ParameterException(spec.commandLine(), "variant of '" + s
                            + "' must be vulnerable, fixed or both");
                }
            }
        }
        return out;
    }
}
