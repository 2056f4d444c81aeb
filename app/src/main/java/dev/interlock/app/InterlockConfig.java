package dev.interlock.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code interlock.*}: roles, data directory, topics and the embedded default. The embedded
 * keys take effect before Quarkus starts ({@link StartupConfig} reads them with the same
 * defaults); they are declared here so they are validated and documented with the rest.
 */
@ConfigMapping(prefix = "interlock")
public interface InterlockConfig {
    /** Roles this instance runs: any of ingest, detect, dashboard. */
    @WithDefault("ingest,detect,dashboard")
    List<String> roles();

    /** Root of everything the service keeps on disk: embedded Kafka and PostgreSQL data, stream state. */
    @WithDefault(StartupConfig.DEFAULT_DATA_DIR)
    Path dataDir();

    Topics topics();

    Embedded embedded();

    interface Topics {
        /** Partitions of topics the service creates; detectors scale out up to this many instances. */
        @WithDefault("6")
        int partitions();

        /** Replication factor of created topics; -1 takes the broker's default. */
        @WithDefault("-1")
        short replicationFactor();

        /** How long start-up waits for Kafka to answer before failing. */
        @WithDefault("60s")
        Duration startupTimeout();
    }

    interface Embedded {
        EmbeddedKafka kafka();

        EmbeddedPostgres postgres();
    }

    interface EmbeddedKafka {
        /** Client port of the embedded broker (used when kafka.bootstrap.servers is not set). */
        @WithDefault(StartupConfig.DEFAULT_KAFKA_PORT)
        int port();

        /** KRaft controller port of the embedded broker. */
        @WithDefault(StartupConfig.DEFAULT_KAFKA_CONTROLLER_PORT)
        int controllerPort();
    }

    interface EmbeddedPostgres {
        /** Port of the embedded PostgreSQL (used when quarkus.datasource.jdbc.url is not set). */
        @WithDefault(StartupConfig.DEFAULT_POSTGRES_PORT)
        int port();

        /** Database created in the embedded PostgreSQL. */
        @WithDefault(StartupConfig.DEFAULT_POSTGRES_DATABASE)
        String database();
    }
}
