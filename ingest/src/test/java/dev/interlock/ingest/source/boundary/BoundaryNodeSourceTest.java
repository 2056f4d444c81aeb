package dev.interlock.ingest.source.boundary;

import static dev.interlock.ingest.source.boundary.AccessLogFixture.CANISTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.interlock.ingest.source.SourceBatch;
import dev.interlock.ingest.source.SourceException;
import dev.interlock.model.IngestRecord;
import dev.interlock.model.IngressEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;

class BoundaryNodeSourceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Vertx vertx = Vertx.vertx();
    /** The sources' own Vert.x, apart from the servers' as it would be from a real node's. */
    private final Vertx clientVertx = Vertx.vertx();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get();
        clientVertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private LogServer server(LogServer.OnConnect onConnect) {
        return server(0, onConnect);
    }

    private LogServer server(int port, LogServer.OnConnect onConnect) {
        LogServer s = LogServer.start(vertx, port, onConnect);
        closing.add(s);
        return s;
    }

    private static BoundaryNodeSettings settings(int bufferLines, Duration reorderWindow, int maxBatch, URI... nodes) {
        return new BoundaryNodeSettings(CANISTER, List.of(nodes), Duration.ofMillis(50), Duration.ofMillis(200),
                Duration.ofSeconds(5), Duration.ofSeconds(1), bufferLines, 65_536, reorderWindow, Duration.ofMinutes(5),
                Duration.ofMillis(20), maxBatch);
    }

    private BoundaryNodeSource source(BoundaryNodeSettings settings, SimpleMeterRegistry registry) {
        BoundaryNodeSource s = new BoundaryNodeSource("boundary-test", settings, clientVertx, Clock.systemUTC(), registry);
        closing.add(s::close);
        return s;
    }

    private BoundaryNodeSource source(URI... nodes) {
        return source(settings(10_000, Duration.ZERO, 5_000, nodes), null);
    }

    /** What the runner would have published: polls from the cursor of each batch, as if every batch committed. */
    private static final class Run {
        final List<IngressEvent> events = new ArrayList<>();
        final List<SourceBatch.Rejected> rejected = new ArrayList<>();
        String cursor;

        Run(String cursor) {
            this.cursor = cursor;
        }

        Run until(BoundaryNodeSource source, Predicate<Run> done) throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!done.test(this)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out with " + events.size() + " events, " + rejected.size() + " rejected; status "
                            + source.status());
                }
                SourceBatch b;
                try {
                    b = source.poll(cursor);
                } catch (SourceException e) {
                    if (!e.retryable()) {
                        throw e;
                    }
                    Thread.sleep(20);
                    continue;
                }
                for (IngestRecord r : b.records()) {
                    events.add((IngressEvent) r);
                }
                rejected.addAll(b.rejected());
                cursor = b.cursor();
                Thread.sleep(10);
            }
            return this;
        }

        List<String> requestIds() {
            return events.stream().map(IngressEvent::requestId).toList();
        }

        List<String> reasons() {
            return rejected.stream().map(SourceBatch.Rejected::reason).toList();
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Messages the source received from a node so far. */
    @SuppressWarnings("unchecked")
    private static long messages(BoundaryNodeSource source, LogServer node) {
        Map<String, Object> nodes = (Map<String, Object>) source.status().get("nodes");
        Map<String, Object> status = (Map<String, Object>) nodes.get("127.0.0.1:" + node.port());
        return status == null ? 0 : (Long) status.get("messages");
    }

    private static List<String> requestIdsOf(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll(".*\"request_id\":\"([^\"]+)\".*", "$1")).toList();
    }

    /** Request ids and lines stamped from {@code start}, one every millisecond. */
    private static List<String> generated(String prefix, Instant start, int count, int step) {
        return IntStream.range(0, count).mapToObj(i -> AccessLogFixture.line(prefix + "-" + i,
                start.plusMillis((long) i * step))).toList();
    }

    @Test
    void aRecordedStreamIsPublishedAsIngressEventsInItsOrderFromTheCanistersPath() throws Exception {
        List<String> recorded = AccessLogFixture.recorded();
        LogServer node = server(LogServer.replaying(recorded));
        BoundaryNodeSource source = source(node.url());

        Run run = new Run(null).until(source, r -> r.events.size() == 12);

        assertThat(node.paths()).containsExactly("/logs/canister/" + CANISTER);
        assertThat(run.requestIds()).containsExactlyElementsOf(requestIdsOf(recorded));
        assertThat(run.events).extracting(IngressEvent::boundaryNode).containsOnly("127.0.0.1:" + node.port());
        assertThat(run.events).extracting(IngressEvent::clientHash).containsOnlyOnce((String) null)
                .contains("ab6e7b821eb97295e3d20cec94160288", "3f9d02c41a7e58b6c0e2d94ab1f07c55");
        assertThat(run.events).filteredOn(IngressEvent::failed).extracting(IngressEvent::errorCause)
                .containsExactly("rate_limited_normal", "rate_limited_normal", "replica_timeout", "no_healthy_nodes");
        assertThat(run.rejected).isEmpty();
        assertThat(run.cursor).contains("\"127.0.0.1:" + node.port() + "\":{\"t\":1752739962071553260");
        @SuppressWarnings("unchecked")
        Map<String, Object> nodeStatus = (Map<String, Object>) ((Map<String, Object>) source.status().get("nodes"))
                .get("127.0.0.1:" + node.port());
        assertThat(nodeStatus).containsEntry("state", "open").containsEntry("connects", 1L).containsEntry("messages", 12L);
    }

    @Test
    void twoNodesStreamsAreMergedInTimestampOrderWithinTheReorderWindow() throws Exception {
        Instant t0 = Instant.now().minusSeconds(60);
        // node A logs the even milliseconds, node B the odd ones; B's lines reach us 300 ms after A's
        List<String> a = IntStream.range(0, 10).mapToObj(i -> AccessLogFixture.line("a-" + i, t0.plusMillis(2L * i))).toList();
        List<String> b = IntStream.range(0, 10).mapToObj(i -> AccessLogFixture.line("b-" + i, t0.plusMillis(2L * i + 1))).toList();
        LogServer nodeA = server(LogServer.live());
        LogServer nodeB = server(LogServer.live());
        BoundaryNodeSource source = source(settings(10_000, Duration.ofSeconds(1), 5_000, nodeA.url(), nodeB.url()), null);
        Run run = new Run(null);
        run.until(source, r -> nodeA.subscribers() == 1 && nodeB.subscribers() == 1);

        a.forEach(nodeA::broadcast);
        Thread.sleep(300);
        b.forEach(nodeB::broadcast);
        run.until(source, r -> r.events.size() == 20);

        assertThat(run.requestIds()).containsExactly("a-0", "b-0", "a-1", "b-1", "a-2", "b-2", "a-3", "b-3", "a-4", "b-4", "a-5",
                "b-5", "a-6", "b-6", "a-7", "b-7", "a-8", "b-8", "a-9", "b-9");
        assertThat(run.events).extracting(IngressEvent::boundaryNode).containsOnly("127.0.0.1:" + nodeA.port(),
                "127.0.0.1:" + nodeB.port());
        assertThat(run.events).extracting(IngressEvent::timeNanos).isSorted();
        assertThat(run.cursor).contains("127.0.0.1:" + nodeA.port()).contains("127.0.0.1:" + nodeB.port());
    }

    @Test
    void aNodeThatDropsTheConnectionIsReconnectedAndItsStreamContinues() throws Exception {
        List<String> lines = generated("r", Instant.now().minusSeconds(30), 9, 1);
        LogServer node = server((server, ws, n) -> {
            // each subscriber gets the next three lines, then the node closes the connection: first with ic-boundary's
            // code 410 ("Closed due to inactivity", outside the codes RFC 6455 allows), then with 1001 (going away)
            lines.subList(3 * (n - 1), Math.min(lines.size(), 3 * n)).forEach(l -> LogServer.send(ws, l));
            if (n < 3) {
                server.vertx().setTimer(50, id -> ws.close((short) (n == 1 ? 410 : 1001), "Closed due to inactivity"));
            }
        });
        BoundaryNodeSource source = source(node.url());

        Run run = new Run(null).until(source, r -> r.events.size() == 9);

        assertThat(run.requestIds()).containsExactlyElementsOf(requestIdsOf(lines));
        assertThat(node.connections()).isEqualTo(3);
        @SuppressWarnings("unchecked")
        Map<String, Object> nodeStatus = (Map<String, Object>) ((Map<String, Object>) source.status().get("nodes"))
                .get("127.0.0.1:" + node.port());
        assertThat(nodeStatus).containsEntry("connects", 3L).containsEntry("failures", 2L);
        assertThat((String) nodeStatus.get("lastError")).isEqualTo("closed by the node with code 1001 (Closed due to inactivity)");
    }

    @Test
    void aNodeThatIsDownIsReportedUnreachableAndReadOnceItComesUp() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        BoundaryNodeSource source = source(URI.create("ws://127.0.0.1:" + port));
        assertThat(source.poll(null).isEmpty()).isTrue();
        await("the first connection attempt to fail", () -> {
            try {
                source.poll(null);
                return false;
            } catch (SourceException e) {
                return true;
            }
        });
        assertThatThrownBy(() -> source.poll(null)).isInstanceOfSatisfying(SourceException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.reason()).isEqualTo(SourceException.Reason.UNREACHABLE);
            assertThat(e.getMessage()).startsWith("no boundary node streams the logs of " + CANISTER + ": 127.0.0.1:" + port + ": ");
        });

        List<String> lines = generated("late", Instant.now().minusSeconds(5), 4, 1);
        server(port, LogServer.replaying(lines));
        Run run = new Run(null).until(source, r -> r.events.size() == 4);

        assertThat(run.requestIds()).containsExactly("late-0", "late-1", "late-2", "late-3");
    }

    @Test
    void malformedLinesAreQuarantinedWithTheirReasonWhileTheGoodOnesPass() throws Exception {
        Instant t = Instant.now().minusSeconds(10);
        List<String> lines = List.of(
                AccessLogFixture.line("good-1", t),
                "{not json",
                AccessLogFixture.line("good-2", t.plusMillis(1)).replace("\"http_status\":200", "\"http_status\":\"ok\""),
                AccessLogFixture.line("good-3", t.plusMillis(2)).replace(CANISTER, "ryjl3-tyaaa-aaaaa-aaaba-cai"),
                AccessLogFixture.line("good-4", t.plusMillis(3)),
                AccessLogFixture.line("future", Instant.now().plus(Duration.ofHours(1))),
                "{\"ic_canister_id\":\"" + CANISTER + "\",\"padding\":\"" + "x".repeat(70_000) + "\"}",
                AccessLogFixture.line("good-5", t.plusMillis(4)) + "\n" + AccessLogFixture.line("good-6", t.plusMillis(5)));
        LogServer node = server(LogServer.replaying(lines));
        BoundaryNodeSource source = source(node.url());

        Run run = new Run(null).until(source, r -> r.events.size() == 4 && r.rejected.size() == 5);

        String prefix = "boundary node 127.0.0.1:" + node.port() + ": ";
        assertThat(run.requestIds()).containsExactly("good-1", "good-4", "good-5", "good-6");
        assertThat(run.reasons()).hasSize(5);
        assertThat(run.reasons().get(0)).startsWith(prefix + "not JSON: ");
        assertThat(run.reasons().get(1)).isEqualTo(prefix + "http_status is not an HTTP status code: \"ok\"");
        assertThat(run.reasons().get(2)).isEqualTo(prefix + "ic_canister_id is ryjl3-tyaaa-aaaaa-aaaba-cai, but this stream is for "
                + CANISTER);
        assertThat(run.reasons().get(3)).startsWith(prefix + "timestamp ").contains("ahead of this server's clock, beyond max-clock-skew (PT5M)");
        assertThat(run.reasons().get(4)).startsWith(prefix + "message of ").endsWith("bytes is longer than max-line-bytes (65536)");
        assertThat(run.rejected).extracting(SourceBatch.Rejected::key).containsOnly(CANISTER);
        assertThat(new String(run.rejected.get(0).raw(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(run.rejected.get(4).raw()).hasSize(1024);
        assertThat(source.rejectedByReasonSnapshot()).containsExactlyInAnyOrderEntriesOf(Map.of("not-json", 1L, "bad-field", 1L,
                "wrong-canister", 1L, "clock-skew", 1L, "too-long", 1L));
    }

    @Test
    void aLineArrivingBehindOnesAlreadyPublishedIsQuarantinedAsOutOfOrder() throws Exception {
        Instant t = Instant.now().minusSeconds(10);
        LogServer node = server(LogServer.live());
        BoundaryNodeSource source = source(node.url());
        Run run = new Run(null).until(source, r -> node.subscribers() == 1);

        node.broadcast(AccessLogFixture.line("newer", t.plusSeconds(5)));
        run.until(source, r -> r.events.size() == 1);
        node.broadcast(AccessLogFixture.line("older", t));
        run.until(source, r -> r.rejected.size() == 1);

        assertThat(run.requestIds()).containsExactly("newer");
        assertThat(run.reasons().get(0)).contains("out of order: timestamp " + t + " is 5000 ms before the last published event of "
                + CANISTER).endsWith("it arrived later than reorder-window (PT0S) allows");
    }

    @Test
    void aFullBufferDropsLinesAndCountsThemWithoutHoldingBackTheStream() throws Exception {
        LogServer node = server(LogServer.live());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BoundaryNodeSource source = source(settings(10, Duration.ZERO, 5_000, node.url()), registry);
        Run run = new Run(null).until(source, r -> node.subscribers() == 1);

        List<String> burst = generated("burst", Instant.now().minusSeconds(20), 50, 1);
        burst.forEach(node::broadcast);
        await("the burst to arrive", () -> messages(source, node) == 50);
        run.until(source, r -> r.events.size() == 10);

        assertThat(run.requestIds()).containsExactlyElementsOf(requestIdsOf(burst.subList(0, 10)));
        assertThat(source.dropped()).containsExactly(Map.entry("127.0.0.1:" + node.port(), 40L));
        assertThat(registry.get("interlock.ingest.boundary.dropped").tag("node", "127.0.0.1:" + node.port()).counter().count())
                .isEqualTo(40.0);
        assertThat(source.status()).containsEntry("dropped", 40L);

        List<String> after = generated("after", Instant.now().minusSeconds(10), 5, 1);
        after.forEach(node::broadcast);
        run.until(source, r -> r.events.size() == 15);
        assertThat(run.requestIds().subList(10, 15)).containsExactly("after-0", "after-1", "after-2", "after-3", "after-4");
    }

    @Test
    void aRestartFromTheCommittedCursorDoesNotRepublishWhatWasCommitted() throws Exception {
        Instant t = Instant.now().minusSeconds(30);
        List<String> first = new ArrayList<>(generated("c", t, 4, 1));
        // a fifth line at the same nanosecond as the fourth: only the ids at the cursor's timestamp tell them apart
        first.add(AccessLogFixture.line("c-4", t.plusMillis(3)));
        List<String> later = generated("n", t.plusSeconds(1), 3, 1);
        List<String> served = new ArrayList<>(first);
        // a relay that replays everything it has to each subscriber
        LogServer node = server((server, ws, n) -> served.forEach(l -> LogServer.send(ws, l)));

        BoundaryNodeSource before = source(settings(10_000, Duration.ZERO, 4, node.url()), null);
        assertThat(before.poll(null).isEmpty()).isTrue();
        await("the relay's five lines", () -> messages(before, node) == 5);
        SourceBatch batch = before.poll(null);
        // the runner committed this first batch of four (max-batch), c-0..c-3, and then the process died
        assertThat(batch.records()).extracting(r -> ((IngressEvent) r).requestId()).containsExactly("c-0", "c-1", "c-2", "c-3");
        String cursor = batch.cursor();
        before.close();
        served.addAll(later);

        BoundaryNodeSource after = source(settings(10_000, Duration.ZERO, 4, node.url()), null);
        Run resumed = new Run(cursor).until(after, r -> r.events.size() == 4);
        Thread.sleep(200);
        resumed.until(after, r -> true);

        assertThat(resumed.requestIds()).containsExactly("c-4", "n-0", "n-1", "n-2");
        assertThat(after.status()).containsEntry("repeatedSkipped", 4L);
        assertThat(node.connections()).isEqualTo(2);
    }

    @Test
    void theSameLineTwiceOnOneConnectionIsPublishedOnce() throws Exception {
        String line = AccessLogFixture.line("twice", Instant.now().minusSeconds(5));
        LogServer node = server(LogServer.replaying(List.of(line, line, AccessLogFixture.line("once", Instant.now().minusSeconds(4)))));
        BoundaryNodeSource source = source(node.url());

        Run run = new Run(null).until(source, r -> r.events.size() == 2);
        Thread.sleep(100);
        run.until(source, r -> true);

        assertThat(run.requestIds()).containsExactly("twice", "once");
        assertThat(source.status()).containsEntry("repeatedSkipped", 1L);
    }

    @Test
    void aNodeThatAcceptsButFallsSilentIsDroppedAfterThreePingIntervalsAndReconnected() throws Exception {
        try (SilentNode silent = new SilentNode()) {
            BoundaryNodeSettings s = new BoundaryNodeSettings(CANISTER, List.of(URI.create("ws://127.0.0.1:" + silent.port())),
                    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMillis(100), 100, 65_536,
                    Duration.ZERO, Duration.ofMinutes(5), Duration.ofMillis(20), 100);
            BoundaryNodeSource source = source(s, null);
            source.poll(null);

            @SuppressWarnings("unchecked")
            java.util.function.Supplier<Map<String, Object>> nodeStatus = () -> (Map<String, Object>) ((Map<String, Object>) source
                    .status().get("nodes")).get("127.0.0.1:" + silent.port());
            await("the silent connection to be dropped", () -> String.valueOf(nodeStatus.get().get("lastError"))
                    .startsWith("no message and no pong for "));
            await("a second connection after the first went silent", () -> silent.connections() >= 2);

            assertThat((Long) nodeStatus.get().get("connects")).isGreaterThanOrEqualTo(1L);
            assertThat(silent.requests().get(0)).startsWith("GET /logs/canister/" + CANISTER + " HTTP/1.1");
        }
    }

    @Test
    void aWssNodeWhoseCertificateIsNotTrustedIsRefusedBeforeAnyUpgrade() throws Exception {
        io.vertx.core.net.SelfSignedCertificate cert = io.vertx.core.net.SelfSignedCertificate.create("localhost");
        java.util.concurrent.atomic.AtomicInteger upgrades = new java.util.concurrent.atomic.AtomicInteger();
        io.vertx.core.http.HttpServer tls = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setHost("127.0.0.1")
                .setPort(0).setSsl(true).setKeyCertOptions(cert.keyCertOptions()))
                .webSocketHandler(ws -> upgrades.incrementAndGet());
        tls.listen().toCompletionStage().toCompletableFuture().get();
        closing.add(() -> tls.close().toCompletionStage().toCompletableFuture().get());
        URI node = URI.create("wss://localhost:" + tls.actualPort());
        BoundaryNodeSource source = source(node);
        source.poll(null);

        @SuppressWarnings("unchecked")
        java.util.function.Supplier<Map<String, Object>> status = () -> (Map<String, Object>) ((Map<String, Object>) source
                .status().get("nodes")).get(BoundaryNodeSettings.nodeName(node));
        await("the TLS handshake to fail", () -> status.get().get("lastError") != null);

        assertThat(String.valueOf(status.get().get("lastError"))).as("names the certificate problem")
                .startsWith("TLS handshake failed: ").contains("certification path")
                .endsWith("(wss:// nodes must present a certificate this JVM's trust store accepts, for the host in the URL)");
        assertThat(status.get().get("state")).isNotEqualTo("open");
        assertThat(upgrades.get()).as("no WebSocket upgrade reached the untrusted node").isZero();
    }

    @Test
    void aQuietNodeThatAnswersPingsStaysConnectedOverManyPingIntervals() throws Exception {
        LogServer node = server((server, ws, n) -> { });
        BoundaryNodeSettings s = new BoundaryNodeSettings(CANISTER, List.of(node.url()), Duration.ofMillis(50),
                Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMillis(50), 100, 65_536, Duration.ZERO,
                Duration.ofMinutes(5), Duration.ofMillis(20), 100);
        BoundaryNodeSource source = source(s, null);
        source.poll(null);
        await("the connection to open", () -> node.connections() == 1 && source.status().get("nodesOpen").equals(1L));

        Thread.sleep(1_000); // 20 ping intervals, each answered by the node's pong

        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) ((Map<String, Object>) source.status().get("nodes"))
                .get(BoundaryNodeSettings.nodeName(node.url()));
        assertThat(status).containsEntry("state", "open").containsEntry("connects", 1L).containsEntry("failures", 0L);
        assertThat(node.connections()).isEqualTo(1);
    }

    /**
     * A node that completes the WebSocket handshake and then never sends anything, not even a pong (a half-dead peer
     * behind a load balancer): only the source's own pings can notice it.
     */
    private static final class SilentNode implements AutoCloseable {
        private final java.net.ServerSocket socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Thread acceptor;

        SilentNode() throws java.io.IOException {
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        java.net.Socket c = socket.accept();
                        accepted.add(c);
                        var in = new java.io.BufferedReader(new java.io.InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII));
                        StringBuilder request = new StringBuilder();
                        String key = null;
                        for (String l = in.readLine(); l != null && !l.isEmpty(); l = in.readLine()) {
                            request.append(l).append("\n");
                            if (l.toLowerCase(java.util.Locale.ROOT).startsWith("sec-websocket-key:")) {
                                key = l.substring(l.indexOf(':') + 1).trim();
                            }
                        }
                        requests.add(request.toString());
                        String accept = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-1")
                                .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
                        c.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        c.getOutputStream().flush();
                    } catch (Exception e) {
                        // closed
                    }
                }
            }, "silent-node");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return requests.size();
        }

        List<String> requests() {
            return List.copyOf(requests);
        }

        @Override
        public void close() throws Exception {
            socket.close();
            for (java.net.Socket c : accepted) {
                c.close();
            }
        }
    }

    @Test
    void aBatchWhosePublishFailedIsHandedOutAgainFromTheCommittedCursor() throws Exception {
        List<String> lines = generated("p", Instant.now().minusSeconds(30), 3, 1);
        LogServer node = server(LogServer.replaying(lines));
        BoundaryNodeSource source = source(node.url());
        assertThat(source.poll(null).isEmpty()).isTrue();
        await("the three lines", () -> messages(source, node) == 3);

        SourceBatch first = source.poll(null);
        // the runner could not publish: it polls again from the committed cursor (null), and may rewind
        SourceBatch again = source.poll(null);
        source.rewind();
        SourceBatch third = source.poll(null);

        assertThat(first.records()).extracting(r -> ((IngressEvent) r).requestId()).containsExactly("p-0", "p-1", "p-2");
        assertThat(again.records()).containsExactlyElementsOf(first.records());
        assertThat(again.cursor()).isEqualTo(first.cursor());
        assertThat(third.records()).containsExactlyElementsOf(first.records());
        SourceBatch next = source.poll(third.cursor());
        assertThat(next.records()).isEmpty();
        assertThat(next.cursor()).isEqualTo(third.cursor());
        assertThat(source.pauseAfter(next)).isEqualTo(Duration.ofMillis(20));
    }
}
