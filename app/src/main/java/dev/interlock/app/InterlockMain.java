package dev.interlock.app;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point: starts whatever the embedded default needs (Kafka, PostgreSQL), then Quarkus
 * with the configured roles. Offline subcommands of the {@code ./interlock} launcher will be
 * dispatched here before anything starts.
 */
@QuarkusMain
public final class InterlockMain {
    private InterlockMain() {
    }

    public static void main(String... args) {
        EmbeddedServices embedded;
        try {
            embedded = EmbeddedServices.startAsConfigured(new StartupConfig());
        } catch (RuntimeException e) {
            // Logging is not set up before Quarkus starts (records would stay buffered): say it on stderr.
            System.err.println("Interlock cannot start: " + e.getMessage());
            if (e.getCause() != null) {
                System.err.println("  cause: " + e.getCause());
            }
            System.exit(2);
            return;
        }
        Quarkus.run(null, (exitCode, failure) -> {
            embedded.close();
            System.exit(exitCode);
        }, args);
    }
}
