package dev.interlock.app;

import dev.interlock.cli.InterlockCli;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point. Without arguments: starts whatever the embedded default needs (Kafka,
 * PostgreSQL), then Quarkus with the configured roles. With arguments: an offline subcommand of
 * {@link InterlockCli}, which starts no server.
 */
@QuarkusMain
public final class InterlockMain {
    InterlockMain() {
    }

    public static void main(String... args) {
        if (args.length > 0) {
            // Offline subcommands (simulate, trace-check, ...): no embedded services, no Quarkus.
            System.exit(InterlockCli.execute(args));
            return;
        }
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
