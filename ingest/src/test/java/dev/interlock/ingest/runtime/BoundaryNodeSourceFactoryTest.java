package dev.interlock.ingest.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.interlock.ingest.source.boundary.BoundaryNodeSettings;
import dev.interlock.ingest.source.boundary.BoundaryNodeSource;

class BoundaryNodeSourceFactoryTest {
    private static final String CANISTER = "qoctq-giaaa-aaaaa-aaaea-cai";

    /** A block with the documented defaults, and the given canister, nodes and reconnect waits. */
    private static IngestConfig.BoundaryNodes block(String canister, List<String> nodes, Duration initial, Duration max) {
        return new IngestConfig.BoundaryNodes() {
            public String canister() {
                return canister;
            }

            public Optional<List<String>> nodes() {
                return Optional.ofNullable(nodes);
            }

            public Duration reconnectInitial() {
                return initial;
            }

            public Duration reconnectMax() {
                return max;
            }

            public Duration connectTimeout() {
                return Duration.ofSeconds(10);
            }

            public Duration pingInterval() {
                return Duration.ofSeconds(10);
            }

            public int bufferLines() {
                return 20_000;
            }

            public int maxLineBytes() {
                return 65_536;
            }

            public Duration reorderWindow() {
                return Duration.ofSeconds(2);
            }

            public Duration maxClockSkew() {
                return Duration.ofMinutes(5);
            }

            public Duration pollInterval() {
                return Duration.ofMillis(500);
            }

            public int maxBatch() {
                return 5_000;
            }
        };
    }

    private static IngestConfig.BoundaryNodes block(String canister, String... nodes) {
        return block(canister, List.of(nodes), Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    /** Never started: the source connects on its first poll, which this test does not make. */
    private static final io.vertx.core.Vertx VERTX = io.vertx.core.Vertx.vertx();

    @Test
    void aConfiguredCanisterBecomesOneSourceReadingEveryListedNode() {
        BoundaryNodeSource s = BoundaryNodeSourceFactory.create("wallet", block(CANISTER, "wss://api1.example", "api2.example",
                "wss://api3.example:8443/"), VERTX, null);
        BoundaryNodeSettings settings = BoundaryNodeSourceFactory.settings("wallet", block(CANISTER, "wss://api1.example",
                "api2.example", "wss://api3.example:8443/"));

        assertThat(s.id()).isEqualTo("boundary-wallet");
        assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.status()).containsEntry("canister", CANISTER);
        assertThat(settings.nodes()).extracting(BoundaryNodeSettings::nodeName).containsExactly("api1.example", "api2.example",
                "api3.example:8443");
        assertThat(settings.nodes()).extracting(settings::streamUri).containsExactly(
                URI.create("wss://api1.example/logs/canister/" + CANISTER),
                URI.create("wss://api2.example/logs/canister/" + CANISTER),
                URI.create("wss://api3.example:8443/logs/canister/" + CANISTER));
        s.close();
    }

    @Test
    void configurationMistakesNameTheKeyAndTheValue() {
        String k = "interlock.ingest.boundary-nodes.x";
        assertThatThrownBy(() -> BoundaryNodeSourceFactory.settings("x", block("not-a-principal", "wss://api1.example")))
                .hasMessageStartingWith(k + ".canister: 'not-a-principal' is not a principal");
        assertThatThrownBy(() -> BoundaryNodeSourceFactory.settings("x", block(CANISTER, (List<String>) null, Duration.ofSeconds(1),
                Duration.ofSeconds(60)))).hasMessageStartingWith(k + ".nodes: no boundary node given");
        assertThatThrownBy(() -> BoundaryNodeSourceFactory.settings("x", block(CANISTER, "https://api1.example")))
                .hasMessage(k + ".nodes: 'https://api1.example' is not a WebSocket URL; use wss://<domain> (the same host with wss://)");
        assertThatThrownBy(() -> BoundaryNodeSourceFactory.settings("x", block(CANISTER, "wss://api1.example/logs/canister/" + CANISTER)))
                .hasMessage(k + ".nodes: 'wss://api1.example/logs/canister/" + CANISTER + "' must be the node's base URL "
                        + "(wss://<domain>); /logs/canister/<canister> is added from the canister key");
        assertThatThrownBy(() -> BoundaryNodeSourceFactory.settings("x", block(CANISTER, "wss://api1.example", "api1.example")))
                .hasMessage(k + ".nodes: 'api1.example' is listed twice (as wss://api1.example)");
        assertThatThrownBy(() -> BoundaryNodeSourceFactory.settings("x", block(CANISTER, "wss://bad host")))
                .hasMessageStartingWith(k + ".nodes: 'wss://bad host' is not a URL");
        assertThatThrownBy(() -> BoundaryNodeSourceFactory.settings("x", block(CANISTER, List.of("wss://api1.example"),
                Duration.ofSeconds(10), Duration.ofSeconds(5))))
                .hasMessage(k + ".reconnect-max: 'PT5S' is shorter than " + k + ".reconnect-initial ('PT10S')");
        assertThatThrownBy(() -> BoundaryNodeSourceFactory.settings("x", block(CANISTER, List.of("wss://api1.example"),
                Duration.ZERO, Duration.ofSeconds(5)))).hasMessage(k + ".reconnect-initial: 'PT0S' must be positive");
    }
}
