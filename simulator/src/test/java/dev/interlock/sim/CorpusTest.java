package dev.interlock.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.interlock.ic.Value;
import dev.interlock.ic.ValueHash;
import dev.interlock.ic.ValueJson;
import dev.interlock.model.trace.TraceChecker;
import dev.interlock.sim.out.CorpusWriter;
import dev.interlock.sim.scenario.Scenarios;
import dev.interlock.sim.scenario.Variant;

class CorpusTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    static SimOptions everyScenario(long seed) {
        List<SimOptions.Choice> all = new ArrayList<>();
        for (String s : Scenarios.all().keySet()) {
            all.add(new SimOptions.Choice(s, Variant.VULNERABLE));
            all.add(new SimOptions.Choice(s, Variant.FIXED));
        }
        return SimOptions.defaults(seed).withScenarios(all).withDuration(Duration.ofSeconds(90)).withRate(30)
                .withInstances(2);
    }

    static void write(SimOptions o, Path out) {
        try (CorpusWriter w = new CorpusWriter(out)) {
            Simulation.Result r = Simulation.run(o, w);
            w.finish(o, r);
        }
    }

    private static List<String> files(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theSameSeedAndOptionsGiveByteIdenticalFilesAndAnotherSeedDoesNot() throws IOException {
        write(everyScenario(7), dir.resolve("a"));
        write(everyScenario(7), dir.resolve("b"));
        write(everyScenario(8), dir.resolve("c"));

        assertThat(files(dir.resolve("a"))).containsExactly(CorpusWriter.BLOCKS_ICP, CorpusWriter.BLOCKS,
                CorpusWriter.GROUND_TRUTH, CorpusWriter.LOGS, CorpusWriter.SUMMARY);
        for (String f : files(dir.resolve("a"))) {
            assertThat(Files.readAllBytes(dir.resolve("b").resolve(f))).as(f)
                    .isEqualTo(Files.readAllBytes(dir.resolve("a").resolve(f)));
        }
        assertThat(Files.readAllBytes(dir.resolve("c").resolve(CorpusWriter.LOGS)))
                .isNotEqualTo(Files.readAllBytes(dir.resolve("a").resolve(CorpusWriter.LOGS)));
    }

    @Test
    void groundTruthHasIncidentsOfVulnerableVariantsOnlyWithTheIdsAnAlertMustName() throws IOException {
        write(everyScenario(11), dir);
        List<JsonNode> incidents = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve(CorpusWriter.GROUND_TRUTH))) {
            incidents.add(MAPPER.readTree(l));
        }
        assertThat(incidents).isNotEmpty();
        assertThat(incidents).allSatisfy(i -> {
            assertThat(i.get("variant").asText()).isEqualTo("vulnerable");
            assertThat(i.get("canister").asText()).isNotBlank();
            assertThat(i.get("contexts").size() + i.get("calls").size()).isPositive();
        });
        assertThat(incidents.stream().map(i -> i.get("class").asText()).distinct().count()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void theLedgersIcrc3ChainVerifiesWithTheProjectsOwnHash() throws IOException {
        write(everyScenario(3), dir);
        byte[] previous = null;
        long count = 0;
        try (BufferedReader r = Files.newBufferedReader(dir.resolve(CorpusWriter.BLOCKS))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode row = MAPPER.readTree(line);
                Value.Map block = (Value.Map) ValueJson.read(row.get("block"));
                byte[] hash = ValueHash.hash(block);
                assertThat(HexFormat.of().formatHex(hash)).isEqualTo(row.get("hash").asText());
                Value.Blob phash = (Value.Blob) block.get("phash");
                if (previous == null) {
                    assertThat(phash).isNull();
                } else {
                    assertThat(phash.bytes()).as("phash of block %d", row.get("index").asLong()).isEqualTo(previous);
                }
                previous = hash;
                count++;
            }
        }
        assertThat(count).isGreaterThan(50);
    }

    @Test
    void theIcpViewNamesAccountsByTheirAccountIdentifier() throws IOException {
        write(everyScenario(3), dir);
        List<String> icrc = Files.readAllLines(dir.resolve(CorpusWriter.BLOCKS));
        List<String> icp = Files.readAllLines(dir.resolve(CorpusWriter.BLOCKS_ICP));
        assertThat(icp).hasSameSizeAs(icrc);
        JsonNode firstTransfer = null;
        int index = -1;
        for (int i = 0; i < icp.size() && firstTransfer == null; i++) {
            JsonNode n = MAPPER.readTree(icp.get(i));
            if (n.path("transaction").path("operation").has("Transfer")) {
                firstTransfer = n;
                index = i;
            }
        }
        assertThat(firstTransfer).isNotNull();
        Value.Map tx = (Value.Map) ((Value.Map) ValueJson.read(MAPPER.readTree(icrc.get(index)).get("block"))).get("tx");
        Value.Array to = (Value.Array) tx.get("to");
        dev.interlock.ic.Account account = dev.interlock.ic.Account.of(
                dev.interlock.ic.Principal.of(((Value.Blob) to.items().get(0)).bytes()),
                to.items().size() > 1 ? ((Value.Blob) to.items().get(1)).bytes() : null);
        JsonNode transfer = firstTransfer.get("transaction").get("operation").get("Transfer");
        assertThat(transfer.get("to").asText()).isEqualTo(dev.interlock.ic.AccountIdentifier.hex(account)).hasSize(64);
        assertThat(transfer.get("amount").get("e8s").asText()).isEqualTo(((Value.Nat) tx.get("amt")).value().toString());
    }

    @Test
    void traceCheckAcceptsEveryLineTheSimulatorWrites() throws IOException {
        write(everyScenario(5), dir);
        TraceChecker checker = new TraceChecker();
        try (BufferedReader r = Files.newBufferedReader(dir.resolve(CorpusWriter.LOGS))) {
            r.lines().forEach(checker::accept);
        }
        TraceChecker.Report report = checker.report();
        assertThat(report.traceEvents()).isGreaterThan(1_000);
        assertThat(report.trapRecords()).isPositive();
        assertThat(report.findings()).filteredOn(TraceChecker.Finding::fault).isEmpty();
    }
}
