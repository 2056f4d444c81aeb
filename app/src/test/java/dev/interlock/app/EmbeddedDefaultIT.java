package dev.interlock.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.interlock.embedded.PortCheck;
import dev.interlock.testsupport.ServiceProcess;
import dev.interlock.testsupport.ServiceProcess.Http;

/**
 * With nothing but a data directory configured, the service starts its own Kafka and PostgreSQL,
 * shows the demo's double spend, stops cleanly on Ctrl-C, and a second run keeps the alert once.
 */
class EmbeddedDefaultIT {
    @TempDir
    Path dir;

    /** Nothing but a data directory, and free ports so the test does not clash with a running instance. */
    private ServiceProcess embeddedDefault(String name) {
        return ServiceProcess.builder(dir.resolve(name + ".log"))
                .property("interlock.data-dir", dir.resolve(name).toString())
                .property("interlock.embedded.kafka.port", String.valueOf(PortCheck.freePort()))
                .property("interlock.embedded.kafka.controller-port", String.valueOf(PortCheck.freePort()))
                .property("interlock.embedded.postgres.port", String.valueOf(PortCheck.freePort()))
                .property("interlock.ingest.demo.interval", "100ms")
                .build();
    }

    @Test
    void firstRunShowsTheDemoAlertAndASecondRunAfterCtrlCKeepsItWithoutDuplicating() throws InterruptedException {
        try (ServiceProcess service = embeddedDefault("ctrl-c")) {
            service.start().awaitReady(Duration.ofSeconds(120));
            List<JsonNode> alerts = AlertsApi.awaitAlerts(service, Duration.ofSeconds(30));

            assertThat(alerts).hasSize(1);
            JsonNode alert = alerts.get(0);
            assertThat(alert.get("alertClass").asText()).isEqualTo("DOUBLE_SPEND");
            assertThat(alert.get("severity").asText()).isEqualTo("CRITICAL");
            assertThat(alert.get("dedupKey").asText()).isEqualTo(AlertsApi.DEMO_DEDUP_KEY);
            assertThat(AlertsApi.texts(alert.get("evidence").get("callIds")))
                    .containsExactlyInAnyOrderElementsOf(AlertsApi.DEMO.incident().calls());
            assertThat(AlertsApi.texts(alert.get("evidence").get("blockIndexes"))).containsExactlyInAnyOrderElementsOf(
                    AlertsApi.DEMO.incident().blocks().stream().map(String::valueOf).toList());
            assertThat(alert.get("amountAtStake").asText())
                    .isEqualTo(AlertsApi.DEMO.incident().amountAtStake().toString());
            assertThat(Http.get(service.baseUrl() + "/")).contains("DOUBLE_SPEND", AlertsApi.DEMO.incident().canister());
            assertThat(Http.get(service.baseUrl() + "/q/metrics")).contains("interlock_dashboard_alerts_stored_total 1.0");
            assertThat(service.log()).contains("Embedded Kafka broker ready", "Embedded PostgreSQL ready",
                    "dashboard at http://localhost:");

            assertThat(service.interrupt(Duration.ofSeconds(60))).as("exit code after Ctrl-C").isIn(0, 130);
            assertThat(service.log()).contains("Interlock stopped");

            service.start().awaitReady(Duration.ofSeconds(60));
            List<JsonNode> again = AlertsApi.list(service);
            assertThat(again).extracting(a -> a.get("dedupKey").asText()).containsExactly(AlertsApi.DEMO_DEDUP_KEY);
            assertThat(again.get(0).get("id").asLong()).isEqualTo(alert.get("id").asLong());
            // the source resumes on its own thread, after the service reports ready
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<String> resumes;
            while ((resumes = service.log().lines().filter(l -> l.contains("Source demo resumes from cursor")).toList()).size() < 2
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(resumes).hasSize(2);
            assertThat(resumes.get(0)).endsWith("(start)");
            assertThat(resumes.get(1)).as("the second run continues the same demo").doesNotEndWith("(start)");
        }
    }

    @Test
    void aKilledServiceRestartsOnItsDataDirectoryStoppingThePostgresItOrphaned() {
        try (ServiceProcess service = embeddedDefault("killed")) {
            service.start().awaitReady(Duration.ofSeconds(120));
            AlertsApi.awaitAlerts(service, Duration.ofSeconds(30));

            service.kill();
            service.start().awaitReady(Duration.ofSeconds(120));

            assertThat(service.log()).contains("left running on");
            assertThat(AlertsApi.list(service)).extracting(a -> a.get("dedupKey").asText())
                    .containsExactly(AlertsApi.DEMO_DEDUP_KEY);
            assertThat(service.stop(Duration.ofSeconds(60))).as("exit code after SIGTERM").isIn(0, 143);
        }
    }
}
