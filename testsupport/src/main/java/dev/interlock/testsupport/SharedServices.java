package dev.interlock.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import dev.interlock.embedded.EmbeddedKafkaBroker;
import dev.interlock.embedded.EmbeddedPostgresServer;
import dev.interlock.embedded.PortCheck;
import dev.interlock.model.Topics;

/**
 * The embedded Kafka broker and PostgreSQL that tests share: started once per test JVM, on
 * free ports in a temporary directory, stopped when the JVM exits. Services under test run as
 * child processes configured to use these as external services, so killing them leaves the
 * broker and database (and what they hold) intact.
 */
public final class SharedServices {
    private static EmbeddedKafkaBroker kafka;
    private static EmbeddedPostgresServer postgres;
    private static Path root;

    private SharedServices() {
    }

    public static synchronized EmbeddedKafkaBroker kafka() {
        if (kafka == null) {
            kafka = EmbeddedKafkaBroker.start(root().resolve("kafka"), PortCheck.freePort(), PortCheck.freePort());
            createTopics(Topics.ALL);
        }
        return kafka;
    }

    public static synchronized EmbeddedPostgresServer postgres() {
        if (postgres == null) {
            postgres = EmbeddedPostgresServer.start(root().resolve("postgres"), PortCheck.freePort(), "interlock");
        }
        return postgres;
    }

    /** Client configuration for the shared broker, as the service's {@code kafka.*} keys would give it. */
    public static Map<String, Object> kafkaConfig() {
        return Map.of("bootstrap.servers", kafka().bootstrapServers());
    }

    /** A fresh database on the shared server, so tests that migrate or count rows do not see each other. */
    public static String freshDatabase(String name) {
        EmbeddedPostgresServer pg = postgres();
        try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgresServer.USER,
                EmbeddedPostgresServer.PASSWORD); var s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + name + "\"");
            s.execute("CREATE DATABASE \"" + name + "\"");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return "jdbc:postgresql://localhost:" + pg.port() + "/" + name;
    }

    public static void createTopics(List<Topics.Spec> specs) {
        try (Admin admin = Admin.create(kafkaConfig())) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (Topics.Spec spec : specs) {
                if (!existing.contains(spec.name())) {
                    NewTopic t = new NewTopic(spec.name(), 3, (short) 1);
                    if (spec.compacted()) {
                        t.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                    }
                    missing.add(t);
                }
            }
            admin.createTopics(missing).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e);
        }
    }

    private static Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("interlock-test-services");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(SharedServices::stopAll, "shared-services-stop"));
        }
        return root;
    }

    private static synchronized void stopAll() {
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        TestFiles.deleteRecursively(root);
    }
}
