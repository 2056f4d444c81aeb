package dev.interlock.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import dev.interlock.ic.Principal;
import dev.interlock.ic.agent.CanisterLogClient;
import dev.interlock.ic.agent.QueryClient;
import dev.interlock.ic.candid.CandidDecoder;
import dev.interlock.ic.identity.Identity;
import dev.interlock.ingest.calls.CallLogImporter;
import dev.interlock.ingest.calls.CallLogStats;
import dev.interlock.ingest.calls.KafkaCallLogSink;
import dev.interlock.ingest.runtime.Backoff;
import dev.interlock.ingest.runtime.SourceRunner;
import dev.interlock.ingest.source.logs.CanisterLogSource;
import dev.interlock.ingest.source.push.CallPushHandler;
import dev.interlock.sim.SimOptions;
import dev.interlock.sim.Simulation;
import dev.interlock.sim.engine.CanisterLog;
import dev.interlock.sim.engine.LogRecord;
import dev.interlock.sim.engine.SimSink;
import dev.interlock.sim.replica.FakeReplica;
import dev.interlock.sim.scenario.Scenarios;
import dev.interlock.sim.scenario.Variant;
import dev.interlock.testsupport.SharedServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Call-log ingestion per source, end to end into the embedded broker (issue target: 100,000 events/s per
 * source). The records are the simulator's canister logs (every scenario, both variants, honest traffic),
 * replayed as one canister's log with context ids made unique per replay, timestamps from the clock.
 * <ul>
 * <li><b>poll</b>: {@link CanisterLogSource} under the service's {@link SourceRunner}, polling (no pause) the
 * {@link FakeReplica}'s {@code fetch_canister_logs} of a log buffer of {@code --buffer} bytes that a writer thread
 * keeps filled to half (the fake replica encodes the replies on the same cores).</li>
 * <li><b>push</b>: batches of {@code --batch} NDJSON lines POSTed over HTTP to a {@link CallPushHandler} built as
 * {@code CallPushService} builds it (KafkaCallLogSink, one transaction per batch), served by the JDK's HTTP server
 * instead of Quarkus REST (the handler is the same; the Vert.x transport is not measured).</li>
 * <li><b>import</b>: {@link CallLogImporter} of one NDJSON file (10,000 lines per transaction).</li>
 * </ul>
 * Each source runs twice: cold (first use in this JVM) and warm. Events/s counts records published (call events
 * and log lines) over the wall time; MB/s the NDJSON bytes of those records. The boundary-node WebSocket source is
 * not here (its test server lives in ingest's tests). Arguments: {@code --events N} (default 600,000: shorter
 * runs end before the JIT has warmed the hot paths), {@code --sources poll,push,import}, {@code --batch B} (5,000),
 * {@code --buffer BYTES} (4 MiB).
 */
