package dev.interlock.ingest.targets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What defines a monitored target: its name (the suffix of its source id, so of its cursor), its type
 * ({@link TargetType}), the canister, the gateway and the type's further settings by their configuration key
 * ({@code start}, {@code poll-interval}, ...; values as they would be written in configuration).
 */
public record TargetSpec(String name, String type, String canister, String gateway, Map<String, String> settings) {
    /** Names become source ids, Kafka transactional ids and URL path segments. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public TargetSpec {
        settings = Map.copyOf(settings == null ? Map.of() : settings);
    }

    /**
     * A hash of everything that defines the target (not its name, state or origin): tells whether a configuration
     * block changed since it was last applied to the table.
     */
    public String fingerprint() {
        StringBuilder b = new StringBuilder().append(type).append('\n').append(canister).append('\n').append(gateway);
        new TreeMap<>(settings).forEach((k, v) -> b.append('\n').append(k).append('=').append(v));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
