package dev.interlock.ingest.source.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.interlock.ic.Principal;
import dev.interlock.ingest.publish.CursorStore;
import dev.interlock.ingest.runtime.Backoff;
import dev.interlock.ingest.runtime.SourceRunner;
import dev.interlock.model.IngressEvent;
import dev.interlock.model.Json;
import dev.interlock.model.Topics;
import dev.interlock.testsupport.SharedServices;
import dev.interlock.testsupport.TopicReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;

/** The boundary-node source under the real runner and the embedded broker: a restart publishes nothing twice. */
class BoundaryNodeKafkaTest {
    private final Map<String, Object> kafka = SharedServices.kafkaConfig();

    private List<ConsumerRecord<String, byte[]>> ingress(String canister, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<ConsumerRecord<String, byte[]>> got = read(canister);
        while (got.size() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(100);
            got = read(canister);
        }
        return got;
    }

    private List<ConsumerRecord<String, byte[]>> read(String canister) {
        return TopicReader.readAll(kafka, Topics.INGRESS).stream().filter(r -> canister.equals(r.key())).toList();
    }

    private static Thread run(SourceRunner runner) {
        Thread t = new Thread(runner, "test-runner");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The sources' Vert.x, apart from the log server's. */
    private static final Vertx CLIENT_VERTX = Vertx.vertx();

    private static BoundaryNodeSource source(String canister, LogServer node) {
        BoundaryNodeSettings s = new BoundaryNodeSettings(canister, List.of(node.url()), Duration.ofMillis(50), Duration.ofMillis(200),
                Duration.ofSeconds(5), Duration.ofSeconds(1), 10_000, 65_536, Duration.ofMillis(100), Duration.ofMinutes(5),
                Duration.ofMillis(50), 5_000);
        return new BoundaryNodeSource("boundary-kafka-test", s, CLIENT_VERTX, Clock.systemUTC(), null);
    }

    @Test
    void aRestartedRunnerResumesFromTheCommittedCursorAndPublishesNoEventTwice() throws Exception {
        String canister = Principal.canister(7301).toString();
        Instant t = Instant.now().minusSeconds(60);
        List<String> served = new CopyOnWriteArrayList<>(IntStream.range(0, 5)
                .mapToObj(i -> AccessLogFixture.line(canister, "k-" + i, t.plusMillis(i), "call", "icrc1_transfer", 202, null,
                        "0f1e2d3c4b5a69788796a5b4c3d2e1f0")).toList());
        Vertx vertx = Vertx.vertx();
        try (LogServer node = LogServer.start(vertx, 0, (server, ws, n) -> served.forEach(l -> LogServer.send(ws, l)))) {
            SourceRunner first = new SourceRunner(source(canister, node), kafka,
                    () -> new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), new SimpleMeterRegistry());
            Thread firstThread = run(first);
            assertThat(ingress(canister, 5)).hasSize(5);
            first.stop();
            firstThread.join(20_000);
            String committed = CursorStore.lastCursor(kafka, "boundary-kafka-test", Duration.ofSeconds(10)).orElseThrow();
            assertThat(committed).contains("\"ids\":[\"127.0.0.1:" + node.port() + "/k-4\"]");

            // the relay serves what it has from the start again, plus three new requests
            IntStream.range(5, 8).mapToObj(i -> AccessLogFixture.line(canister, "k-" + i, t.plusMillis(i), "query", "icrc1_balance_of",
                    200, null, "0f1e2d3c4b5a69788796a5b4c3d2e1f0")).forEach(served::add);
            SourceRunner second = new SourceRunner(source(canister, node), kafka,
                    () -> new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), new SimpleMeterRegistry());
            Thread secondThread = run(second);
            List<ConsumerRecord<String, byte[]>> all = ingress(canister, 8);
            Thread.sleep(1_000);
            all = read(canister);
            second.stop();
            secondThread.join(20_000);

            assertThat(node.connections()).isEqualTo(2);
            assertThat(all).extracting(r -> Json.decode(r.value(), IngressEvent.class).requestId())
                    .containsExactly("k-0", "k-1", "k-2", "k-3", "k-4", "k-5", "k-6", "k-7");
            assertThat(all).extracting(r -> new String(r.headers().lastHeader(Topics.HEADER_DEDUP_KEY).value(), StandardCharsets.UTF_8))
                    .doesNotHaveDuplicates().allMatch(k -> k.startsWith("127.0.0.1:" + node.port() + "/k-"));
            assertThat(second.status()).containsEntry("repeatedSkipped", 5L).containsEntry("published", 3L);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
