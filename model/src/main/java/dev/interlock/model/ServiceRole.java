package dev.interlock.model;

/**
 * One of the service's roles ({@code ingest}, {@code detect}, {@code dashboard}). The app
 * starts the configured roles in one place, in pipeline order from store back to sources, and
 * stops them in reverse.
 */
public interface ServiceRole {
    /** The role's name as written in {@code interlock.roles}. */
    String name();

    /** Position in the start order: lower starts first and stops last. */
    int startOrder();

    void start();

    void stop();

    /** Null when healthy, else what is wrong, for the readiness check. */
    String problem();
}
