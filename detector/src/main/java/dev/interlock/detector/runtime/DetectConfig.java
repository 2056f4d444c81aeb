package dev.interlock.detector.runtime;

import java.nio.file.Path;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code interlock.detect.*}: the detect role (Kafka Streams over the calls topic). */
@ConfigMapping(prefix = "interlock.detect")
public interface DetectConfig {
    /** Kafka Streams application id: the consumer group and the prefix of its internal topics. */
    @WithDefault("interlock-detector")
    String applicationId();

    /** How long closed call contexts (and state-key writes) stay in correlation state, in event time. */
    @WithDefault("10m")
    Duration horizon();

    /** Local state-store directory (RocksDB); rebuilt from changelog topics when lost. */
    @WithDefault("${interlock.data-dir:data}/streams")
    Path stateDir();

    /** Stream threads in this instance; more instances scale out by partition. */
    @WithDefault("1")
    int streamThreads();

    /**
     * Consumer session timeout: how soon partitions of a crashed instance move to a live one.
     * Kafka's default (45 s) delays recovery after a crash by that much.
     */
    @WithDefault("10s")
    Duration sessionTimeout();

    /** How often time-based detectors look at every canister when no input arrives. */
    @WithDefault("10s")
    Duration tickInterval();

    /** An unbounded-wait call with no response for this long is a STALLED_CALL. */
    @WithDefault("1m")
    Duration stallAfter();

    /** RATE_ANOMALY window (aligned to multiples of its length). */
    @WithDefault("1m")
    Duration rateWindow();

    /** Served calls per authenticated caller and method per window before RATE_ANOMALY. */
    @WithDefault("10")
    int rateLimit();

    /** The same for the anonymous principal, which every anonymous caller shares in canister traces. */
    @WithDefault("1000")
    int anonymousRateLimit();

    /** The same for callers that are canisters (they carry many users' calls). */
    @WithDefault("10000")
    int canisterRateLimit();

    /** Exactly-once commit interval: the upper bound it adds to alert latency. */
    @WithDefault("100ms")
    Duration commitInterval();
}
