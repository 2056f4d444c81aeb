package dev.interlock.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.interlock.ic.Principal;
import dev.interlock.sim.SimOptions;
import dev.interlock.sim.Simulation;
import dev.interlock.sim.engine.LogRecord;
import dev.interlock.sim.engine.SimSink;
import dev.interlock.sim.out.CorpusWriter;
import dev.interlock.sim.scenario.Scenarios;
import dev.interlock.sim.scenario.Variant;

/**
 * Corpus generation speed: a simulation with every scenario in honest background traffic,
 * each log record rendered as its NDJSON line (as the corpus writer does) but not written to
 * disk. The "events" counter is log records per second on one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmx4g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class CorpusBench {
    /** Target corpus size: simulated minutes are chosen to give about this many log records. */
    @Param("1000000")
    public long events;

    private SimOptions options;

    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters {
        public long records;

        @Setup(Level.Iteration)
        public void reset() {
            records = 0;
        }
    }

    @Setup
    public void setUp() {
        List<SimOptions.Choice> all = new ArrayList<>();
        for (String s : Scenarios.all().keySet()) {
            all.add(new SimOptions.Choice(s, Variant.VULNERABLE));
            all.add(new SimOptions.Choice(s, Variant.FIXED));
        }
        // Measured: about 1,070 log records per simulated second at 400 background calls/s.
        long seconds = Math.max(10, events / 1_070);
        options = SimOptions.defaults(42).withScenarios(all).withDuration(Duration.ofSeconds(seconds)).withRate(400)
                .withInstances(20);
    }

    private static final class RenderingSink implements SimSink {
        final StringBuilder line = new StringBuilder(512);
        long records;
        long chars;

        @Override
        public void logRecord(Principal canister, LogRecord r) {
            CorpusWriter.render(canister, r, line);
            chars += line.length();
            records++;
        }
    }

    @Benchmark
    public long generateCorpus(Counters counters) {
        RenderingSink sink = new RenderingSink();
        Simulation.Result r = Simulation.run(options, sink);
        counters.records += sink.records;
        return sink.chars + r.incidents().size();
    }
}
