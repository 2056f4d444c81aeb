package dev.interlock.app;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point: starts whatever the embedded default needs (Kafka, PostgreSQL), then Quarkus
 * with the configured roles. Offline subcommands of the {@code ./interlock} launcher will be
 * dispatched here before anything starts.
 */
@QuarkusMain
public final class InterlockMain {
    private static final Logger LOG = Logger.getLogger(InterlockMain.class);

    private InterlockMain() {
    }

    public static void main(String... args) {
        EmbeddedServices embedded;
        try {
            embedded = EmbeddedServices.startAsConfigured(new StartupConfig());
        } catch (RuntimeException e) {
            LOG.error("Interlock cannot start: " + e.getMessage(), e);
            System.exit(2);
            return;
        }
        Quarkus.run(null, (exitCode, failure) -> {
            embedded.close();
            System.exit(exitCode);
        }, args);
    }
}
