package dev.interlock.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.interlock.ic.Principal;
import dev.interlock.model.CallEvent;
import dev.interlock.model.trace.TraceReader;
import dev.interlock.sim.SimOptions;
import dev.interlock.sim.Simulation;
import dev.interlock.sim.engine.LogRecord;
import dev.interlock.sim.engine.SimSink;
import dev.interlock.sim.scenario.Scenarios;
import dev.interlock.sim.scenario.Variant;

/** A realistic mix of call events: every scenario in honest traffic, read as ingestion reads logs. */
final class BenchCorpus {
    private BenchCorpus() {
    }

    static List<CallEvent> events(long seed, Duration duration, double rate, int instances) {
        List<CallEvent> events = new ArrayList<>();
        generate(seed, duration, rate, instances, events::add);
        return events;
    }

    /** Call events as published: key (the canister) and JSON value, in order. */
    record Encoded(String[] keys, byte[][] values, long bytes) {
        int size() {
            return keys.length;
        }
    }

    /**
     * Quiet time between two laps: longer than the detector's default horizon (10 minutes), so that a lap's equal
     * transfers and overlapping contexts do not meet the previous lap's (what is still open then stays open).
     */
    static final Duration LAP_GAP = Duration.ofMinutes(15);

    /**
     * The same mix, encoded, repeated {@code laps} times, each lap later in time than the one before (by the
     * corpus' duration and {@link #LAP_GAP} of quiet): the same canisters keep running, so a run can be long enough for the
     * JIT to finish with the hot paths without the corpus' generation (which slows down on long simulations)
     * taking longer than the run. Each lap renames what must not repeat: sequence numbers and event ids (after
     * the previous lap's), context, call, correlation and journal ids (prefixed with the lap), and times.
     */
    static Encoded encodedLaps(long seed, Duration duration, double rate, int instances, int laps) {
        List<CallEvent> base = events(seed, duration, rate, instances);
        long seqStep = base.stream().mapToLong(CallEvent::seq).max().orElse(0) + 1;
        long timeStep = duration.toNanos() + LAP_GAP.toNanos();
        String[] keys = new String[base.size() * laps];
        byte[][] values = new byte[keys.length][];
        long bytes = 0;
        int i = 0;
        for (int lap = 0; lap < laps; lap++) {
            for (CallEvent e : base) {
                byte[] v = dev.interlock.model.Json.encode(lap == 0 ? e : relabel(e, lap, lap * seqStep, lap * timeStep));
                keys[i] = e.canister();
                values[i++] = v;
                bytes += v.length;
            }
        }
        return new Encoded(keys, values, bytes);
    }

    private static CallEvent relabel(CallEvent e, int lap, long seqOffset, long timeOffset) {
        String prefix = "L" + lap + ".";
        long seq = e.seq() < 0 ? e.seq() : e.seq() + seqOffset;
        String subject = switch (e.kind()) {
            // correlation ids (a call's and the context it opens) and journal ids
            case CONTEXT_OPEN, CALL, JOURNAL_INTENT, JOURNAL_RESULT -> e.subject() == null ? null : prefix + e.subject();
            default -> e.subject();
        };
        return new CallEvent(e.canister() + "/" + seq, e.canister(), seq, e.timeNanos() + timeOffset, e.kind(),
                e.context() == null ? null : prefix + e.context(), e.caller(), e.method(),
                e.call() == null ? null : prefix + e.call(), e.callee(), e.calleeMethod(), e.transfer(), e.outcome(),
                e.rolledBack(), subject, e.value(), e.endsMessage());
    }

    private static void generate(long seed, Duration duration, double rate, int instances,
            java.util.function.Consumer<CallEvent> sink) {
        List<SimOptions.Choice> all = new ArrayList<>();
        for (String s : Scenarios.all().keySet()) {
            all.add(new SimOptions.Choice(s, Variant.VULNERABLE));
            all.add(new SimOptions.Choice(s, Variant.FIXED));
        }
        java.util.Map<String, TraceReader> readers = new java.util.HashMap<>();
        TraceReader.Output out = new TraceReader.Output() {
            @Override
            public void event(CallEvent e) {
                sink.accept(e);
            }

            @Override
            public void unusable(long idx, String content, String reason) {
            }
        };
        Simulation.run(SimOptions.defaults(seed).withScenarios(all).withDuration(duration).withRate(rate)
                .withInstances(instances), new SimSink() {
                    @Override
                    public void logRecord(Principal canister, LogRecord r) {
                        readers.computeIfAbsent(canister.toString(), c -> new TraceReader(c, out))
                                .accept(r.idx(), r.timestampNanos(), r.content());
                    }
                });
        readers.values().forEach(TraceReader::flush);
    }
}
