package dev.interlock.detector.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code interlock.detect.*}: the detect role (Kafka Streams over the calls and ledger-blocks topics). */
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

    /**
     * Stream threads in this instance; more instances scale out by partition. Two by default: with exactly-once
     * each commit waits for the broker, and a second thread processes meanwhile (README, "Measured here"). Each thread has its own producer and
     * transactions; the calls topic needs at least as many partitions as all instances have threads.
     */
    @WithDefault("2")
    int streamThreads();

    /**
     * Consumer session timeout: how soon partitions of a crashed instance move to a live one.
     * Kafka's default (45 s) delays recovery after a crash by that much.
     */
    @WithDefault("10s")
    Duration sessionTimeout();

    /** How often time-based detectors look at every canister when no input arrives. */
    @WithDefault("200ms")
    Duration tickInterval();

    /**
     * Wall-clock silence of a canister after which what waits for its next message is decided: a trapped
     * callback with no cleanup (CALLBACK_TRAP), a failed call whose restore never came (UNHANDLED_REJECT), and
     * the last message of sources that do not mark message ends. The IC runs a cleanup right after its trapped
     * callback, so both are in the same log read; a relay pushing records must push whole reads.
     */
    @WithDefault("300ms")
    Duration quietAfter();

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

    /**
     * Open call contexts kept per canister (the detector's memory bound; closed ones are bounded by the horizon).
     * Opening one more drops the oldest open one and raises an OPEN_CONTEXT_LIMIT alert (once per canister per
     * horizon): detection on that canister is degraded while it lasts. An open context costs under 1 KiB.
     */
    @WithDefault("10000")
    int maxOpenContexts();

    /**
     * Update calls per boundary-node client (salted hash of principal and IP, so anonymous clients apart) and
     * method per {@code rate-window}, in {@code interlock.ingress}, before RATE_ANOMALY.
     */
    @WithDefault("60")
    int ingressRateLimit();

    /**
     * Largest stored state of one canister (bytes): the limit of the detector's producer and of its changelog
     * topics. A canister with more open and recent contexts than fit stops its partition; see README, "Measured here".
     */
    @WithDefault("16777216")
    int maxStateBytes();

    /** Exactly-once commit interval: the upper bound it adds to alert latency. */
    @WithDefault("100ms")
    Duration commitInterval();

    /**
     * Compression of what the detector writes (alerts, repartitioned events, changelog entries): {@code none},
     * {@code lz4}, {@code zstd}, {@code gzip} or {@code snappy}. Compressing costs the stream threads CPU and saves
     * the broker's disk and network; see README, "Measured here".
     */
    @WithDefault("lz4")
    String compression();

    /**
     * LEDGER_RECONCILIATION: how long (event time) a {@code notify}'s expected transfer may take to appear in a ledger
     * block before the notify is flagged. It is counted on the recipient account's clock, extrapolated by wall-clock
     * time while the account is silent, so it must also exceed the lag between canister-log and ledger ingestion.
     * The payment rules (a reply without block, a block without call) keep calls and blocks for two windows, and
     * decide the unexplained blocks of a canister whose trace fell silent after a window of wall-clock silence.
     */
    @WithDefault("5m")
    Duration reconcileWindow();

    /**
     * LEDGER_RECONCILIATION: the ledgers (canister ids, comma-separated) whose blocks name account identifiers instead
     * of owners, as the ICP ledger's do. A canister's transfers on them are matched with their blocks by the paying
     * account's identifier, and blocks out of the canister's default account are watched. A call whose recipient is
     * printed as a 64-hex identifier is matched so on any ledger.
     */
    @WithDefault("ryjl3-tyaaa-aaaaa-aaaba-cai")
    Set<String> identifierLedgers();

    /**
     * CALL_CYCLE: how long (event time) a call that may close a cycle waits for the other canisters' events before
     * it is checked, so that a canister whose log is polled later still completes the cycle. The lag between two
     * canisters' streams beyond this can hide a cycle; it is also the latency CALL_CYCLE adds.
     */
    @WithDefault("10s")
    Duration cycleDelay();

    /**
     * CALL_CYCLE: how long (event time) an unanswered call or a called context never seen to end stays in the call
     * graph; bounds its state when callbacks or context ends are never seen. Must exceed twice the cycle delay.
     */
    @WithDefault("1h")
    Duration callGraphRetention();
}
