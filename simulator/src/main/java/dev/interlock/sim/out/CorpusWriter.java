package dev.interlock.sim.out;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import dev.interlock.ic.JsonText;
import dev.interlock.ic.Principal;
import dev.interlock.ic.ValueJson;
import dev.interlock.sim.SimOptions;
import dev.interlock.sim.Simulation;
import dev.interlock.sim.engine.LogRecord;
import dev.interlock.sim.engine.SimSink;
import dev.interlock.sim.ledger.IcrcLedger;
import dev.interlock.sim.scenario.Incident;

/**
 * Writes a run to a directory: {@code logs.ndjson} (every canister log record, in the order
 * written), {@code blocks.ndjson} (the ledger's ICRC-3 blocks with their hash and the canister
 * serving them), {@code blocks-icp.ndjson} (the same blocks in the ICP ledger's view, with
 * account identifiers), {@code ground-truth.ndjson} (the incidents) and {@code summary.json}. No wall
 * clock and no unordered iteration: the same options give the same bytes.
 */
public final class CorpusWriter implements SimSink, AutoCloseable {
    public static final String LOGS = "logs.ndjson";
    public static final String BLOCKS = "blocks.ndjson";
    public static final String BLOCKS_ICP = "blocks-icp.ndjson";
    public static final String GROUND_TRUTH = "ground-truth.ndjson";
    public static final String SUMMARY = "summary.json";

    private final Path dir;
    private final BufferedWriter logs;
    private final StringBuilder line = new StringBuilder(512);
    private long logRecords;

    public CorpusWriter(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            this.logs = Files.newBufferedWriter(dir.resolve(LOGS), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + dir, e);
        }
    }

    /** Renders a log record as its NDJSON line (with the newline) into {@code line}, which is cleared first. */
    public static void render(Principal canister, LogRecord r, StringBuilder line) {
        line.setLength(0);
        line.append("{\"canister\":\"").append(canister).append("\",\"idx\":").append(r.idx())
                .append(",\"timestamp_nanos\":").append(r.timestampNanos()).append(",\"content\":");
        JsonText.quote(r.content(), line);
        line.append("}\n");
    }

    @Override
    public void logRecord(Principal canister, LogRecord r) {
        render(canister, r, line);
        try {
            logs.append(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        logRecords++;
    }

    public long logRecords() {
        return logRecords;
    }

    /** Writes blocks, ground truth and summary once the run is over. */
    public void finish(SimOptions options, Simulation.Result result) {
        try {
            logs.flush();
            writeBlocks(result.world().ledger);
            writeIcpView(result.world().ledger);
            writeIncidents(result.incidents());
            writeSummary(options, result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeBlocks(IcrcLedger ledger) throws IOException {
        HexFormat hex = HexFormat.of();
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(BLOCKS), StandardCharsets.UTF_8)) {
            StringBuilder sb = new StringBuilder(1024);
            for (int i = 0; i < ledger.length(); i++) {
                sb.setLength(0);
                sb.append("{\"ledger\":\"").append(ledger.id()).append("\",\"index\":").append(i)
                        .append(",\"canister\":\"").append(ledger.holderOf(i)).append("\",\"hash\":\"")
                        .append(hex.formatHex(ledger.hash(i))).append("\",\"block\":");
                ValueJson.write(ledger.blocks().get(i), sb);
                sb.append("}\n");
                w.append(sb);
            }
        }
    }

    private void writeIcpView(IcrcLedger ledger) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(BLOCKS_ICP), StandardCharsets.UTF_8)) {
            StringBuilder sb = new StringBuilder(512);
            for (int i = 0; i < ledger.length(); i++) {
                sb.setLength(0);
                IcpLegacyView.render(ledger.id().toString(), i, ledger.blocks().get(i), sb);
                w.append(sb);
            }
        }
    }

    private void writeIncidents(List<Incident> incidents) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(GROUND_TRUTH), StandardCharsets.UTF_8)) {
            for (Incident i : incidents) {
                StringBuilder sb = new StringBuilder(512).append("{\"class\":\"").append(i.alertClass())
                        .append("\",\"scenario\":\"").append(i.scenario()).append("\",\"variant\":\"")
                        .append(i.variant()).append("\",\"canister\":\"").append(i.canister())
                        .append("\",\"caller\":\"").append(i.caller()).append("\",\"contexts\":");
                strings(i.contexts(), sb);
                sb.append(",\"calls\":");
                strings(i.calls(), sb);
                sb.append(",\"blocks\":").append(i.blocks().toString().replace(" ", ""));
                if (i.ledger() != null) {
                    sb.append(",\"ledger\":\"").append(i.ledger()).append('"');
                }
                if (i.amountAtStake() != null) {
                    sb.append(",\"amount_at_stake\":\"").append(i.amountAtStake()).append('"');
                }
                sb.append(",\"at_nanos\":").append(i.atNanos()).append(",\"detail\":");
                JsonText.quote(i.detail(), sb);
                w.append(sb).append("}\n");
            }
        }
    }

    private static void strings(List<String> items, StringBuilder sb) {
        sb.append('[');
        for (int k = 0; k < items.size(); k++) {
            if (k > 0) {
                sb.append(',');
            }
            JsonText.quote(items.get(k), sb);
        }
        sb.append(']');
    }

    private void writeSummary(SimOptions o, Simulation.Result r) throws IOException {
        StringBuilder sb = new StringBuilder(512).append("{\n  \"seed\": ").append(o.seed())
                .append(",\n  \"duration_seconds\": ").append(o.duration().toSeconds())
                .append(",\n  \"rate\": ").append(o.rate())
                .append(",\n  \"evidence\": \"").append(o.evidence()).append('"')
                .append(",\n  \"log_limit\": ").append(o.logLimit())
                .append(",\n  \"scenarios\": ");
        strings(o.scenarios().stream().map(c -> c.scenario() + ":" + c.variant().label()).toList(), sb);
        sb.append(",\n  \"log_records\": ").append(logRecords)
                .append(",\n  \"messages\": ").append(r.world().sim.messagesExecuted())
                .append(",\n  \"call_contexts\": ").append(r.world().sim.contextsOpened())
                .append(",\n  \"blocks\": ").append(r.world().ledger.length())
                .append(",\n  \"incidents\": ").append(r.incidents().size())
                .append(",\n  \"end_time_nanos\": ").append(r.endTimeNanos())
                .append(",\n  \"amount_at_stake\": \"").append(r.incidents().stream().map(Incident::amountAtStake)
                        .filter(java.util.Objects::nonNull).reduce(BigInteger.ZERO, BigInteger::add)).append("\"\n}\n");
        Files.writeString(dir.resolve(SUMMARY), sb, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            logs.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
