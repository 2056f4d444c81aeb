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

    /** How long closed call contexts stay in correlation state, in event time. */
    @WithDefault("1h")
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

    /** Exactly-once commit interval: the upper bound it adds to alert latency. */
    @WithDefault("100ms")
    Duration commitInterval();
}
