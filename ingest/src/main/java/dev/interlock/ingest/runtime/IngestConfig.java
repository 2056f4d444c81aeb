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

    /**
     * The ledgers and canisters configured here seed table {@code targets}; the ingest role runs what the table holds and
     * follows its changes (docs/targets.md).
     */
    Targets targets();

    interface Targets {
        /** How often the ingest role looks for changes to table {@code targets} made by other instances. */
        @WithDefault("2s")
        Duration refresh();
    }

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

        /**
         * The canister's {@code log_memory_limit} in bytes, for the fill warnings; unset: read with {@code canister_status}
         * (controllers and allowed status viewers), else 4096.
         */
        java.util.OptionalInt logBufferBytes();

        /** Timeout of one query. */
        @WithDefault("30s")
        Duration timeout();

        /** Largest reply accepted, in bytes. */
        @WithDefault("4194304")
        int maxReplyBytes();
    }

    /**
     * Canisters whose ingress access logs to stream from API boundary nodes, each under a name of your choice:
     * {@code interlock.ingest.boundary-nodes.<name>.*} (docs/boundary-node-logs.md).
     */
    Map<String, BoundaryNodes> boundaryNodes();

    interface BoundaryNodes {
        /** The canister's principal id; its log stream is {@code <node>/logs/canister/<canister>}. */
        String canister();

        /**
         * The API boundary nodes to stream from, comma-separated base URLs ({@code wss://<domain>}; a bare domain means
         * {@code wss://<domain>}). Each node streams only the requests it handled: list all of them.
         */
        Optional<List<String>> nodes();

        /** First wait before reconnecting to a node whose stream failed or closed. */
        @WithDefault("1s")
        Duration reconnectInitial();

        /** Longest wait between reconnects (exponential backoff with jitter in between). */
        @WithDefault("60s")
        Duration reconnectMax();

        /** Time allowed for a node's WebSocket handshake. */
        @WithDefault("10s")
        Duration connectTimeout();

        /** A ping is sent this often; a node silent for three intervals is dropped and reconnected (0: no pings). */
        @WithDefault("10s")
        Duration pingInterval();

        /**
         * Log lines held between the sockets and the next poll; when full, further lines are dropped and counted
         * ({@code interlock.ingest.boundary.dropped}), never blocking the streams.
         */
        @WithDefault("20000")
        int bufferLines();

        /** Longest log line (WebSocket message) accepted, in bytes; a longer one is quarantined. */
        @WithDefault("65536")
        int maxLineBytes();

        /**
         * How long lines are held so that lines of all nodes go out in timestamp order; a line that arrives later,
         * behind a published one, is quarantined as out of order (0: publish on arrival).
         */
        @WithDefault("2s")
        Duration reorderWindow();

        /** How far a line's timestamp may be ahead of this server's clock; beyond it, the line is quarantined. */
        @WithDefault("5m")
        Duration maxClockSkew();

        /** Pause between polls of the buffer. */
        @WithDefault("500ms")
        Duration pollInterval();

        /** Most events published in one transaction. */
        @WithDefault("5000")
        int maxBatch();
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
