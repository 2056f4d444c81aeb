package dev.interlock.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.interlock.detector.core.CanisterState;
import dev.interlock.detector.core.DetectorEngine;
import dev.interlock.detector.core.DetectorSettings;
import dev.interlock.model.CallEvent;

/**
 * The detector core on one thread: every event of a realistic mix (all scenarios in honest
 * traffic, about 190,000 events) through correlation and all detectors, per-canister state in
 * memory. The "events" counter is events per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmx4g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 10)
public class DetectorBench {
    private List<CallEvent> events;

    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters {
        public long events;

        @Setup(Level.Iteration)
        public void reset() {
            events = 0;
        }
    }

    @Setup
    public void setUp() {
        events = BenchCorpus.events(7, Duration.ofMinutes(20), 50, 100);
    }

    @Benchmark
    public int detect(Counters counters) {
        DetectorEngine engine = DetectorEngine.withDefaults(DetectorSettings.defaults());
        Map<String, CanisterState> states = new HashMap<>();
        int alerts = 0;
        for (CallEvent e : events) {
            alerts += engine.process(states.computeIfAbsent(e.canister(), CanisterState::empty), e).size();
        }
        counters.events += events.size();
        return alerts;
    }
}
