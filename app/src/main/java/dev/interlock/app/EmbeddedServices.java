package dev.interlock.app;

import java.nio.file.Path;

import org.jboss.logging.Logger;

import dev.interlock.embedded.EmbeddedKafkaBroker;
import dev.interlock.embedded.EmbeddedPostgresServer;

/**
 * The embedded default: what is not configured as external is started here, before Quarkus,
 * and handed to Quarkus as system properties. Stopped last, after the roles.
 */
public final class EmbeddedServices {
    private static final Logger LOG = Logger.getLogger(EmbeddedServices.class);
    private static volatile EmbeddedServices current;

    private final EmbeddedKafkaBroker kafka;
    private final EmbeddedPostgresServer postgres;
    private final Path dataDir;
    private boolean closed;

    private EmbeddedServices(EmbeddedKafkaBroker kafka, EmbeddedPostgresServer postgres, Path dataDir) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    static EmbeddedServices startAsConfigured(StartupConfig config) {
        Path dataDir = config.dataDir();
        EmbeddedPostgresServer postgres = null;
        EmbeddedKafkaBroker kafka = null;
        try {
            if (!config.externalPostgres()) {
                postgres = EmbeddedPostgresServer.start(dataDir,
                        config.port("interlock.embedded.postgres.port", StartupConfig.DEFAULT_POSTGRES_PORT),
                        config.get("interlock.embedded.postgres.database", StartupConfig.DEFAULT_POSTGRES_DATABASE));
                System.setProperty(StartupConfig.JDBC_URL, postgres.jdbcUrl());
                System.setProperty("quarkus.datasource.username", EmbeddedPostgresServer.USER);
                System.setProperty("quarkus.datasource.password", EmbeddedPostgresServer.PASSWORD);
            } else {
                LOG.infof("Using external PostgreSQL at %s", config.get(StartupConfig.JDBC_URL).orElseThrow());
            }
            if (!config.externalKafka()) {
                kafka = EmbeddedKafkaBroker.start(dataDir,
                        config.port("interlock.embedded.kafka.port", StartupConfig.DEFAULT_KAFKA_PORT),
                        config.port("interlock.embedded.kafka.controller-port",
                                StartupConfig.DEFAULT_KAFKA_CONTROLLER_PORT));
                System.setProperty(StartupConfig.KAFKA_BOOTSTRAP, kafka.bootstrapServers());
            } else {
                LOG.infof("Using external Kafka at %s", config.get(StartupConfig.KAFKA_BOOTSTRAP).orElseThrow());
            }
        } catch (RuntimeException e) {
            if (postgres != null) {
                postgres.close();
            }
            throw e;
        }
        current = new EmbeddedServices(kafka, postgres, dataDir);
        return current;
    }

    /** The running instance, or null before start-up. */
    public static EmbeddedServices current() {
        return current;
    }

    public boolean kafkaEmbedded() {
        return kafka != null;
    }

    public boolean postgresEmbedded() {
        return postgres != null;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Idempotent: called from the shutdown sequence and from the exit handler. */
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
