package dev.interlock.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default keeps its data under one directory across restarts. */
class EmbeddedRestartTest {
    @TempDir
    Path dataDir;

    @Test
    void topicsSurviveABrokerRestartOnTheSameDataDirectory() throws Exception {
        int port = PortCheck.freePort();
        int controllerPort = PortCheck.freePort();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, port, controllerPort);
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("kept", 3, (short) 1))).all().get();
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, port, controllerPort);
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).contains("kept");
            assertThat(admin.describeTopics(List.of("kept")).allTopicNames().get().get("kept").partitions()).hasSize(3);
        }
    }

    @Test
    void rowsSurviveAPostgresRestartOnTheSameDataDirectory() throws Exception {
        int port = PortCheck.freePort();
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dataDir, port, "interlock");
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgresServer.USER,
                     EmbeddedPostgresServer.PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v TEXT)");
            s.execute("INSERT INTO kept VALUES ('still here')");
        }
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dataDir, port, "interlock");
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgresServer.USER,
                     EmbeddedPostgresServer.PASSWORD);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still here");
            assertThat(pg.database()).isEqualTo("interlock");
        }
    }
}
