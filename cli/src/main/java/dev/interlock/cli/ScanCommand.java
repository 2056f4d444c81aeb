package dev.interlock.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.HexFormat;

import dev.interlock.cli.scan.Scanner;
import dev.interlock.ic.ValueJson;
import dev.interlock.ic.icp.IcpBlock;
import dev.interlock.ingest.normalise.IcpBlockDecoder;
import dev.interlock.ingest.normalise.Icrc3BlockDecoder;
import dev.interlock.detector.core.DetectorEngine;
import dev.interlock.detector.core.DetectorSettings;
import dev.interlock.model.Alert;
import dev.interlock.model.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Runs the detectors over files, without any server: canister log records (NDJSON",
                "{canister, idx, timestamp_nanos, content}, as simulate writes them) in; alerts (NDJSON) out."})
public final class ScanCommand implements Callable<Integer> {
    @Option(names = "--calls", arity = "1..*", required = true, paramLabel = "FILE",
            description = "Canister log record files, each in idx order per canister.")
    List<Path> calls;

    @Option(names = "--blocks", arity = "1..*", paramLabel = "FILE",
            description = {"Ledger block files: {ledger, index, hash, block} rows, block an ICRC-3 Value as simulate "
                    + "writes them, or the hex of an ICP ledger block's protobuf encoding."})
    List<Path> blocks;

    @Option(names = "--reconcile-window", defaultValue = "5m", converter = Durations.class,
            description = "How long a notify's expected transfer may take to appear (default ${DEFAULT-VALUE}).")
    java.time.Duration reconcileWindow;

    @Option(names = "--out", required = true, description = "Alerts file to write (NDJSON).")
    Path out;

    @Option(names = "--quiet", description = "No progress on stderr.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Scanner scanner = new Scanner(DetectorEngine.withDefaults(DetectorSettings.defaults()),
                reconcileWindow.toNanos());
        long started = System.nanoTime();
        for (Path file : blocks == null ? List.<Path>of() : blocks) {
            long lineNo = 0;
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    lineNo++;
                    try {
                        JsonNode n = mapper.readTree(line);
                        String ledger = n.get("ledger").asText();
                        long index = n.get("index").asLong();
                        JsonNode block = n.get("block");
                        scanner.block(block.isTextual()
                                ? IcpBlockDecoder.decode(ledger, IcpBlock.decode(index, HexFormat.of().parseHex(block.asText())))
                                : Icrc3BlockDecoder.decode(ledger, index, HexFormat.of().parseHex(n.get("hash").asText()),
                                        ValueJson.read(block)));
                    } catch (RuntimeException | IOException e) {
                        System.err.printf("%s:%d: not a block row (%s), skipped%n", file, lineNo, e.getMessage());
                    }
                }
            }
        }
        for (Path file : calls) {
            long size = Math.max(1, Files.size(file));
            long read = 0;
            int shown = -1;
            long lineNo = 0;
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    lineNo++;
                    read += line.length() + 1;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode n;
                    try {
                        n = mapper.readTree(line);
                    } catch (IOException e) {
                        System.err.printf("%s:%d: not a JSON log record, skipped%n", file, lineNo);
                        continue;
                    }
                    if (!n.hasNonNull("canister") || !n.hasNonNull("content")) {
                        System.err.printf("%s:%d: log record without canister or content, skipped%n", file, lineNo);
                        continue;
                    }
                    scanner.record(n.get("canister").asText(), n.path("idx").asLong(lineNo),
                            n.path("timestamp_nanos").asLong(0), n.get("content").asText());
                    int pct = (int) (100 * read / size);
                    if (!quiet && pct / 5 != shown) {
                        shown = pct / 5;
                        System.err.printf(Locale.ROOT, "\rscanning %s [%-20s] %3d%%", file.getFileName(),
                                "#".repeat(Math.min(20, pct / 5)), Math.min(100, pct));
                    }
                }
            }
            if (!quiet) {
                System.err.println();
            }
        }
        List<Alert> alerts = scanner.finish();
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (Alert a : alerts) {
                w.write(new String(Json.encode(a), StandardCharsets.UTF_8));
                w.newLine();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "%d log records, %d trace events, %d alerts in %s (%.1f s)%n", scanner.records(),
                scanner.events(), alerts.size(), out, seconds);
        Scanner.countByClass(alerts).forEach((c, n) -> System.out.printf("  %-24s %d%n", c, n));
        scanner.unusable().forEach((reason, n) -> System.out.printf("  unusable: %d × %s%n", n, reason));
        if (scanner.gaps() > 0) {
            System.out.printf("  %d runs of log records missing from the files (LOG_GAP): alerts they may change say "
                    + "so%n", scanner.gaps());
        }
        if (scanner.undecidedNotifies() > 0) {
            System.out.printf("  %d notify effects still within the %s reconciliation window at the end of input: "
                    + "undecided%n", scanner.undecidedNotifies(), reconcileWindow);
        }
        if (scanner.unverifiedReplies() > 0) {
            System.out.printf("  %d transfer replies not checked against blocks: their ledger's blocks were not given "
                    + "(--blocks) or end before them%n", scanner.unverifiedReplies());
        }
        return 0;
    }
}
