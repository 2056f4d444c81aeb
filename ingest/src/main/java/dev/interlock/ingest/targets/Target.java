package dev.interlock.ingest.targets;

import java.time.Instant;
import java.util.Locale;

/** A row of table {@code targets}: the spec, whether it runs, where it came from, and its revision. */
public record Target(TargetSpec spec, State state, Origin origin, String configHash, Instant createdAt, Instant updatedAt,
        long revision) {

    public String name() {
        return spec.name();
    }

    /** Active targets run; paused ones keep their cursor; removed ones are remembered so configuration does not seed them again. */
    public enum State {
        ACTIVE, PAUSED, REMOVED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State of(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    /** Seeded from configuration, or added through {@code POST /api/targets}. */
    public enum Origin {
        CONFIG, API;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Origin of(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }
}
