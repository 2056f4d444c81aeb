package dev.interlock.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.interlock.ingest.runtime.Backoff;
import dev.interlock.ingest.runtime.SourceRunner;
import dev.interlock.ingest.source.boundary.BoundaryNodeSettings;
import dev.interlock.ingest.source.boundary.BoundaryNodeSource;
import dev.interlock.testsupport.SharedServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The boundary-node source end to end: two local WebSocket servers stand in for two API boundary nodes, each
 * streaming its half of N generated access-log lines (the {@code ic-boundary} JSON format of
 * docs/boundary-node-logs.md: queries, update calls, rate-limited and failed requests, many clients) on
 * {@code /logs/canister/<id>}; the service's {@link BoundaryNodeSource} connects to both, parses, merges by
 * timestamp and publishes {@code IngressEvent}s transactionally to the embedded broker through a
 * {@link SourceRunner}. Prints events/s and MB/s of a cold and a warm run. Lines are generated before the timed part;
 * their timestamps lie a minute and more in the past, so the reorder window releases them at once.
 * Arguments: {@code --events N} (default 600,000).
 */
public final class BoundaryNodeBench {
    private static final String CANISTER = "qoctq-giaaa-aaaaa-aaaea-cai";
    private static final String SUBNET = "tdb26-jop6k-aogll-7ltgs-eruif-6kk7m-qpktf-gdiqx-mxtrf-vb5e6-eqe";
    private static final String REPLICA = "zatyv-4l26n-3lecc-xpeme-ul34o-yiye2-3d447-aiiz4-5pxtm-v44nh-cqe";
    private static final String[] TYPES = {"query", "query", "call", "sync_call", "query_v3", "call_v3", "read_state"};
    private static final String[] METHODS = {"icrc1_balance_of", "icrc1_transfer", "withdraw", "http_request", "deposit"};

    private BoundaryNodeBench() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        int events = 600_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--events")) {
                events = Integer.parseInt(args[i + 1].replace("_", ""));
            } else {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: --events");
            }
        }
        Map<String, Object> kafka = SharedServices.kafkaConfig();
        Vertx vertx = Vertx.vertx();
        try {
            for (String run : List.of("cold", "warm")) {
                run(vertx, kafka, events, run);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    private static String line(int i, Instant ts) {
        String type = TYPES[i % TYPES.length];
        boolean limited = i % 50 == 7;
        boolean failed = i % 97 == 3;
        int status = limited ? 429 : failed ? 503 : type.startsWith("call") ? 202 : 200;
        String cause = limited ? "\"rate_limited_normal\"" : failed ? "\"replica_timeout\"" : "null";
        String method = type.equals("read_state") ? "null" : "\"" + METHODS[i % METHODS.length] + "\"";
        String client = i % 13 == 0 ? "N/A" : String.format(Locale.ROOT, "%032x", (i * 2_654_435_761L) % 5_000);
        return String.format(Locale.ROOT, "{\"cache_bypass_reason\":\"%s\",\"cache_status\":\"DISABLED\","
                + "\"client_country_code\":\"N/A\",\"client_id\":\"%s\",\"client_ip_family\":4,\"duration\":0.0%05d,"
                + "\"error_cause\":%s,\"error_details\":null,\"http_status\":%d,\"http_version\":\"2.0\","
                + "\"ic_canister_id\":\"%s\",\"ic_method\":%s,\"ic_node_id\":\"%s\",\"ic_subnet_id\":\"%s\","
                + "\"request_id\":\"0198%028x\",\"request_size\":812,\"request_type\":\"%s\",\"response_size\":96,"
                + "\"timestamp\":\"%s\"}", i % 3 == 0 ? "non_anonymous" : "none", client, i % 99_999, cause, status,
                CANISTER, method, REPLICA, SUBNET, i, type, ts);
    }

    private static HttpServer serve(Vertx vertx, List<Buffer> lines) throws Exception {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("0.0.0.0").setPort(0));
        server.webSocketHandler(ws -> {
            if (!ws.path().equals("/logs/canister/" + CANISTER)) {
                ws.reject(404);
                return;
            }
            lines.forEach(ws::writeBinaryMessage);
        });
        return server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void run(Vertx vertx, Map<String, Object> kafka, int events, String run) throws Exception {
        Instant base = Instant.now().minusSeconds(120);
        List<List<Buffer>> halves = List.of(new ArrayList<>(), new ArrayList<>());
        long bytes = 0;
        for (int i = 0; i < events; i++) {
            String l = line(i, base.plusNanos(100_000L * i));
            byte[] b = l.getBytes(StandardCharsets.UTF_8);
            bytes += b.length;
            halves.get(i % 2).add(Buffer.buffer(b));
        }
        HttpServer a = serve(vertx, halves.get(0));
        HttpServer b = serve(vertx, halves.get(1));
        try {
            BoundaryNodeSettings settings = new BoundaryNodeSettings(CANISTER,
                    List.of(URI.create("ws://127.0.0.1:" + a.actualPort()), URI.create("ws://127.0.0.2:" + b.actualPort())),
                    Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(10),
                    events + 1_000, 65_536, Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofMillis(1), 5_000);
            BoundaryNodeSource source = new BoundaryNodeSource("bench-boundary-" + System.nanoTime(), settings,
                    HttpClient.newHttpClient(), Clock.systemUTC(), new SimpleMeterRegistry());
            SourceRunner runner = new SourceRunner(source, kafka,
                    () -> new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), new SimpleMeterRegistry());
            Thread t = new Thread(runner, "bench-boundary");
            long start = System.nanoTime();
            t.start();
            long published = 0;
            long lastChange = System.nanoTime();
            while (published < events && System.nanoTime() - lastChange < 30_000_000_000L) {
                Thread.sleep(5);
                Object problem = runner.status().get("problem");
                if (problem != null) {
                    throw new IllegalStateException("boundary: " + problem);
                }
                long p = (Long) runner.status().get("published");
                if (p != published) {
                    published = p;
                    lastChange = System.nanoTime();
                }
            }
            double seconds = (lastChange - start) / 1e9;
            if (published < events) {
                System.out.println("  boundary source status: " + runner.status());
            }
            runner.stop();
            t.join(10_000);
            System.out.printf(Locale.ROOT, "  boundary %-5s %,9d of %,d published in %6.2f s: %,9.0f events/s %6.1f MB/s "
                    + "(2 nodes, merged by timestamp)%n", run, published, events, seconds, published / seconds,
                    bytes * (published / (double) events) / seconds / 1e6);
        } finally {
            a.close();
            b.close();
        }
    }
}
