package dev.interlock.dashboard.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

import dev.interlock.embedded.EmbeddedPostgresServer;
import dev.interlock.testsupport.SharedServices;

class SchemaMigrationTest {
    private static final String USER = EmbeddedPostgresServer.USER;
    private static final String PASSWORD = EmbeddedPostgresServer.PASSWORD;

    @Test
    void migrationsCreateTheAlertsTableOnAnEmptyDatabase() throws SQLException {
        String url = SharedServices.freshDatabase("migration_test");
        MigrateResult result = Flyway.configure().dataSource(url, USER, PASSWORD)
                .locations("classpath:db/migration").load().migrate();

        assertThat(result.success).isTrue();
        assertThat(result.migrationsExecuted).isEqualTo(1);
        assertThat(result.targetSchemaVersion).isEqualTo("1");
        try (Connection c = DriverManager.getConnection(url, USER, PASSWORD); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT column_name FROM information_schema.columns "
                     + "WHERE table_name = 'alerts' ORDER BY ordinal_position")) {
            List<String> columns = new ArrayList<>();
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
            assertThat(columns).containsExactly("id", "dedup_key", "payload_version", "alert_class", "severity",
                    "canister", "callers", "amount_at_stake", "explanation", "evidence", "detected_at", "stored_at");
        }
    }

    @Test
    void migratingAgainIsANoOpAndTheDedupKeyIsUnique() throws SQLException {
        String url = SharedServices.freshDatabase("migration_twice_test");
        Flyway flyway = Flyway.configure().dataSource(url, USER, PASSWORD).locations("classpath:db/migration").load();
        flyway.migrate();
        assertThat(flyway.migrate().migrationsExecuted).isZero();

        try (Connection c = DriverManager.getConnection(url, USER, PASSWORD); Statement s = c.createStatement()) {
            String insert = "INSERT INTO alerts (dedup_key, payload_version, alert_class, severity, canister, callers, "
                    + "explanation, evidence, detected_at) VALUES ('k', 1, 'DOUBLE_SPEND', 'CRITICAL', 'c', '[]', "
                    + "'x', '{}', now())";
            s.execute(insert);
            assertThatThrownBy(() -> s.execute(insert)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("alerts_dedup_key_unique");
        }
    }
}
