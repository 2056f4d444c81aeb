package dev.interlock.ingest.runtime;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code interlock.ingest.*}: the ingest role and one block per source. */
@ConfigMapping(prefix = "interlock.ingest")
public interface IngestConfig {
    /** The built-in demo source: one double spend, played one record per interval. */
    Demo demo();

    /** Backoff after a failed poll or publish. */
    Retry retry();

    interface Demo {
        /** Play the demo incident (on by default so a first run shows an alert). */
        @WithDefault("true")
        boolean enabled();

        /** Pause between the demo's records. */
        @WithDefault("100ms")
        Duration interval();
    }

    interface Retry {
        /** First wait after a failure. */
        @WithDefault("500ms")
        Duration initial();

        /** Longest wait between retries. */
        @WithDefault("30s")
        Duration max();
    }
}