public final class CallSourceBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Principal CANISTER = Principal.canister(990_001);

    private CallSourceBench() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
        int events = 600_000;
        String sources = "poll,push,import";
        int batch = 5_000;
        int buffer = 4 << 20;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[i + 1].replace("_", ""));
                case "--sources" -> sources = args[i + 1];
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--buffer" -> buffer = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; known: --events, --sources, --batch, --buffer");
            }
        }
        long t0 = System.nanoTime();
        List<String> contents = contents(events);
        Map<String, Object> kafka = SharedServices.kafkaConfig();
        System.out.printf(Locale.ROOT, "CallSourceBench: %,d records per run (simulator logs, built in %.1f s), %d cores, max heap %d MB%n",
                events, (System.nanoTime() - t0) / 1e9, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        for (String source : sources.split(",")) {
            for (String phase : List.of("cold", "warm")) {
                Result r = switch (source) {
                    case "poll" -> poll(kafka, contents, buffer);
                    case "push" -> push(kafka, contents, batch);
                    case "import" -> importFile(kafka, contents);
                    default -> throw new IllegalArgumentException("unknown source " + source);
                };
                System.out.printf(Locale.ROOT, "  %-6s %-4s %,9d published in %6.2f s: %,9.0f events/s  %6.1f MB/s  (%s)%n", source, phase,
                        r.published, r.seconds, r.published / r.seconds, r.bytes / 1e6 / r.seconds, r.note);
            }
        }
        System.exit(0); // the shared broker's threads are not daemons
    }

    record Result(long published, double seconds, long bytes, String note) {
    }

    /** Simulator log contents of every canister, replayed until there are {@code n}, with context ids unique per replay. */
    static List<String> contents(int n) {
        List<SimOptions.Choice> all = new ArrayList<>();
        for (String s : Scenarios.all().keySet()) {
            all.add(new SimOptions.Choice(s, Variant.VULNERABLE));
            all.add(new SimOptions.Choice(s, Variant.FIXED));
        }
        Map<Principal, List<String>> byCanister = new LinkedHashMap<>();
        Simulation.run(SimOptions.defaults(7).withScenarios(all).withDuration(Duration.ofMinutes(2)).withRate(200).withInstances(3),
                new SimSink() {
                    @Override
                    public void logRecord(Principal canister, LogRecord r) {
                        byCanister.computeIfAbsent(canister, c -> new ArrayList<>()).add(r.content());
                    }
                });
        List<String> template = new ArrayList<>();
        byCanister.values().forEach(template::addAll);
        List<String> out = new ArrayList<>(n);
        for (int copy = 0; out.size() < n; copy++) {
            String p = "r" + copy + ".";
            for (int i = 0; i < template.size() && out.size() < n; i++) {
                out.add(template.get(i).replace("\"x\":\"", "\"x\":\"" + p).replace("\"c\":\"", "\"c\":\"" + p)
                        .replace("\"j\":\"", "\"j\":\"" + p).replace("\"r\":\"", "\"r\":\"" + p));
            }
        }
        return out;
    }

    static String line(long idx, long ts, String content) {
        ObjectNode n = JSON.createObjectNode().put("canister", CANISTER.toString()).put("idx", idx).put("ts", ts).put("content", content);
        return n.toString();
    }

    // ---- import

    static Result importFile(Map<String, Object> kafka, List<String> contents) throws IOException {
        Path file = Files.createTempFile("call-bench", ".ndjson");
        long ts = System.currentTimeMillis() * 1_000_000L;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < contents.size(); i++) {
                w.write(line(i, ts + i, contents.get(i)));
                w.write('\n');
            }
        }
        long bytes = Files.size(file);
        long start = System.nanoTime();
        CallLogStats stats;
        try (KafkaCallLogSink sink = new KafkaCallLogSink(kafka, "bench-import-" + System.nanoTime(), Duration.ofSeconds(60))) {
            CallLogImporter importer = new CallLogImporter(sink, CallLogImporter.Options.defaults().withMaxClockSkew(Duration.ofHours(1)),
                    (f, read, size, lines) -> {
                    });
            importer.importFile(file);
            stats = importer.finish();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Files.delete(file);
        return new Result(stats.eventsTotal() + stats.logLinesTotal(), seconds, bytes, stats.rejectedTotal() + " rejected");
    }

    // ---- push

    static Result push(Map<String, Object> kafka, List<String> contents, int batch) throws Exception {
        String token = "bench-token-0123456789abcdef";
        CallPushHandler handler = new CallPushHandler(new CallPushHandler.Settings(List.of(token), 64L << 20, 64 * 1024, 1e9, 1_000_000,
                Duration.ofHours(1)), () -> new KafkaCallLogSink(kafka, "bench-push-" + System.nanoTime(), Duration.ofSeconds(60)),
                Clock.systemUTC(), System::nanoTime, new CallPushHandler.Listener() {
                });
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/ingest/calls", x -> {
            String length = x.getRequestHeaders().getFirst("Content-Length");
            CallPushHandler.Response r = handler.handle(x.getRequestHeaders().getFirst("Authorization"),
                    length == null ? -1 : Long.parseLong(length), x.getRequestBody());
            byte[] body = JSON.writeValueAsBytes(r.body());
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(r.status(), body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        // the batches are encoded before the clock starts: the relay's work is not Interlock's
        long ts = System.currentTimeMillis() * 1_000_000L;
        List<byte[]> bodies = new ArrayList<>();
        long bytes = 0;
        for (int from = 0; from < contents.size(); from += batch) {
            StringBuilder b = new StringBuilder();
            for (int i = from; i < Math.min(contents.size(), from + batch); i++) {
                b.append(line(i, ts + i, contents.get(i))).append('\n');
            }
            bodies.add(b.toString().getBytes(StandardCharsets.UTF_8));
            bytes += bodies.get(bodies.size() - 1).length;
        }
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/ingest/calls");
        long published = 0;
        long rejected = 0;
        long start = System.nanoTime();
        try {
            for (byte[] body : bodies) {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("push answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
                }
                var reply = JSON.readTree(r.body());
                published += reply.path("published").path("events").asLong() + reply.path("published").path("logLines").asLong();
                rejected += reply.path("rejectedCount").asLong();
            }
        } finally {
            server.stop(0);
            handler.close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(published, seconds, bytes, bodies.size() + " batches, " + rejected + " rejected");
    }

    // ---- poll

    static Result poll(Map<String, Object> kafka, List<String> contents, int bufferBytes) throws Exception {
        try (FakeReplica replica = new FakeReplica()) {
            CanisterLog log = new CanisterLog(bufferBytes);
            replica.serveLogs(CANISTER, log, Set.of());
            QueryClient q = new QueryClient(replica.url(), HttpClient.newHttpClient(), Duration.ofSeconds(60), 256 << 20, Clock.systemUTC(),
                    Identity.ANONYMOUS);
            CanisterLogSource source = new CanisterLogSource("bench-poll-" + System.nanoTime(), CANISTER,
                    new CanisterLogClient(q, CandidDecoder.Limits.DEFAULT), Identity.ANONYMOUS, Duration.ZERO, bufferBytes, Clock.systemUTC());
            SourceRunner runner = new SourceRunner(source, kafka, () -> new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)),
                    new SimpleMeterRegistry());
            long avg = Math.max(1, contents.stream().mapToLong(c -> c.length() + 24L).sum() / contents.size());
            long ahead = bufferBytes / 2 / avg; // records the writer keeps unread: half the buffer, so none is lost
            long[] bytes = {0};
            for (int i = 0; i < contents.size(); i++) { // measured outside the timed run: it is the bench's work
                bytes[0] += line(i, 1_767_225_600_000_000_000L, contents.get(i)).length();
            }
            Thread writer = new Thread(() -> {
                long seen = 0; // published as last read: the runner's status is read only when the margin is used up
                for (int i = 0; i < contents.size(); i++) {
                    while (i - seen > ahead) {
                        seen = (Long) runner.status().get("published");
                        if (i - seen > ahead) {
                            try {
                                Thread.sleep(0, 200_000);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                    synchronized (log) {
                        log.append(System.currentTimeMillis() * 1_000_000L, contents.get(i));
                    }
                }
            }, "bench-canister");
            Thread t = new Thread(runner, "bench-poll");
            long start = System.nanoTime();
            writer.start();
            t.start();
            long published = 0;
            long lastChange = System.nanoTime();
            while (true) {
                if (runner.status().get("problem") != null) {
                    throw new IllegalStateException("poll: " + runner.status().get("problem"));
                }
                long p = (Long) runner.status().get("published");
                if (p != published) {
                    published = p;
                    lastChange = System.nanoTime();
                }
                // done: the writer finished and nothing more came for a second (the last open message is held back)
                if (!writer.isAlive() && System.nanoTime() - lastChange > 1_000_000_000L) {
                    break;
                }
                Thread.sleep(5);
            }
            double seconds = (lastChange - start) / 1e9;
            runner.stop();
            t.join();
            writer.join();
            Map<String, Object> st = source.status();
            return new Result(published, seconds, bytes[0], "log gaps " + st.get("logGaps") + ", dropped by the buffer " + log.droppedRecords());
        }
    }
}
