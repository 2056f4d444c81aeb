package dev.interlock.ingest.source.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.interlock.ic.Principal;
import dev.interlock.ingest.normalise.Icrc3BlockDecoder;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.IngestRecord;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.trace.TraceReader;
import dev.interlock.sim.SimOptions;
import dev.interlock.sim.Simulation;
import dev.interlock.sim.engine.LogRecord;
import dev.interlock.sim.engine.SimSink;
import dev.interlock.sim.ledger.IcrcLedger;
import dev.interlock.sim.scenario.Incident;
import dev.interlock.sim.scenario.Variant;

/**
 * The demo's data: a short simulation (the refund scenario's vulnerable variant in light honest
 * traffic) whose canister logs are read through the trace reader and whose ledger blocks are
 * decoded, exactly as ingestion will treat real ones. The seed is the first that yields one
 * double spend of two payouts, so every run of the demo shows the same incident.
 */
public final class DemoCorpus {
    private final List<IngestRecord> records;
    private final Incident incident;

    private DemoCorpus(List<IngestRecord> records, Incident incident) {
        this.records = records;
        this.incident = incident;
    }

    /** Builds the demo with its first round at {@code startTimeNanos}; the same start gives the same records. */
    public static DemoCorpus build(long startTimeNanos) {
        for (long seed = 1; seed < 1_000; seed++) {
            SimOptions options = SimOptions.defaults(seed)
                    .withScenarios(List.of(new SimOptions.Choice("refund", Variant.VULNERABLE)))
                    .withDuration(Duration.ofSeconds(20)).withRate(1).withBackground(3, 5).withStart(startTimeNanos);
            Collector collector = new Collector();
            Simulation.Result result = Simulation.run(options, collector);
            if (result.incidents().size() == 1 && result.incidents().get(0).blocks().size() == 2) {
                return new DemoCorpus(collector.records(result.world().ledger), result.incidents().get(0));
            }
        }
        throw new IllegalStateException("no seed below 1000 gives the demo incident");
    }

    public List<IngestRecord> records() {
        return records;
    }

    public Incident incident() {
        return incident;
    }

    /** The dedup key the DOUBLE_SPEND detector gives this incident. */
    public String expectedDedupKey() {
        List<String> pair = incident.contexts().stream().sorted().toList();
        return AlertClass.DOUBLE_SPEND + "/" + incident.canister() + "/" + pair.get(0) + "+" + pair.get(1);
    }

    /** Collects log records per canister, then reads them as ingestion would. */
    private static final class Collector implements SimSink {
        private final Map<String, List<LogRecord>> logs = new TreeMap<>();

        @Override
        public void logRecord(Principal canister, LogRecord record) {
            logs.computeIfAbsent(canister.toString(), k -> new ArrayList<>()).add(record);
        }

        List<IngestRecord> records(IcrcLedger ledger) {
            List<IngestRecord> out = new ArrayList<>();
            logs.forEach((canister, recs) -> {
                TraceReader reader = new TraceReader(canister, new TraceReader.Output() {
                    @Override
                    public void event(CallEvent e) {
                        out.add(e);
                    }

                    @Override
                    public void unusable(long idx, String content, String reason) {
                        throw new IllegalStateException("the simulator wrote an unusable line (" + reason + "): " + content);
                    }
                });
                recs.forEach(r -> reader.accept(r.idx(), r.timestampNanos(), r.content()));
                reader.flush();
            });
            for (int i = 0; i < ledger.length(); i++) {
                out.add(Icrc3BlockDecoder.decode(ledger.id().toString(), i, ledger.hash(i), ledger.blocks().get(i)));
            }
            // One timeline: by time, keeping each canister's and the ledger's own order.
            out.sort(Comparator.comparingLong(DemoCorpus::time));
            return List.copyOf(out);
        }
    }

    private static long time(IngestRecord r) {
        return r instanceof CallEvent e ? e.timeNanos() : ((LedgerBlock) r).timestampNanos();
    }
}
