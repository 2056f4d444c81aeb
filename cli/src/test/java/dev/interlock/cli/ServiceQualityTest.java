package dev.interlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.interlock.detector.core.DetectorEngine;
import dev.interlock.detector.core.DetectorSettings;
import dev.interlock.detector.streams.DetectorMetrics;
import dev.interlock.detector.streams.DetectorTopology;
import dev.interlock.ic.Principal;
import dev.interlock.ingest.normalise.Icrc3BlockDecoder;
import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Json;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.Topics;
import dev.interlock.model.trace.TraceReader;
import dev.interlock.sim.SimOptions;
import dev.interlock.sim.Simulation;
import dev.interlock.sim.engine.LogRecord;
import dev.interlock.sim.engine.SimSink;
import dev.interlock.sim.scenario.Incident;
import dev.interlock.sim.scenario.Scenarios;
import dev.interlock.sim.scenario.Variant;

/**
 * Detection quality of the service's topology, not of the offline scan: a labelled corpus (every
 * scenario, vulnerable and fixed, in honest traffic) goes through the very topology the detect role
 * runs, on TopologyTestDriver, as ingestion would deliver it: every canister's log read after each
 * round (a poll per round), call events on the calls topic and the ledger's blocks on the blocks topic
 * in time order, the wall clock moving with event time so that every timer fires as it would in
 * production, and ten minutes of silence at the end. Its alerts are matched to the ground truth as
 * {@link DetectionQualityTest} matches the scan's.
 */
class ServiceQualityTest {
    private static final long T0 = SimOptions.START_TIME_NANOS;
    /** How far the wall clock moves at a time (the timers' interval is shorter: each fires once per step). */
    private static final Duration STEP = Duration.ofSeconds(1);

    @TempDir
    Path stateDir;

    /**
     * The driver commits after every record, and RocksDB syncs its files at each: in memory (tmpfs) when the machine
     * has it, the run takes a fraction of the time.
     */
    private Path stateDir() {
        Path shm = Path.of("/dev/shm");
        if (java.nio.file.Files.isDirectory(shm) && java.nio.file.Files.isWritable(shm)) {
            try {
                return java.nio.file.Files.createTempDirectory(shm, "service-quality");
            } catch (java.io.IOException e) {
                return stateDir;
            }
        }
        return stateDir;
    }

    /** A call event or a block, in the order ingestion would publish them. */
    private record Input(String topic, String key, byte[] value, long timeNanos) {
    }

