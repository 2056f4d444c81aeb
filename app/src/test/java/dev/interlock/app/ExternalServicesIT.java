package dev.interlock.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.interlock.embedded.EmbeddedPostgresServer;
import dev.interlock.model.Json;
import dev.interlock.testsupport.ServiceProcess;
import dev.interlock.testsupport.ServiceProcess.Http;
import dev.interlock.testsupport.SharedServices;

/** Configured with an external Kafka and PostgreSQL, the service uses them and starts nothing embedded. */
class ExternalServicesIT {
    @TempDir
    Path dir;

    @Test
    void serviceConfiguredOnlyThroughEnvironmentUsesTheExternalKafkaAndPostgres() throws Exception {
        Path dataDir = dir.resolve("data");
        try (ServiceProcess service = ServiceProcess.builder(dir.resolve("service.log"))
                .externalServices("external_services")
                .env("INTERLOCK_DATA_DIR", dataDir.toString())
                .env("INTERLOCK_INGEST_DEMO_INTERVAL", "50ms")
                .build()) {
            service.start().awaitReady(Duration.ofSeconds(90));
            List<JsonNode> alerts = AlertsApi.awaitAlerts(service, Duration.ofSeconds(60));
            assertThat(alerts).extracting(a -> a.get("dedupKey").asText()).containsExactly(AlertsApi.DEMO_DEDUP_KEY);

            JsonNode health = Json.mapper().readTree(Http.get(service.baseUrl() + "/q/health/ready"));
            JsonNode roles = health.get("checks").findParent("name").get("data");
            assertThat(health.toString()).contains("\"kafka\":\"external\"", "\"postgres\":\"external\"");
            assertThat(roles).isNotNull();
            assertThat(Files.exists(dataDir.resolve("kafka"))).as("no embedded broker data").isFalse();
            assertThat(Files.exists(dataDir.resolve("postgres"))).as("no embedded database data").isFalse();

            String url = "jdbc:postgresql://localhost:" + SharedServices.postgres().port() + "/external_services";
            try (Connection c = DriverManager.getConnection(url, EmbeddedPostgresServer.USER,
                    EmbeddedPostgresServer.PASSWORD);
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT dedup_key, alert_class FROM alerts")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("dedup_key")).isEqualTo(AlertsApi.DEMO_DEDUP_KEY);
                assertThat(rs.getString("alert_class")).isEqualTo("DOUBLE_SPEND");
                assertThat(rs.next()).isFalse();
            }
            assertThat(service.log()).contains("Using external PostgreSQL", "Using external Kafka")
                    .doesNotContain("Embedded Kafka broker ready", "Embedded PostgreSQL ready");
        }
    }
}
