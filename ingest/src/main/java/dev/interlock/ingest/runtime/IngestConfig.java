package dev.interlock.ingest.runtime;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code interlock.ingest.*}: the ingest role and one block per source. */
@ConfigMapping(prefix = "interlock.ingest")
public interface IngestConfig {
    /** The built-in demo source: one double spend, played one record per interval. */
    Demo demo();

    /** Backoff after a failed poll or publish. */
    Retry retry();

    /** Ledgers to follow, each under a name of your choice: {@code interlock.ingest.ledgers.<name>.*}. */
    Map<String, Ledger> ledgers();

    interface Ledger {
        /** The ledger canister's principal id (for example ryjl3-tyaaa-aaaaa-aaaba-cai). */
        String canister();

        /** The ledger's interface: {@code icrc} (ICRC-3 blocks) or {@code icp} (the ICP ledger's protobuf blocks). */
        @WithDefault("icrc")
        String kind();

        /** The IC HTTP gateway (boundary node) to query. */
        @WithDefault("https://icp-api.io")
        String gateway();

        /** Where to begin without a cursor: {@code genesis}, {@code tip} or a block index. */
        @WithDefault("tip")
        String start();

        /** Pages read per poll while catching up (100 blocks per page on ICRC ledgers, 2,000 on the ICP ledger). */
        @WithDefault("10")
        int pagesPerPoll();

        /** Pages fetched at once while catching up. */
        @WithDefault("4")
        int concurrency();

        /** Pause between polls once caught up. */
        @WithDefault("2s")
        Duration pollInterval();

        /** Timeout of one query. */
        @WithDefault("30s")
        Duration timeout();

        /** Largest reply accepted, in bytes. */
        @WithDefault("4194304")
        int maxReplyBytes();
    }

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
