package dev.interlock.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.interlock.embedded.EmbeddedPostgresServer;
import dev.interlock.embedded.PortCheck;

/**
 * The service (or one role of it) as a child process of the test JVM, started from the built
 * artifact. Configured only through system properties and environment variables, exactly as an
 * operator would. {@link #kill()} sends SIGKILL to the service alone: the broker and database the
 * test JVM owns live on.
 */
public final class ServiceProcess implements AutoCloseable {
    private final Path jar;
    private final Map<String, String> env;
    private final Map<String, String> properties;
    private final Path log;
    private final int httpPort;
    private Process process;

    private ServiceProcess(Builder b) {
        this.jar = b.jar;
        this.env = Map.copyOf(b.env);
        this.properties = new LinkedHashMap<>(b.properties);
        this.log = b.log;
        this.httpPort = b.httpPort;
        this.properties.put("quarkus.http.port", String.valueOf(httpPort));
    }

    public static Builder builder(Path log) {
        return new Builder(log);
    }

    /** Starts the process (again, after a kill or stop), appending to the same log file. */
    public ServiceProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx1g");
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + cmd, e);
        }
        return this;
    }

    /** Waits until /q/health/ready answers 200, failing early (with the log's tail) if the process dies. */
    public ServiceProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("service exited with " + process.exitValue() + " before it was ready; log:\n"
                        + logTail(60));
            }
            if (Http.status(baseUrl() + "/q/health/ready") == 200) {
                return this;
            }
            sleep(250);
        }
        throw new AssertionError("service not ready within " + timeout + "; log:\n" + logTail(60));
    }

    public String baseUrl() {
        return "http://localhost:" + httpPort;
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** SIGINT, as Ctrl-C in a terminal; returns the exit code. */
    public int interrupt(Duration timeout) {
        signal("INT");
        return waitFor(timeout);
    }

    /** SIGTERM; returns the exit code. */
    public int stop(Duration timeout) {
        process.destroy();
        return waitFor(timeout);
    }

    private void signal(String name) {
        try {
            new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
                throw new AssertionError("service did not exit within " + timeout + "; log:\n" + logTail(40));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The service's operating-system process id (for benchmarks that read its CPU time). */
    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() {
        if (alive()) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(30));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static final class Builder {
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Path log;
        private Path jar = Path.of(System.getProperty("interlock.app.jar", "app/target/quarkus-app/quarkus-run.jar"));
        private int httpPort = PortCheck.freePort();

        private Builder(Path log) {
            this.log = log;
        }

        public Builder jar(Path jar) {
            this.jar = jar;
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder properties(java.util.Map<String, String> more) {
            properties.putAll(more);
            return this;
        }

        /** Points the service at the test JVM's shared broker and a database on the shared PostgreSQL. */
        public Builder externalServices(String database) {
            env.put("KAFKA_BOOTSTRAP_SERVERS", SharedServices.kafka().bootstrapServers());
            env.put("QUARKUS_DATASOURCE_JDBC_URL", SharedServices.freshDatabase(database));
            env.put("QUARKUS_DATASOURCE_USERNAME", EmbeddedPostgresServer.USER);
            env.put("QUARKUS_DATASOURCE_PASSWORD", EmbeddedPostgresServer.PASSWORD);
            return this;
        }

        public ServiceProcess build() {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("service artifact " + jar.toAbsolutePath()
                        + " is missing: build it first (./mvnw verify builds it before the integration tests)");
            }
            return new ServiceProcess(this);
        }
    }

    /** A tiny HTTP client for the service's endpoints. */
    public static final class Http {
        private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        private Http() {
        }

        public static int status(String url) {
            try {
                return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        public static String get(String url) {
            try {
                HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new AssertionError("GET " + url + " answered " + r.statusCode() + ": " + r.body());
                }
                return r.body();
            } catch (IOException e) {
                throw new AssertionError("GET " + url + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
