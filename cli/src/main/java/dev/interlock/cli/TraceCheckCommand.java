package dev.interlock.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.interlock.model.trace.TraceChecker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "trace-check", mixinStandardHelpOptions = true,
        description = {"Checks canister logs against the call-trace format (docs/trace-format.md).",
                "FILE holds plain log lines or NDJSON log records {idx, timestamp_nanos, content}.",
                "Exit status 1 when any line is at fault."})
public final class TraceCheckCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Log files to check.")
    List<Path> files;

    @Option(names = "--max-findings", defaultValue = "100", description = "Findings printed per file (default ${DEFAULT-VALUE}).")
    int maxFindings;

    @Option(names = "--no-warnings", description = "Print faults only.")
    boolean noWarnings;

    @Override
    public Integer call() {
        boolean anyFault = false;
        for (Path file : files) {
            TraceChecker checker = new TraceChecker();
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    checker.accept(line);
                }
            } catch (IOException e) {
                System.err.println(file + ": cannot read: " + e.getMessage());
                anyFault = true;
                continue;
            }
            TraceChecker.Report report = checker.report();
            int shown = 0;
            for (TraceChecker.Finding f : report.findings()) {
                if ((f.fault() || !noWarnings) && shown < maxFindings) {
                    System.out.println(file + ":" + f);
                    shown++;
                }
            }
            long hidden = report.findings().stream().filter(f -> f.fault() || !noWarnings).count() - shown;
            if (hidden > 0) {
                System.out.println(file + ": … " + hidden + " more");
            }
            System.out.printf("%s: %d lines, %d trace events, %d trap records: %d faults, %d warnings%n", file,
                    report.lines(), report.traceEvents(), report.trapRecords(), report.faults(), report.warnings());
            anyFault |= report.faults() > 0;
        }
        return anyFault ? 1 : 0;
    }
}
