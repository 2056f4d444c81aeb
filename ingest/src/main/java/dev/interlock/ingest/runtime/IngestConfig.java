package dev.interlock.ingest.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** Canisters whose logs to poll, each under a name of your choice: {@code interlock.ingest.canisters.<name>.*}. */
    Map<String, CanisterLogs> canisters();

    interface CanisterLogs {
        /** The canister's principal id. */
        String canister();

        /** The IC HTTP gateway (boundary node) to query. */
        @WithDefault("https://icp-api.io")
        String gateway();

        /**
         * PEM file of the identity that reads the log (dfx: {@code ~/.config/dfx/identity/<name>/identity.pem}), needed
         * when the canister's log visibility is {@code controllers} or {@code allowed_viewers}; none: anonymous.
         */
        java.util.Optional<String> identity();

        /** Pause between polls; the log is a ring buffer, so records older than one buffer's worth are lost. */
        @WithDefault("2s")
        Duration pollInterval();

        /** The canister's {@code log_memory_limit} in bytes (4096 unless raised); used for the fill warnings. */
        @WithDefault("4096")
        int logBufferBytes();

        /** Timeout of one query. */
        @WithDefault("30s")
        Duration timeout();

        /** Largest reply accepted, in bytes. */
        @WithDefault("4194304")
        int maxReplyBytes();
    }

    /** HTTP push of canister log records, {@code POST /api/ingest/calls} (docs/call-ingestion.md). */
    Push push();

    interface Push {
        /**
         * Ingest tokens accepted as {@code Authorization: Bearer <token>}, comma-separated (long random strings,
         * one per relaying team); none: the endpoint is disabled and answers 404 saying how to enable it.
         */
        Optional<List<String>> tokens();

        /**
         * Largest request body in bytes; a larger request is refused whole with 413. Above 10 MiB, raise
         * {@code quarkus.http.limits.max-body-size} too.
         */
        @WithDefault("8388608")
        long maxRequestBytes();

        /** Longest line in bytes; a longer line is rejected on its own (the other lines are processed). */
        @WithDefault("65536")
        int maxLineBytes();

        /** Requests per second each token may send on average; more are answered 429 with Retry-After. */
        @WithDefault("10")
        double rateLimit();

        /** Requests a token may send at once above the average rate (the token bucket's size). */
        @WithDefault("20")
        int burst();

        /**
         * How far a record's timestamp may be ahead of this server's clock, or behind the previous record of
         * its canister; beyond it, the record is quarantined with the reason.
         */
        @WithDefault("5m")
        Duration maxClockSkew();
    }

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
