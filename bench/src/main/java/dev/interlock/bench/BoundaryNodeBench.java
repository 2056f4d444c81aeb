package dev.interlock.bench;

import java.net.URI;
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
 * {@link SourceRunner}. Lines are generated before the timed part and stamped with the time as they are sent (as a
 * node stamps a request as it logs it), as fast as the client reads them.
 *
 * <p>Prints, for a cold and a warm run: events/s end to end (from the first connection to the last event published,
 * including the reorder window the last events wait out: 2 s, the default) and sustained (while the published count
 * went from 10% to 90%). Arguments: {@code --events N} (default 600,000); {@code -Dbench.progress} prints a status line
 * every second.
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
        Vertx clientVertx = Vertx.vertx();
        try {
            for (String run : List.of("cold", "warm")) {
                run(vertx, clientVertx, kafka, events, run);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    /** A placeholder timestamp of the stamped form's length, overwritten as the line is sent. */
    private static final String STAMP = "2000-01-01T00:00:00.000000000Z";

    /** CPU time so far of each live thread, by id, with its name (numbers taken out). */
    private static Map<Long, Map.Entry<String, Long>> cpuByThread() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<Long, Map.Entry<String, Long>> m = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = mx.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                m.put(info.getThreadId(), Map.entry(info.getThreadName().replaceAll("[0-9]+", "N"), cpu));
            }
        }
        return m;
    }

    /** CPU used between two snapshots, summed by thread name; threads that ended in between are not counted. */
    private static Map<String, Long> cpuUsed(Map<Long, Map.Entry<String, Long>> before, Map<Long, Map.Entry<String, Long>> after) {
        Map<String, Long> m = new java.util.TreeMap<>();
        after.forEach((id, e) -> {
            Map.Entry<String, Long> b = before.get(id);
            m.merge(e.getKey(), e.getValue() - (b == null ? 0 : b.getValue()), Long::sum);
        });
        return m;
    }

    private static String line(int i, String ts) {
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

    /** Writes the current time over the placeholder of {@code line} (fixed width, nanosecond digits). */
    private static final class Stamper {
        private long second = Long.MIN_VALUE;
        private byte[] prefix;
        private long lastNanos;

        /** The line's placeholder is its last field's value: {@code "timestamp":"<STAMP>"}}. */
        Buffer stamp(byte[] template) {
            int at = template.length - 2 - STAMP.length();
            Instant now = Instant.now();
            long nanos = Math.max(now.getEpochSecond() * 1_000_000_000L + now.getNano(), lastNanos + 1);
            lastNanos = nanos;
            long sec = Math.floorDiv(nanos, 1_000_000_000L);
            if (sec != second) {
                second = sec;
                prefix = Instant.ofEpochSecond(sec).toString().substring(0, 19).getBytes(StandardCharsets.US_ASCII);
            }
            byte[] b = template.clone();
            System.arraycopy(prefix, 0, b, at, 19);
            long frac = Math.floorMod(nanos, 1_000_000_000L);
            for (int k = at + 28; k >= at + 20; k--) {
                b[k] = (byte) ('0' + frac % 10);
                frac /= 10;
            }
            return Buffer.buffer(b);
        }
    }

    private static HttpServer serve(Vertx vertx, List<byte[]> lines) throws Exception {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("0.0.0.0").setPort(0));
        server.webSocketHandler(ws -> {
            if (!ws.path().equals("/logs/canister/" + CANISTER)) {
                ws.reject(404);
                return;
            }
            // As a node does: as fast as the client reads, never queueing more than the socket's write queue holds.
            java.util.Iterator<byte[]> next = lines.iterator();
            Stamper stamper = new Stamper();
            Runnable[] pump = new Runnable[1];
            pump[0] = () -> {
                while (next.hasNext() && !ws.writeQueueFull()) {
                    ws.writeBinaryMessage(stamper.stamp(next.next()));
                }
                if (next.hasNext()) {
                    ws.drainHandler(v -> pump[0].run());
                }
            };
            pump[0].run();
        });
        return server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** One run: the node servers on {@code vertx}, the source's WebSocket client on its own {@code clientVertx}. */
    private static void run(Vertx vertx, Vertx clientVertx, Map<String, Object> kafka, int events, String run) throws Exception {
        List<List<byte[]>> halves = List.of(new ArrayList<>(), new ArrayList<>());
        long bytes = 0;
        for (int i = 0; i < events; i++) {
            String l = line(i, STAMP);
            byte[] b = l.getBytes(StandardCharsets.UTF_8);
            bytes += b.length;
            halves.get(i % 2).add(b);
        }
        HttpServer a = serve(vertx, halves.get(0));
        HttpServer b = serve(vertx, halves.get(1));
        try {
            BoundaryNodeSettings settings = new BoundaryNodeSettings(CANISTER,
                    List.of(URI.create("ws://127.0.0.1:" + a.actualPort()), URI.create("ws://127.0.0.2:" + b.actualPort())),
                    Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(10),
                    events + 1_000, 65_536, Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofMillis(1), 5_000);
            BoundaryNodeSource source = new BoundaryNodeSource("bench-boundary-" + System.nanoTime(), settings,
                    clientVertx, Clock.systemUTC(), new SimpleMeterRegistry());
            SourceRunner runner = new SourceRunner(source, kafka,
                    () -> new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), new SimpleMeterRegistry());
            Thread t = new Thread(runner, "bench-boundary");
            Map<Long, Map.Entry<String, Long>> cpuBefore = cpuByThread();
            long start = System.nanoTime();
            t.start();
            long published = 0;
            long lastChange = System.nanoTime();
            long at10 = 0;
            long at90 = 0;
            long n10 = 0;
            long n90 = 0;
            long nextReport = start + 1_000_000_000L;
            while (published < events && System.nanoTime() - lastChange < 30_000_000_000L) {
                Thread.sleep(5);
                if (System.getProperty("bench.progress") != null && System.nanoTime() >= nextReport) {
                    nextReport += 1_000_000_000L;
                    Map<String, Object> st = source.status();
                    System.out.printf(Locale.ROOT, "    %5.1f s: published %,d, buffered %s, held %s, nodes %s%n",
                            (System.nanoTime() - start) / 1e9, published, st.get("buffered"), st.get("held"), st.get("nodes"));
                }
                Object problem = runner.status().get("problem");
                if (problem != null) {
                    throw new IllegalStateException("boundary: " + problem);
                }
                long p = (Long) runner.status().get("published");
                if (p != published) {
                    published = p;
                    lastChange = System.nanoTime();
                    if (at10 == 0 && p >= events / 10) {
                        at10 = lastChange;
                        n10 = p;
                    }
                    if (at90 == 0 && p >= events * 9L / 10) {
                        at90 = lastChange;
                        n90 = p;
                    }
                }
            }
            double seconds = (lastChange - start) / 1e9;
            if (published < events) {
                System.out.println("  boundary source status: " + runner.status());
            }
            Map<String, Long> cpuUsed = cpuUsed(cpuBefore, cpuByThread());
            runner.stop();
            t.join(10_000);
            double sustained = at90 > at10 ? (n90 - n10) / ((at90 - at10) / 1e9) : Double.NaN;
            System.out.printf(Locale.ROOT, "  boundary %-5s %,9d of %,d published in %6.2f s: %,9.0f events/s end to end "
                    + "(%5.1f MB/s), %,9.0f events/s sustained (10%%-90%%); 2 nodes merged by timestamp, rejected %s%n", run,
                    published, events, seconds, published / seconds, bytes * (published / (double) events) / seconds / 1e6,
                    sustained, source.rejectedByReasonSnapshot());
            StringBuilder cpu = new StringBuilder();
            long total = 0;
            for (Map.Entry<String, Long> e : cpuUsed.entrySet()) {
                long used = e.getValue();
                total += used;
                if (used >= published * 200L) {
                    cpu.append(String.format(Locale.ROOT, "%s %.1f µs, ", e.getKey(), used / 1e3 / published));
                }
            }
            System.out.printf(Locale.ROOT, "    CPU per event %.1f µs: %s(whole process, node servers and broker included)%n",
                    total / 1e3 / published, cpu);
        } finally {
            a.close();
            b.close();
        }
    }
}
