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
        List<SimOptions.Choice> all = new ArrayList<>();
        for (String s : Scenarios.all().keySet()) {
            all.add(new SimOptions.Choice(s, Variant.VULNERABLE));
            all.add(new SimOptions.Choice(s, Variant.FIXED));
        }
        List<CallEvent> events = new ArrayList<>();
        java.util.Map<String, TraceReader> readers = new java.util.HashMap<>();
        TraceReader.Output out = new TraceReader.Output() {
            @Override
            public void event(CallEvent e) {
                events.add(e);
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
        return events;
    }
}
