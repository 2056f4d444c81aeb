package dev.interlock.ingest.runtime;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter: the one place ingest decides how long to wait after a failure. */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private int attempt;

    public Backoff(Duration initial, Duration max) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(initialMillis, max.toMillis());
    }

    /** The wait before the next retry: uniformly random up to min(max, initial * 2^attempt). */
    public Duration next() {
        long ceiling = Math.min(maxMillis, initialMillis << Math.min(attempt, 30));
        attempt++;
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(initialMillis / 2, ceiling + 1));
    }

    public void reset() {
        attempt = 0;
    }

    public int attempts() {
        return attempt;
    }
}
