package dev.interlock.ingest.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.interlock.ingest.source.push.CallPushHandler;
import dev.interlock.ic.Principal;
import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;
import dev.interlock.model.IngestRecord;
import dev.interlock.model.Json;
import dev.interlock.model.LogLine;
import dev.interlock.model.Topics;
import dev.interlock.sim.SimOptions;
import dev.interlock.sim.Simulation;
import dev.interlock.sim.out.CorpusWriter;
import dev.interlock.sim.scenario.Variant;
import dev.interlock.testsupport.SharedServices;
import dev.interlock.testsupport.TopicReader;

class CallLogImporterTest {
    /** A day after the simulator's start: the corpus lies in the past of this clock. */
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(SimOptions.START_TIME_NANOS / 1_000_000_000L + 86_400),
            ZoneOffset.UTC);
    private static final String TOKEN = "import-test-token-0123456789";

    @TempDir
    Path dir;

    private final Map<String, Object> kafka = SharedServices.kafkaConfig();

    private static CallLogImporter.Options options() {
        return CallLogImporter.Options.defaults().withLinesPerTransaction(500)
                .withMaxClockSkew(Duration.ofMinutes(5)).withMaxLineBytes(64 * 1024)
                .withClock(CLOCK);
    }

    /** A simulated run with traps (callback-trap) and interleaved contexts, as ./interlock simulate writes it. */
    private Path simulatorLog() {
        SimOptions o = SimOptions.defaults(11)
                .withScenarios(List.of(new SimOptions.Choice("callback-trap", Variant.VULNERABLE),
                        new SimOptions.Choice("refund", Variant.VULNERABLE)))
                .withDuration(Duration.ofSeconds(40)).withRate(10).withInstances(8);
        Path out = dir.resolve("corpus");
        try (CorpusWriter w = new CorpusWriter(out)) {
            Simulation.Result r = Simulation.run(o, w);
            w.finish(o, r);
        }
        return out.resolve(CorpusWriter.LOGS);
    }

    /** What the push path makes of the same file sent as one batch. */
    private static MemorySink pushed(Path file) throws IOException {
        MemorySink sink = new MemorySink();
        byte[] body = Files.readAllBytes(file);
        try (CallPushHandler h = new CallPushHandler(new CallPushHandler.Settings(List.of(TOKEN), body.length + 1, 64 * 1024,
                10, 10, Duration.ofMinutes(5)), () -> sink, CLOCK, System::nanoTime, new CallPushHandler.Listener() {
                })) {
            CallPushHandler.Response r = h.handle("Bearer " + TOKEN, body.length, new ByteArrayInputStream(body));
            assertThat(r.status()).isEqualTo(200);
        }
        return sink;
    }

    private static Set<String> canisters(Path file) throws IOException {
        ObjectMapper m = new ObjectMapper();
        Set<String> out = new TreeSet<>();
        for (String l : Files.readAllLines(file)) {
            out.add(m.readTree(l).get("canister").asText());
        }
        return out;
    }

    /** The records of these canisters on a topic, per canister in topic order. */
    private Map<String, List<ConsumerRecord<String, byte[]>>> onTopic(String topic, Set<String> canisters) {
        Map<String, List<ConsumerRecord<String, byte[]>>> out = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(kafka, topic)) {
            if (canisters.contains(r.key())) {
                out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }

    private static int count(Map<String, List<ConsumerRecord<String, byte[]>>> m) {
        return m.values().stream().mapToInt(List::size).sum();
    }

    /** What was added to a topic since {@code before}, per canister, decoded. */
    private static <T> Map<String, List<T>> added(Map<String, List<ConsumerRecord<String, byte[]>>> before,
            Map<String, List<ConsumerRecord<String, byte[]>>> after, Class<T> type) {
        Map<String, List<T>> out = new LinkedHashMap<>();
        after.forEach((k, list) -> {
            int skip = before.getOrDefault(k, List.of()).size();
            out.put(k, list.subList(skip, list.size()).stream().map(r -> Json.decode(r.value(), type)).toList());
        });
        return out;
    }

    private static <T> Map<String, List<T>> byCanister(List<IngestRecord> records, Class<T> type) {
        Map<String, List<T>> out = new LinkedHashMap<>();
        for (IngestRecord r : records) {
            if (type.isInstance(r)) {
                out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(type.cast(r));
            }
        }
        return out;
    }

    private Map<String, List<ConsumerRecord<String, byte[]>>> awaitCount(String topic, Set<String> canisters, int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, List<ConsumerRecord<String, byte[]>>> got = onTopic(topic, canisters);
        while (count(got) < n && System.nanoTime() < deadline) {
            got = onTopic(topic, canisters);
        }
        return got;
    }

    @Test
    void importingASimulatorLogPublishesTheSameEventsAsThePushPathAndASecondImportAddsNone() throws IOException {
        Path log = simulatorLog();
        Set<String> canisters = canisters(log);
        long lines = Files.readAllLines(log).size();
        MemorySink viaPush = pushed(log);
        Map<String, List<CallEvent>> expectedEvents = byCanister(viaPush.records, CallEvent.class);
        Map<String, List<LogLine>> expectedLogs = byCanister(viaPush.records, LogLine.class);
        int expectedCalls = expectedEvents.values().stream().mapToInt(List::size).sum();
        int expectedLogLines = expectedLogs.values().stream().mapToInt(List::size).sum();
        var callsBefore = onTopic(Topics.CALLS, canisters);
        var logsBefore = onTopic(Topics.CANISTER_LOGS, canisters);

        CallLogStats stats;
        CallLogImporter first;
        try (KafkaCallLogSink sink = new KafkaCallLogSink(kafka, "import-test-sim", Duration.ofSeconds(20))) {
            first = new CallLogImporter(sink, options(), null);
            first.importFile(log);
            stats = first.finish();
        }

        // the corpus has what the rules are about: traps with rolled-back events, Panicked at lines
        List<CallEvent> all = expectedEvents.values().stream().flatMap(List::stream).toList();
        assertThat(all).anyMatch(e -> e.kind() == CallEventKind.TRAP).anyMatch(CallEvent::rolledBack);
        assertThat(expectedLogs.values().stream().flatMap(List::stream)).anyMatch(l -> l.content().startsWith("Panicked at"));
        // the summary counts
        assertThat(stats.lines()).isEqualTo(lines);
        assertThat(stats.rejectedTotal()).isZero();
        assertThat(stats.duplicatesTotal()).isZero();
        assertThat(stats.eventsTotal()).isEqualTo(expectedCalls);
        assertThat(stats.logLinesTotal()).isEqualTo(expectedLogLines);
        assertThat(stats.events()).containsOnlyKeys(expectedEvents.keySet());
        expectedEvents.forEach((c, list) -> assertThat(stats.events().get(c)).as(c).isEqualTo(list.size()));
        assertThat(first.linesRead()).isEqualTo(lines);
        assertThat(first.transactions()).isGreaterThan(1);
        // the same events, in the same order per canister, as the push path: chunked commits change nothing
        var callsAfter = awaitCount(Topics.CALLS, canisters, count(callsBefore) + expectedCalls);
        var logsAfter = awaitCount(Topics.CANISTER_LOGS, canisters, count(logsBefore) + expectedLogLines);
        assertThat(added(callsBefore, callsAfter, CallEvent.class)).isEqualTo(expectedEvents);
        assertThat(added(logsBefore, logsAfter, LogLine.class)).isEqualTo(expectedLogs);

        CallLogStats again;
        CallLogImporter second;
        try (KafkaCallLogSink sink = new KafkaCallLogSink(kafka, "import-test-sim", Duration.ofSeconds(20))) {
            second = new CallLogImporter(sink, options(), null);
            second.importFile(log);
            again = second.finish();
        }

        assertThat(second.transactions()).as("transactions of the second import").isZero();
        assertThat(again.duplicatesTotal()).isEqualTo(lines);
        assertThat(again.eventsTotal() + again.logLinesTotal() + again.rejectedTotal()).isZero();
        assertThat(count(onTopic(Topics.CALLS, canisters))).isEqualTo(count(callsBefore) + expectedCalls);
    }

    @Test
    void anImportStoppedHalfWayAndRunAgainPublishesEveryEventExactlyOnce() throws IOException {
        Path log = simulatorLog();
        Set<String> canisters = canisters(log);
        Map<String, List<CallEvent>> expectedEvents = byCanister(pushed(log).records, CallEvent.class);
        int expectedCalls = expectedEvents.values().stream().mapToInt(List::size).sum();
        var callsBefore = onTopic(Topics.CALLS, canisters);

        try (KafkaCallLogSink sink = new KafkaCallLogSink(kafka, "import-test-crash", Duration.ofSeconds(20))) {
            CallLogSink dying = new CallLogSink() {
                int published;

                @Override
                public Map<String, Long> cursors() {
                    return sink.cursors();
                }

                @Override
                public void publish(CallLogProcessor.Chunk chunk) {
                    if (++published == 3) {
                        throw new IllegalStateException("killed");
                    }
                    sink.publish(chunk);
                }
            };
            CallLogImporter importer = new CallLogImporter(dying, options(), null);
            assertThatThrownBy(() -> importer.importFile(log)).hasMessage("killed");
        }
        try (KafkaCallLogSink sink = new KafkaCallLogSink(kafka, "import-test-crash", Duration.ofSeconds(20))) {
            CallLogImporter importer = new CallLogImporter(sink, options(), null);
            importer.importFile(log);
            CallLogStats stats = importer.finish();
            assertThat(stats.duplicatesTotal()).isPositive();
        }

        var callsAfter = awaitCount(Topics.CALLS, canisters, count(callsBefore) + expectedCalls);
        assertThat(added(callsBefore, callsAfter, CallEvent.class)).isEqualTo(expectedEvents);
    }

    @Test
    void dfxTextLogsWithAMultiLineTrapRecordAreReadForTheGivenCanisterAndTheSummaryCountsEachReason()
            throws IOException {
        String canister = Principal.canister(7301).toString();
        String caller = Principal.canister(7302).toString();
        Path text = dir.resolve("canister.log");
        Files.writeString(text, String.join("\n",
                "[0. 2026-01-01T00:00:01.000000001Z]: ILK1 {\"e\":\"in\",\"x\":\"c1\",\"m\":\"claim\",\"f\":\"" + caller + "\"}",
                "[1. 2026-01-01T00:00:01.000000001Z]: ILK1 {\"e\":\"wr\",\"x\":\"c1\",\"k\":\"claimed\",\"v\":\"1\"}",
                "[2. 2026-01-01T00:00:01.000000001Z]: Panicked at 'oops', src/lib.rs:3:3",
                "[3. 2026-01-01T00:00:01.000000001Z]: [TRAP]: Panicked at 'oops', src/lib.rs:3:3",
                "Canister Backtrace:",
                "_wasm_backtrace::claim",
                "[4. 2026-01-01T00:00:02Z]: ILK2 {\"e\":\"in\"}",
                "[5. 2026-01-01T00:00:02Z]: ILK1 {\"e\":\"in\",\"x\":\"c2\",\"m\":\"claim\",\"f\":\"" + caller + "\"}",
                "[6. 2026-13-01T00:00:02Z]: ILK1 {\"e\":\"rep\",\"x\":\"c2\"}",
                "[7. 2026-01-01T00:00:03Z]: ILK1 {\"e\":\"rep\",\"x\":\"c2\"}",
                "[8. 2026-01-01T00:00:03Z]: ILK1 {\"e\":\"cb\",\"x\":\"c2\"}", ""), StandardCharsets.UTF_8);
        MemorySink sink = new MemorySink();

        assertThatThrownBy(() -> new CallLogImporter(sink, options(), null).importFile(text))
                .hasMessageContaining("give the canister id with --canister");
        CallLogImporter importer = new CallLogImporter(sink, options().withCanister(canister), null);
        importer.importFile(text);
        CallLogStats stats = importer.finish();

        assertThat(sink.records).extracting(r -> r instanceof CallEvent e
                ? e.seq() + ":" + e.kind() + (e.rolledBack() ? ":rolled-back" : "") : ((LogLine) r).idx() + ":log")
                .containsExactly("0:CONTEXT_OPEN", "1:STATE_WRITE:rolled-back", "2:log", "3:TRAP", "5:CONTEXT_OPEN",
                        "7:CONTEXT_CLOSE");
        CallEvent trap = (CallEvent) sink.records.get(3);
        assertThat(trap.value()).isEqualTo("Panicked at 'oops', src/lib.rs:3:3");
        assertThat(trap.timeNanos()).isEqualTo(1_767_225_601_000_000_001L);
        assertThat(sink.quarantined).extracting(r -> r.where() + " " + r.reason().tag()).containsExactly(
                "canister.log:7 unsupported-version", "canister.log:9 bad-field", "canister.log:11 trace-format");
        assertThat(sink.quarantined.get(1).detail()).isEqualTo("time '2026-13-01T00:00:02Z' is not an RFC 3339 time");
        assertThat(sink.quarantined.get(2).detail())
                .isEqualTo("field \"c\" is required for \"cb\"; field \"o\" is required for \"cb\"");
        assertThat(importer.linesRead()).isEqualTo(11);
        assertThat(stats.lines()).isEqualTo(9);
        assertThat(stats.accepted()).isEqualTo(6);
        assertThat(stats.events()).containsExactly(Map.entry(canister, 5L));
        assertThat(stats.logLines()).containsExactly(Map.entry(canister, 1L));
        assertThat(stats.rejected()).containsExactly(Map.entry(canister, Map.of(RejectReason.UNSUPPORTED_VERSION, 1L,
                RejectReason.TRACE_FORMAT, 1L, RejectReason.BAD_FIELD, 1L)));
        assertThat(sink.cursors).containsExactly(Map.entry(canister, 8L));
    }

    @Test
    void ndjsonRecordsWithoutCanisterTakeTheGivenOneAndBadLinesAreCountedPerReason() throws IOException {
        String canister = Principal.canister(7303).toString();
        Path file = dir.resolve("relay.ndjson");
        Files.writeString(file, String.join("\n",
                "{\"idx\":0,\"ts\":1767225601000000000,\"content\":\"hello\"}",
                "{\"canister\":\"" + canister + "\",\"idx\":1,\"timestamp_nanos\":1767225601000000000,\"content\":\"again\"}",
                "{\"v\":2,\"idx\":2,\"ts\":1767225601000000000,\"content\":\"from the future\"}",
                "{\"idx\":\"3\",\"ts\":1767225601000000000,\"content\":\"idx as string\"}",
                "{\"idx\":4,\"content\":\"no time\"}",
                "not json at all"), StandardCharsets.UTF_8);
        MemorySink sink = new MemorySink();
        CallLogImporter importer = new CallLogImporter(sink, options().withCanister(canister), null);
        importer.importFile(file);
        CallLogStats stats = importer.finish();

        assertThat(sink.records).extracting(r -> ((LogLine) r).content()).containsExactly("hello", "again");
        assertThat(stats.rejectedByReason()).containsExactly(Map.entry(RejectReason.MALFORMED, 1L),
                Map.entry(RejectReason.MISSING_FIELD, 1L), Map.entry(RejectReason.BAD_FIELD, 1L),
                Map.entry(RejectReason.UNSUPPORTED_VERSION, 1L));
        assertThat(stats.rejected().get(CallLogStats.UNKNOWN_CANISTER))
                .containsExactly(Map.entry(RejectReason.MALFORMED, 1L), Map.entry(RejectReason.UNSUPPORTED_VERSION, 1L));
        assertThat(importer.rejectedSample()).extracting(Rejection::detail).contains(
                "field \"idx\" must be a non-negative integer below 2^63, got \"3\"",
                "field \"ts\" (ns since the epoch) is required",
                "record version 2 is not supported (this reader knows v 1)");
    }
}
