package dev.interlock.ingest.targets;

import java.net.http.HttpClient;
import java.util.function.UnaryOperator;

import dev.interlock.ingest.source.Source;

/**
 * One kind of monitored target ({@code ledger-icrc}, {@code ledger-icp}, {@code canister-logs}): the one place
 * that turns a target into a {@link Source}. Types are registered by name in {@link TargetTypes}.
 */
public interface TargetType {
    /** The value of the target's {@code type}. */
    String name();

    /** The id of the source that follows target {@code name}: the key of its cursor. */
    String sourceId(String name);

    /**
     * Checks a spec and returns it completed (defaults filled in, the canister in canonical form).
     *
     * @param field names a configuration key as the user wrote it ({@code settings.start}, or
     *              {@code interlock.ingest.ledgers.x.start}), for messages
     * @throws IllegalArgumentException naming the faulty field and value
     */
    TargetSpec validate(TargetSpec spec, UnaryOperator<String> field);

    /** Builds the source of a validated spec (no I/O). */
    Source source(TargetSpec spec, HttpClient http);

    /** Reads once from the gateway as the source would, so that a target that cannot work is refused with the reason. */
    void testFetch(TargetSpec spec, HttpClient http) throws TestFetchException;
}
