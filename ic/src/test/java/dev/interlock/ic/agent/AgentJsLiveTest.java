package dev.interlock.ic.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runs the agent-js generator now (npm ci of the pinned versions in a temporary copy, then node) on the
 * envelopes we send now, and compares its output with the committed vectors. Opt-in
 * ({@code -Dinterlock.agentjs.live=true}, node and npm on PATH): it needs the npm registry and takes 5-20 s,
 * so the default build relies on the committed vectors ({@link AgentJsVectorsTest}).
 */
@EnabledIfSystemProperty(named = "interlock.agentjs.live", matches = "true")
class AgentJsLiveTest {
    private static final Path TOOL = Path.of("..", "tools", "agent-js-vectors");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void agentJsComputesTheCommittedVectorsAndAcceptsTheEnvelopesWeSendNow(@TempDir Path dir) throws Exception {
        for (String f : List.of("package.json", "package-lock.json", "generate.mjs", "judge.mjs", "verify.mjs")) {
            Files.copy(TOOL.resolve(f), dir.resolve(f));
        }
        run(dir, 300, "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund");
        Path envelopes = dir.resolve("interlock-envelopes.json");
        AgentJsVectorsTest.load();
        AgentJsVectorsTest.writeEnvelopes(AgentJsVectorsTest.envelopesWeSend(), envelopes);
        JsonNode live = JSON.readTree(run(dir, 60, "node", "generate.mjs", "--interlock", envelopes.toString()));
        JsonNode committed;
        try (InputStream in = getClass().getResourceAsStream(AgentJsVectorsTest.VECTORS)) {
            committed = JSON.readTree(in);
        }
        ((ObjectNode) live.get("generator")).remove("node");
        ((ObjectNode) committed.get("generator")).remove("node");
        assertThat(live).isEqualTo(committed);
    }

    private static String run(Path dir, int timeoutSeconds, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "out", ".txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false)
                .redirectOutput(log.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " took longer than " + timeoutSeconds + " s");
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
