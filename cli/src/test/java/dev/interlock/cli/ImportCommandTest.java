package dev.interlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.interlock.ic.Principal;
import dev.interlock.ingest.calls.CallLogProcessor;
import dev.interlock.ingest.calls.CallLogSink;
import dev.interlock.model.IngestRecord;
import picocli.CommandLine;

/** The import command's options, progress and summary; publishing itself is tested in ingest (CallLogImporterTest). */
class ImportCommandTest {
    static final String CANISTER = Principal.canister(7401).toString();
    static final String CALLER = Principal.canister(7402).toString();

    @TempDir
    Path dir;

    /** What a transactional sink would have committed, kept across runs like the cursors topic. */
    static final class Committed implements CallLogSink {
        final List<IngestRecord> records = new ArrayList<>();
        final Map<String, Long> cursors = new TreeMap<>();
        final List<Map<String, Object>> configs = new ArrayList<>();
        final List<String> sources = new ArrayList<>();

        @Override
        public Map<String, Long> cursors() {
            return Map.copyOf(cursors);
        }

        @Override
        public void publish(CallLogProcessor.Chunk chunk) {
            records.addAll(chunk.records());
            cursors.putAll(chunk.cursorUpdates());
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(Committed sink, Map<String, String> env, String... args) {
        ImportCommand cmd = new ImportCommand();
        cmd.sinks = (config, source) -> {
            sink.configs.add(config);
            sink.sources.add(source);
            return sink;
        };
        cmd.env = env;
        cmd.clock = Clock.fixed(Instant.parse("2026-01-02T00:00:00Z"), ZoneOffset.UTC);
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                return cls == ImportCommand.class ? cls.cast(cmd) : CommandLine.defaultFactory().create(cls);
            }
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new InterlockCli(), factory).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path file() throws IOException {
        Path f = dir.resolve("logs.ndjson");
        String ts = "1767225601000000000";
        Files.writeString(f, String.join("\n",
                "{\"canister\":\"" + CANISTER + "\",\"idx\":0,\"timestamp_nanos\":" + ts
                        + ",\"content\":\"ILK1 {\\\"e\\\":\\\"in\\\",\\\"x\\\":\\\"c1\\\",\\\"m\\\":\\\"claim\\\",\\\"f\\\":\\\""
                        + CALLER + "\\\"}\"}",
                "{\"canister\":\"" + CANISTER + "\",\"idx\":1,\"timestamp_nanos\":" + ts
                        + ",\"content\":\"ILK1 {\\\"e\\\":\\\"wr\\\",\\\"x\\\":\\\"c1\\\",\\\"k\\\":\\\"claimed\\\"}\"}",
                "{\"canister\":\"" + CANISTER + "\",\"idx\":2,\"timestamp_nanos\":" + ts
                        + ",\"content\":\"[TRAP]: attempt to add with overflow\"}",
                "{\"canister\":\"" + CANISTER + "\",\"idx\":3,\"timestamp_nanos\":" + ts + ",\"content\":\"hello\"}",
                "{\"canister\":\"" + CANISTER + "\",\"idx\":4,\"timestamp_nanos\":" + ts
                        + ",\"content\":\"ILK2 {\\\"e\\\":\\\"in\\\"}\"}",
                "{\"canister\":\"bad\",\"idx\":5,\"timestamp_nanos\":" + ts + ",\"content\":\"x\"}",
                "{oops"), StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void theSummaryCountsLinesEventsPerCanisterAndRejectedLinesPerReason() throws IOException {
        Committed sink = new Committed();
        Run r = run(sink, Map.of(), "import", "--calls", file().toString(), "--kafka", "broker:9092",
                "--kafka-property", "security.protocol=SASL_SSL", "--quiet");

        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).matches("1 file, 7 lines \\(0\\.\\d MB\\) read in \\d+\\.\\d s; source calls-import");
        assertThat(lines.get(1))
                .isEqualTo("7 records: 3 events and 1 log lines published, 0 duplicates skipped, 3 rejected");
        assertThat(r.out()).contains(String.format("  %-63s %10d %10d %10d %10d", CANISTER, 3, 1, 0, 1),
                String.format("  %-63s %10d %10d %10d %10d", "unknown", 0, 0, 0, 2),
                "  malformed            1", "  bad-principal        1", "  unsupported-version  1",
                "  logs.ndjson:5: unsupported-version: unsupported trace format version ILK2 (this reader knows ILK1)");
        assertThat(sink.configs).containsExactly(Map.of("bootstrap.servers", "broker:9092", "security.protocol", "SASL_SSL"));
        assertThat(sink.records).hasSize(4);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aSecondImportOfTheSameFileCountsEveryRecordAsADuplicateAndPublishesNothing() throws IOException {
        Committed sink = new Committed();
        Path f = file();
        run(sink, Map.of("KAFKA_BOOTSTRAP_SERVERS", "env-broker:9092"), "import", "--calls", f.toString(), "--quiet");
        int published = sink.records.size();

        Run again = run(sink, Map.of("KAFKA_BOOTSTRAP_SERVERS", "env-broker:9092"), "import", "--calls", f.toString(),
                "--quiet");

        assertThat(again.exit()).isZero();
        assertThat(sink.records).hasSize(published);
        assertThat(again.out().lines().toList().get(1))
                .isEqualTo("7 records: 0 events and 0 log lines published, 5 duplicates skipped, 2 rejected");
        assertThat(sink.configs.get(1)).containsEntry("bootstrap.servers", "env-broker:9092");
        assertThat(sink.sources).containsExactly("calls-import", "calls-import");
    }

    @Test
    void withoutATerminalProgressIsPrintedAsPlainLinesAndWithProgressAsABar() throws IOException {
        Path f = file();
        Run plain = run(new Committed(), Map.of(), "import", "--calls", f.toString(), "--kafka", "k:1");
        Committed sink = new Committed();
        Run bar = run(sink, Map.of(), "import", "--calls", f.toString(), "--kafka", "k:1", "--progress",
                "--source-id", "backfill-1");

        assertThat(plain.err()).matches("imported logs.ndjson: 0\\.\\d MB, 7 lines\\R");
        assertThat(sink.sources).containsExactly("backfill-1");
        assertThat(bar.out()).contains("; source backfill-1");
        assertThat(bar.err()).startsWith("\rimporting logs.ndjson [####################] 100% ").endsWith(", 7 lines"
                + System.lineSeparator());
    }

    @Test
    void withoutAKafkaClusterOrWithATextLogAndNoCanisterTheImportRefusesToStart() throws IOException {
        Run noKafka = run(new Committed(), Map.of(), "import", "--calls", file().toString());
        Path text = dir.resolve("canister.log");
        Files.writeString(text, "[0. 2026-01-01T00:00:01Z]: hello\n");
        Committed sink = new Committed();
        Run noCanister = run(sink, Map.of(), "import", "--calls", text.toString(), "--kafka", "k:1");
        Run badCanister = run(sink, Map.of(), "import", "--calls", text.toString(), "--kafka", "k:1", "--canister", "nope");

        assertThat(noKafka.exit()).isEqualTo(2);
        assertThat(noKafka.err()).contains("no Kafka cluster: give --kafka HOST:PORT or set KAFKA_BOOTSTRAP_SERVERS");
        assertThat(noCanister.exit()).isEqualTo(2);
        assertThat(noCanister.err()).contains("which name no canister: give the canister id with --canister");
        assertThat(badCanister.exit()).isEqualTo(2);
        assertThat(badCanister.err()).contains("--canister: principal 'nope'");
        assertThat(sink.sources).isEmpty();
    }
}
