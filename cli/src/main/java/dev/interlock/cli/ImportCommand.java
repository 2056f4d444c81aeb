package dev.interlock.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

import dev.interlock.ingest.calls.CallLogImporter;
import dev.interlock.ingest.calls.CallLogLine;
import dev.interlock.ingest.calls.CallLogProcessor;
import dev.interlock.ingest.calls.CallLogSink;
import dev.interlock.ingest.calls.CallLogStats;
import dev.interlock.ingest.calls.KafkaCallLogSink;
import dev.interlock.ingest.calls.RejectReason;
import dev.interlock.ingest.calls.Rejection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Imports canister log records into a Kafka cluster's calls topic, with the service's rules",
                "(trace events, traps rolled back, plain log lines kept, bad lines quarantined with the reason).",
                "FILE: NDJSON records {canister, idx, ts|timestamp_nanos, content} (the push line schema, what",
                "simulate writes), or text as 'dfx canister logs' prints it ([idx. time]: content; needs --canister).",
                "Re-importing a file publishes nothing twice (a cursor per canister, committed with the records).",
                "See docs/call-ingestion.md."})
public final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--calls", arity = "1..*", required = true, paramLabel = "FILE",
            description = "Log files, read in this order (a canister's records may continue in the next file).")
    List<Path> calls;

    @Option(names = "--kafka", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: the KAFKA_BOOTSTRAP_SERVERS environment variable).")
    String kafka;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "Any other Kafka client setting, repeatable (security.protocol=SASL_SSL, ...).")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--canister", paramLabel = "PRINCIPAL",
            description = "Canister of records that name none (text logs of one canister, NDJSON without canister).")
    String canister;

    @Option(names = "--source-id", defaultValue = "calls-import",
            description = "Cursor name and transactional id suffix (default ${DEFAULT-VALUE}); two imports with one id "
                    + "cannot run at once.")
    String sourceId;

    @Option(names = "--max-clock-skew", defaultValue = "5m", converter = Durations.class,
            description = "Records dated further ahead of this clock, or further back than the previous record of "
                    + "their canister, are quarantined (default ${DEFAULT-VALUE}).")
    Duration maxClockSkew;

    @Option(names = "--max-line-bytes", defaultValue = "65536",
            description = "Longer lines are rejected on their own (default ${DEFAULT-VALUE}).")
    int maxLineBytes;

    @Option(names = "--lines-per-transaction", defaultValue = "10000",
            description = "Lines read between two commits (default ${DEFAULT-VALUE}).")
    int linesPerTransaction;

    @Option(names = "--progress", description = "Draw the progress bar even when stderr is not a terminal.")
    boolean progressBar;

    @Option(names = "--quiet", description = "No progress on stderr.")
    boolean quiet;

    /** Opens the sink (Kafka client settings, source id); tests put a sink in memory here. */
    BiFunction<Map<String, Object>, String, CallLogSink> sinks = (config, source) -> {
        KafkaCallLogSink.requireTopics(config, Duration.ofSeconds(15));
        return new KafkaCallLogSink(config, source, Duration.ofSeconds(30));
    };
    Map<String, String> env = System.getenv();
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String bootstrap = kafka != null ? kafka : env.get("KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new ParameterException(spec.commandLine(),
                    "no Kafka cluster: give --kafka HOST:PORT or set KAFKA_BOOTSTRAP_SERVERS");
        }
        if (canister != null && CallLogLine.principalProblem(canister) != null) {
            throw new ParameterException(spec.commandLine(), "--canister: " + CallLogLine.principalProblem(canister));
        }
        if (maxLineBytes < 64 || linesPerTransaction < 1) {
            throw new ParameterException(spec.commandLine(), "--max-line-bytes must be >= 64, --lines-per-transaction >= 1");
        }
        for (Path f : calls) {
            if (!Files.isReadable(f)) {
                throw new ParameterException(spec.commandLine(), f + ": no such readable file");
            }
        }
        Map<String, Object> config = new HashMap<>(kafkaProperties);
        config.put("bootstrap.servers", bootstrap);
        quietKafkaLogging();
        CallLogImporter.Options options = CallLogImporter.Options.defaults().withCanister(canister)
                .withMaxClockSkew(maxClockSkew.isZero() ? null : maxClockSkew).withMaxLineBytes(maxLineBytes)
                .withLinesPerTransaction(linesPerTransaction).withClock(clock);
        ProgressLine progress = quiet ? null : new ProgressLine(err, progressBar || StderrTerminal.detect());
        long started = System.nanoTime();
        CallLogImporter importer;
        CallLogStats stats;
        try {
            for (Path f : calls) {
                CallLogImporter.form(f, canister); // refuse a wrong file before anything is published
            }
            try (CallLogSink sink = sinks.apply(config, sourceId)) {
                importer = new CallLogImporter(sink, options, progress);
                for (Path f : calls) {
                    importer.importFile(f);
                    if (progress != null) {
                        progress.done();
                    }
                }
                stats = importer.finish();
            }
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            if (progress != null) {
                progress.done();
            }
            err.println("import: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            if (progress != null) {
                progress.done();
            }
            err.println("import failed: " + e.getMessage());
            err.println("Everything up to the last committed transaction is published; run the same import again to "
                    + "resume after it.");
            return 2;
        }
        summary(out, importer, stats, (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private void summary(PrintWriter out, CallLogImporter importer, CallLogStats stats, double seconds) {
        out.printf(Locale.ROOT, "%d %s, %d lines (%s) read in %.1f s; source %s%n", calls.size(),
                calls.size() == 1 ? "file" : "files", importer.linesRead(), mb(importer.bytesRead()), seconds, sourceId);
        out.printf(Locale.ROOT, "%d records: %d events and %d log lines published, %d duplicates skipped, %d rejected%n",
                stats.lines(), stats.eventsTotal(), stats.logLinesTotal(), stats.duplicatesTotal(), stats.rejectedTotal());
        if (!stats.canisters().isEmpty()) {
            out.printf(Locale.ROOT, "  %-63s %10s %10s %10s %10s%n", "canister", "events", "log lines", "duplicates",
                    "rejected");
            for (String c : stats.canisters()) {
                long rejected = stats.rejected().getOrDefault(c, Map.of()).values().stream().mapToLong(Long::longValue).sum();
                out.printf(Locale.ROOT, "  %-63s %10d %10d %10d %10d%n", c, stats.events().getOrDefault(c, 0L),
                        stats.logLines().getOrDefault(c, 0L), stats.duplicates().getOrDefault(c, 0L), rejected);
            }
        }
        if (stats.rejectedTotal() > 0) {
            out.println("rejected by reason (quarantined on interlock.quarantine with the reason and the raw line):");
            for (Map.Entry<RejectReason, Long> e : stats.rejectedByReason().entrySet()) {
                out.printf(Locale.ROOT, "  %-20s %d%n", e.getKey().tag(), e.getValue());
            }
            out.println("first rejected lines:");
            for (Rejection r : importer.rejectedSample()) {
                out.println("  " + r.where() + ": " + r.reason().tag() + ": " + r.detail());
            }
        }
        if (importer.warnings() > 0) {
            out.printf(Locale.ROOT, "%d warnings (trap records that could not be attributed, kept as log lines):%n",
                    importer.warnings());
            for (CallLogProcessor.Warning w : importer.warningSample()) {
                out.println("  " + w.where() + ": " + w.message());
            }
        }
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static void quietKafkaLogging() {
        java.util.logging.Logger.getLogger("org.apache.kafka").setLevel(java.util.logging.Level.WARNING);
    }

    /** Whether stderr is a terminal: its file descriptor's link on Linux, else whether the JVM has a console. */
    static final class StderrTerminal {
        private StderrTerminal() {
        }

        static boolean detect() {
            try {
                String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                return System.console() != null;
            }
        }
    }

    /**
     * Progress on stderr: a bar redrawn in place (bytes and lines read) on a terminal, else a plain line every
     * five seconds.
     */
    static final class ProgressLine implements CallLogImporter.Progress {
        private final PrintWriter err;
        private final boolean bar;
        private long lastDraw;
        private boolean drawn;

        ProgressLine(PrintWriter err, boolean bar) {
            this.err = err;
            this.bar = bar;
        }

        @Override
        public void update(String file, long read, long size, long lines) {
            long now = System.nanoTime();
            boolean end = read >= size;
            if (!end && now - lastDraw < (bar ? 100_000_000L : 5_000_000_000L)) {
                return;
            }
            lastDraw = now;
            int pct = size == 0 ? 100 : (int) Math.min(100, 100 * read / size);
            if (bar) {
                err.printf(Locale.ROOT, "\rimporting %s [%-20s] %3d%% %s of %s, %d lines", file, "#".repeat(pct / 5), pct,
                        mb(read), mb(size), lines);
                drawn = true;
            } else if (!end) {
                err.printf(Locale.ROOT, "importing %s: %d%% (%s of %s), %d lines%n", file, pct, mb(read), mb(size), lines);
            } else {
                err.printf(Locale.ROOT, "imported %s: %s, %d lines%n", file, mb(size), lines);
            }
            err.flush();
        }

        void done() {
            if (drawn) {
                err.println();
                err.flush();
                drawn = false;
            }
        }
    }
}
