package dev.interlock.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The few settings needed before Quarkus starts (whether to start embedded Kafka and
 * PostgreSQL, where, on which ports), read from the same places and in the same order as
 * Quarkus reads them: system properties, environment variables, {@code config/application.properties}
 * in the working directory, then {@code application.properties} on the class path. The keys are
 * declared and documented in {@link InterlockConfig}; its defaults are these constants.
 */
public final class StartupConfig {
    public static final String DEFAULT_DATA_DIR = "data";
    public static final String DEFAULT_KAFKA_PORT = "19092";
    public static final String DEFAULT_KAFKA_CONTROLLER_PORT = "19093";
    public static final String DEFAULT_POSTGRES_PORT = "15432";
    public static final String DEFAULT_POSTGRES_DATABASE = "interlock";

    static final String KAFKA_BOOTSTRAP = "kafka.bootstrap.servers";
    static final String JDBC_URL = "quarkus.datasource.jdbc.url";

    private final Properties files = new Properties();

    StartupConfig() {
        loadClasspath("application.properties");
        loadFile(Path.of("config", "application.properties"));
    }

    private void loadClasspath(String name) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            if (in != null) {
                files.load(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name + " from the class path", e);
        }
    }

    private void loadFile(Path path) {
        if (Files.isRegularFile(path)) {
            try (Reader r = Files.newBufferedReader(path)) {
                files.load(r);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + path.toAbsolutePath(), e);
            }
        }
    }

    Optional<String> get(String key) {
        String v = System.getProperty(key);
        if (v == null) {
            v = System.getenv(envName(key));
        }
        if (v == null) {
            v = files.getProperty("%prod." + key, files.getProperty(key));
        }
        return Optional.ofNullable(v).map(String::trim).filter(s -> !s.isEmpty());
    }

    String get(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    int port(String key, String defaultValue) {
        String v = get(key, defaultValue);
        try {
            int port = Integer.parseInt(v);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a port number 1..65535, got '" + v + "'");
        }
    }

    /** Quarkus' environment-variable form of a key: upper case, every other character an underscore. */
    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    Path dataDir() {
        return Path.of(get("interlock.data-dir", DEFAULT_DATA_DIR)).toAbsolutePath();
    }

    boolean externalKafka() {
        return get(KAFKA_BOOTSTRAP).isPresent();
    }

    boolean externalPostgres() {
        return get(JDBC_URL).isPresent();
    }
}
