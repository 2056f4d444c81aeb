package dev.interlock.detector.core;

import java.time.Duration;

/**
 * Thresholds of the detectors.
 *
 * @param horizon            how long closed contexts and key writes stay in state (event time)
 * @param stallAfter         an unbounded-wait call with no response for this long is stalled
 * @param rateWindow         window of the rate detector
 * @param rateLimit          replied calls per authenticated caller and method per window
 * @param anonymousRateLimit the same for the anonymous principal, which all anonymous callers share
 * @param canisterRateLimit  the same for callers that are canisters (they carry many users' calls)
 * @param maxOpenContexts    open call contexts kept per canister; beyond it the oldest open one is dropped and an
 *                           OPEN_CONTEXT_LIMIT alert raised (closed contexts are bounded by the horizon instead)
 */
public record DetectorSettings(Duration horizon, Duration stallAfter, Duration rateWindow, int rateLimit,
        int anonymousRateLimit, int canisterRateLimit, int maxOpenContexts) {

    public DetectorSettings {
        if (maxOpenContexts < 1) {
            throw new IllegalArgumentException("maxOpenContexts must be at least 1, not " + maxOpenContexts);
        }
    }

    public static DetectorSettings defaults() {
        return new DetectorSettings(Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofMinutes(1), 10, 1_000,
                10_000, 10_000);
    }

    public DetectorSettings withHorizon(Duration h) {
        return new DetectorSettings(h, stallAfter, rateWindow, rateLimit, anonymousRateLimit, canisterRateLimit,
                maxOpenContexts);
    }

    public DetectorSettings withStallAfter(Duration d) {
        return new DetectorSettings(horizon, d, rateWindow, rateLimit, anonymousRateLimit, canisterRateLimit,
                maxOpenContexts);
    }

    public DetectorSettings withRate(Duration window, int limit, int anonymousLimit, int canisterLimit) {
        return new DetectorSettings(horizon, stallAfter, window, limit, anonymousLimit, canisterLimit, maxOpenContexts);
    }

    public DetectorSettings withMaxOpenContexts(int max) {
        return new DetectorSettings(horizon, stallAfter, rateWindow, rateLimit, anonymousRateLimit, canisterRateLimit,
                max);
    }
}
