package dev.interlock.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (binaries from Maven Central, via zonky) run as a child process.
 *
 * <p>Its cluster lives under {@code <dataDir>/postgres} and is initialised only once, so data
 * survives a restart. If this JVM was killed, its PostgreSQL child outlives it and still holds
 * the data directory; a new start stops that orphan first.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;
    private final String database;
    private final Path clusterDir;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String database, Path clusterDir) {
        this.postgres = postgres;
        this.database = database;
        this.clusterDir = clusterDir;
    }

    public static EmbeddedPostgresServer start(Path dataDir, int port, String database) {
        long started = System.nanoTime();
        Path clusterDir = dataDir.resolve("postgres").toAbsolutePath();
        Path binDir = dataDir.resolve("postgres-bin").toAbsolutePath();
        try {
            Files.createDirectories(clusterDir);
            Files.createDirectories(binDir);
            stopOrphan(clusterDir);
            PortCheck.requireFree("embedded PostgreSQL", port, "interlock.embedded.postgres.port");
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(clusterDir)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(binDir.toFile())
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setRegisterShutdownHook(false)
                    .setServerConfig("max_connections", "200")
                    .start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(pg, database, clusterDir);
            server.ensureDatabase();
            LOG.infof("Embedded PostgreSQL ready at %s (data %s) in %d ms", server.jdbcUrl(), clusterDir,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return server;
        } catch (IOException | SQLException e) {
            throw new EmbeddedServiceException("The embedded PostgreSQL failed to start (data " + clusterDir + "): "
                    + e.getMessage(), e);
        }
    }

    /** A PostgreSQL left running by a killed JVM keeps the cluster locked: stop it gracefully. */
    private static void stopOrphan(Path clusterDir) throws IOException {
        Path pidFile = clusterDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> orphan = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream()
                .findFirst().map(String::trim).filter(s -> s.matches("\\d+"))
                .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)))
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return;
        }
        ProcessHandle h = orphan.get();
        LOG.warnf("Stopping PostgreSQL pid %d left running on %s by an earlier run", h.pid(), clusterDir);
        h.destroy(); // SIGTERM: smart shutdown; its clients died with the earlier JVM.
        try {
            h.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new EmbeddedServiceException("PostgreSQL pid " + h.pid() + " still holds " + clusterDir
                    + " after 30 s; stop it by hand", e);
        }
    }

    private void ensureDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl(USER, "postgres"), USER, PASSWORD);
             PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            q.setString(1, database);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    try (Statement s = c.createStatement()) {
                        s.execute("CREATE DATABASE \"" + database.replace("\"", "") + "\"");
                    }
                }
            }
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, database);
    }

    public int port() {
        return postgres.getPort();
    }

    public String database() {
        return database;
    }

    public Path clusterDir() {
        return clusterDir;
    }

    @Override
    public void close() {
        LOG.info("Stopping the embedded PostgreSQL");
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warnf("Stopping the embedded PostgreSQL failed: %s", e.getMessage());
        }
    }
}