    @Test
    void theServiceTopologyFindsEveryIncidentWithFullEvidenceAndRaisesNothingOnAFixedVariant() {
        List<SimOptions.Choice> all = new ArrayList<>();
        for (String s : Scenarios.all().keySet()) {
            all.add(new SimOptions.Choice(s, Variant.VULNERABLE));
            all.add(new SimOptions.Choice(s, Variant.FIXED));
        }
        SimOptions o = SimOptions.defaults(20261207).withScenarios(all).withInstances(8)
                .withDuration(Duration.ofMinutes(6)).withRate(10);
        List<Input> inputs = new ArrayList<>();
        Map<String, TraceReader> readers = new HashMap<>();
        long[] round = {Long.MIN_VALUE};
        Simulation.Result result = Simulation.run(o, new SimSink() {
            @Override
            public void logRecord(Principal canister, LogRecord r) {
                String c = canister.toString();
                TraceReader reader = readers.computeIfAbsent(c, k -> new TraceReader(k, new TraceReader.Output() {
                    @Override
                    public void event(CallEvent e) {
                        inputs.add(new Input(Topics.CALLS, e.canister(), Json.encode(e), e.timeNanos()));
                    }

                    @Override
                    public void unusable(long idx, String content, String reason) {
                    }
                }));
                if (round[0] != Long.MIN_VALUE && round[0] != r.timestampNanos()) {
                    // a new round: every canister's log was polled after the last one, its last message ended
                    readers.values().forEach(TraceReader::flush);
                }
                round[0] = r.timestampNanos();
                reader.accept(r.idx(), r.timestampNanos(), r.content());
            }
        });
        readers.values().forEach(TraceReader::flush);
        var ledger = result.world().ledger;
        List<Input> blocks = new ArrayList<>();
        for (int b = 0; b < ledger.length(); b++) {
            LedgerBlock block = Icrc3BlockDecoder.decode(ledger.id().toString(), b, ledger.hash(b),
                    ledger.blocks().get(b));
            blocks.add(new Input(Topics.LEDGER_BLOCKS, block.ledger(), Json.encode(block), block.timestampNanos()));
        }
        List<Input> ordered = merge(inputs, blocks);

        List<Alert> alerts = new ArrayList<>();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "service-quality");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        Path state = stateDir();
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(DetectorTopology.build(
                () -> DetectorEngine.withDefaults(DetectorSettings.defaults()), DetectorMetrics.NONE,
                DetectorTopology.Options.DEFAULT), props, java.time.Instant.ofEpochMilli(T0 / 1_000_000))) {
            TestInputTopic<String, byte[]> calls = driver.createInputTopic(Topics.CALLS, new StringSerializer(),
                    new ByteArraySerializer());
            TestInputTopic<String, byte[]> blockTopic = driver.createInputTopic(Topics.LEDGER_BLOCKS,
                    new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<String, byte[]> out = driver.createOutputTopic(Topics.ALERTS, new StringDeserializer(),
                    new ByteArrayDeserializer());
            long wall = T0;
            for (Input in : ordered) {
                // the wall clock follows event time, a second at a time, so that the timers fire as they would live
                while (in.timeNanos() - wall >= STEP.toNanos()) {
                    driver.advanceWallClockTime(STEP);
                    wall += STEP.toNanos();
                }
                (in.topic().equals(Topics.CALLS) ? calls : blockTopic).pipeInput(in.key(), in.value());
            }
            for (int i = 0; i < 10 * 60; i++) { // ten minutes of silence
                driver.advanceWallClockTime(STEP);
            }
            out.readValuesToList().forEach(v -> alerts.add(Json.decode(v, Alert.class)));
        } finally {
            deleteTree(state);
        }

        Set<String> fixedCanisters = new HashSet<>();
        result.instances().stream().filter(i -> i.variant() == Variant.FIXED)
                .forEach(i -> i.canisters().forEach(c -> fixedCanisters.add(c.toString())));
        Map<AlertClass, long[]> counts = new EnumMap<>(AlertClass.class); // incidents, detected, alerts, true alerts
        for (Incident i : result.incidents()) {
            long[] k = counts.computeIfAbsent(i.alertClass(), c -> new long[4]);
            k[0]++;
            k[1] += alerts.stream().anyMatch(a -> DetectionQualityTest.matches(a, i)) ? 1 : 0;
        }
        long trueAlerts = 0;
        long onFixed = 0;
        List<String> unmatched = new ArrayList<>();
        for (Alert a : alerts) {
            long[] k = counts.computeIfAbsent(a.alertClass(), c -> new long[4]);
            k[2]++;
            if (result.incidents().stream().anyMatch(i -> DetectionQualityTest.matches(a, i))) {
                k[3]++;
                trueAlerts++;
            } else if (unmatched.size() < 5) {
                unmatched.add(a.dedupKey() + ": " + a.explanation());
            }
            onFixed += fixedCanisters.contains(a.canister()) ? 1 : 0;
        }
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%nservice topology: %d inputs (%d blocks), %d incidents, %d alerts (%d on fixed variants)%n",
                ordered.size(), blocks.size(), result.incidents().size(), alerts.size(), onFixed));
        counts.forEach((c, k) -> table.append(String.format(Locale.ROOT, "  %-24s incidents %5d detected %5d alerts %5d "
                + "true %5d%n", c, k[0], k[1], k[2], k[3])));
        unmatched.forEach(u -> table.append("  unmatched ").append(u).append('\n'));
        System.out.print(table);

        assertThat(result.incidents()).hasSizeGreaterThanOrEqualTo(80);
        assertThat(counts.entrySet().stream().filter(e -> e.getValue()[0] > 0).map(Map.Entry::getKey))
                .as("classes with incidents").containsExactlyInAnyOrder(AlertClass.DOUBLE_SPEND, AlertClass.REENTRANCY,
                        AlertClass.CALLBACK_TRAP, AlertClass.UNHANDLED_REJECT, AlertClass.STALLED_CALL,
                        AlertClass.CALL_CYCLE, AlertClass.RATE_ANOMALY, AlertClass.NON_IDEMPOTENT_TRANSFER,
                        AlertClass.LEDGER_RECONCILIATION);
        counts.forEach((c, k) -> assertThat(k[0] == 0 ? 1.0 : (double) k[1] / k[0]).as("recall of %s", c)
                .isGreaterThanOrEqualTo(0.99));
        assertThat(onFixed).as("alerts on fixed variants").isZero();
        assertThat((double) trueAlerts / alerts.size()).as("precision").isGreaterThanOrEqualTo(0.99);
    }

    private static void deleteTree(Path dir) {
        try (var paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary directory: nothing depends on its removal
        }
    }

    /** Call events in their order, each block before the first event later than it. */
    private static List<Input> merge(List<Input> events, List<Input> blocks) {
        List<Input> out = new ArrayList<>(events.size() + blocks.size());
        int b = 0;
        for (Input e : events) {
            while (b < blocks.size() && blocks.get(b).timeNanos() <= e.timeNanos()) {
                out.add(blocks.get(b++));
            }
            out.add(e);
        }
        out.addAll(blocks.subList(b, blocks.size()));
        return out;
    }
}
