package dev.interlock.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.interlock.ic.Principal;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Json;
import dev.interlock.model.Topics;
import dev.interlock.model.trace.TraceReader;
import dev.interlock.sim.SimOptions;
import dev.interlock.sim.Simulation;
import dev.interlock.sim.engine.CanisterLog;
import dev.interlock.sim.engine.LogRecord;
import dev.interlock.sim.engine.SimSink;
import dev.interlock.sim.replica.FakeReplica;
import dev.interlock.sim.scenario.Variant;
import dev.interlock.testsupport.ServiceProcess;
import dev.interlock.testsupport.SharedServices;
import dev.interlock.testsupport.TopicReader;

/**
 * Canister-log polling under SIGKILL: a simulator run (honest traffic on six canisters plus callback-trap incidents,
 * so the logs hold traps) is replayed record by record into the fake replica's canister logs while the service polls
 * them with {@code fetch_canister_logs}, one source per canister. The service is killed at a random moment while
 * records are still arriving and restarted; the committed calls topic then holds every trace event of the run
 * exactly once, each canister's in the simulator's order, equal to what the trace reader makes of the complete logs.
 * The buffers are large enough to hold a whole run, so no record is lost to overflow: this test is about exactly-once
 * over a crash. 100,000 trace events in all; 1,000,000 in the heavy profile.
 */
class CanisterLogCrashRecoveryIT {
    private static final boolean FULL = "full".equals(System.getProperty("interlock.test.scale"));
    private static final int TOTAL = FULL ? 1_000_000 : 100_000;
    /** Records appended to the logs per second: the whole run arrives over about five seconds. */
    private static final int FEED_RATE = TOTAL / 5;
    private static final int BUFFER_BYTES = 512 << 20;

    @TempDir
    Path dir;

    /** One record of a canister's log, in the order the run printed it. */
    private record Printed(Principal canister, LogRecord record) {
    }

    /** The records to replay (all canisters, in print order) and the events each canister's complete log holds. */
    private record Corpus(List<Printed> records, Map<String, List<CallEvent>> expected) {
        int events() {
            return expected.values().stream().mapToInt(List::size).sum();
        }
    }

    /**
     * A simulator run cut after its {@code TOTAL}-th trace event (trace lines and trap records), plus one message-begin
     * line per canister so that each canister's last message ends (the poller holds a message's events until then).
     */
    private static Corpus corpus() {
        List<Printed> all = new ArrayList<>();
        SimOptions options = SimOptions.defaults(20_260_101).withRate(200.0)
                .withDuration(Duration.ofSeconds(140L * TOTAL / 100_000)) // the simulated canisters' rate saturates: scale time
                .withScenarios(List.of(new SimOptions.Choice("callback-trap", Variant.VULNERABLE)))
                .withInstances(4);
        Simulation.run(options, new SimSink() {
            @Override
            public void logRecord(Principal canister, LogRecord record) {
                all.add(new Printed(canister, record));
            }
        });
        List<Printed> cut = new ArrayList<>();
        Map<Principal, LogRecord> last = new LinkedHashMap<>();
        int events = 0;
        for (Printed p : all) {
            if (events == TOTAL) {
                break;
            }
            cut.add(p);
            last.put(p.canister(), p.record());
            if (p.record().content().startsWith("ILK1 ") || p.record().content().startsWith("[TRAP]")) {
                events++;
            }
        }
        assertThat(events).as("trace events in the simulator run").isEqualTo(TOTAL);
        Map<String, List<CallEvent>> expected = new TreeMap<>();
        for (Principal c : last.keySet()) {
            List<CallEvent> out = expected.computeIfAbsent(c.toString(), k -> new ArrayList<>());
            TraceReader reader = new TraceReader(c.toString(), new TraceReader.Output() {
                @Override
                public void event(CallEvent e) {
                    out.add(e);
                }

                @Override
                public void unusable(long idx, String content, String reason) {
                    throw new IllegalStateException("the simulator wrote an unusable line (" + reason + "): " + content);
                }
            });
            cut.stream().filter(p -> p.canister().equals(c)).forEach(p -> reader.accept(p.record().idx(), p.record().timestampNanos(),
                    p.record().content()));
            reader.flush();
        }
        last.forEach((c, r) -> cut.add(new Printed(c, new LogRecord(r.idx() + 1, r.timestampNanos(),
                "ILK1 {\"e\":\"in\",\"x\":\"end-of-test\",\"m\":\"end\",\"f\":\"2vxsx-fae\"}"))));
        return new Corpus(cut, expected);
    }

    /** Appends the corpus to the served logs at {@link #FEED_RATE} records per second, up to a mark that can be raised. */
    private static final class Feeder extends Thread {
        private final List<Printed> records;
        private final Map<Principal, CanisterLog> logs;
        private volatile int limit;
        private final AtomicInteger fed = new AtomicInteger();
        private volatile Throwable failure;

        Feeder(List<Printed> records, Map<Principal, CanisterLog> logs, int limit) {
            super("log-feeder");
            setDaemon(true);
            this.records = records;
            this.logs = logs;
            this.limit = limit;
        }

        void release(int upTo) {
            limit = upTo;
        }

        @Override
        public void run() {
            try {
                long start = System.nanoTime();
                int base = 0;
                while (fed.get() < records.size()) {
                    int due = Math.min(limit, base + (int) ((System.nanoTime() - start) / 1_000_000_000.0 * FEED_RATE));
                    if (fed.get() >= limit) {
                        Thread.sleep(20); // held at the mark: restart the clock when it is raised
                        start = System.nanoTime();
                        base = fed.get();
                        continue;
                    }
                    while (fed.get() < due) {
                        Printed p = records.get(fed.get());
                        CanisterLog log = logs.get(p.canister());
                        synchronized (log) { // the fake replica reads it under the same lock
                            LogRecord appended = log.append(p.record().timestampNanos(), p.record().content());
                            if (appended.idx() != p.record().idx()) {
                                throw new IllegalStateException("replayed idx " + appended.idx() + " for " + p);
                            }
                        }
                        fed.incrementAndGet();
                    }
                    Thread.sleep(5);
                }
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    @Test
    void canisterLogPollingKilledAtARandomMomentEndsWithEveryTraceEventOnceInEachCanistersOrder() throws Exception {
        long t0 = System.nanoTime();
        // the run is simulated while the test JVM's broker and database start
        java.util.concurrent.CompletableFuture<Corpus> building = java.util.concurrent.CompletableFuture.supplyAsync(
                CanisterLogCrashRecoveryIT::corpus);
        SharedServices.kafkaConfig();
        Corpus corpus = building.join();
        Set<String> canisters = corpus.expected().keySet();
        long seed = System.nanoTime();
        int killAfter = (int) (TOTAL * (0.05 + new Random(seed).nextDouble() * 0.35));
        System.out.printf("CanisterLogCrashRecoveryIT: %,d trace events in %,d records of %d canisters (built in %d ms); "
                + "SIGKILL after at least %,d events (seed %d)%n", corpus.events(), corpus.records().size(), canisters.size(),
                (System.nanoTime() - t0) / 1_000_000, killAfter, seed);

        Map<Principal, CanisterLog> logs = new HashMap<>();
        try (FakeReplica replica = new FakeReplica()) {
            ServiceProcess.Builder b = ServiceProcess.builder(dir.resolve("service.log"))
                    .externalServices("canister_log_crash_recovery")
                    .property("interlock.roles", "ingest")
                    .property("interlock.data-dir", dir.resolve("data").toString())
                    .property("interlock.ingest.demo.enabled", "false");
            int i = 0;
            for (String c : canisters) {
                Principal p = Principal.fromText(c);
                CanisterLog log = new CanisterLog(BUFFER_BYTES);
                logs.put(p, log);
                replica.serveLogs(p, log, Set.of());
                String key = "interlock.ingest.canisters.c" + i++ + ".";
                b.property(key + "canister", c).property(key + "gateway", replica.url().toString())
                        .property(key + "poll-interval", "100ms").property(key + "log-buffer-bytes", String.valueOf(BUFFER_BYTES))
                        .property(key + "max-reply-bytes", String.valueOf(256 << 20));
            }
            // until the kill, only the records up to a little past the kill point arrive: the rest is still to come
            Feeder feeder = new Feeder(corpus.records(), logs, Math.min(corpus.records().size(),
                    (int) ((long) corpus.records().size() * killAfter / TOTAL) + corpus.records().size() / 10));
            try (ServiceProcess service = b.build(); Tail tail = new Tail(canisters)) {
                service.start().awaitReady(Duration.ofSeconds(90));
                System.out.printf("CanisterLogCrashRecoveryIT: service ready after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
                feeder.start();
                tail.await(killAfter, Duration.ofSeconds(FULL ? 600 : 120), feeder);
                service.kill();
                int fedAtKill = feeder.fed.get();
                int beforeKill = events(canisters).size();
                System.out.printf("CanisterLogCrashRecoveryIT: killed after %d ms with %,d events on the topic (%,d of %,d "
                        + "records fed)%n", (System.nanoTime() - t0) / 1_000_000, beforeKill, fedAtKill, corpus.records().size());
                assertThat(beforeKill).as("killed while events were still arriving").isBetween(killAfter, TOTAL - 1);
                assertThat(fedAtKill).isLessThan(corpus.records().size());

                service.start().awaitReady(Duration.ofSeconds(90));
                System.out.printf("CanisterLogCrashRecoveryIT: restarted after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
                feeder.release(corpus.records().size());
                tail.await(TOTAL, Duration.ofSeconds(FULL ? 1_200 : 180), feeder);
                System.out.printf("CanisterLogCrashRecoveryIT: all events on the topic after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
                Thread.sleep(1_000); // a duplicate, if any were produced, would show up by now

                Map<String, List<CallEvent>> got = new TreeMap<>();
                for (CallEvent e : events(canisters)) {
                    got.computeIfAbsent(e.canister(), k -> new ArrayList<>()).add(e);
                }
                assertThat(got.keySet()).isEqualTo(canisters);
                for (String c : canisters) {
                    List<String> want = corpus.expected().get(c).stream().map(CallEvent::id).toList();
                    List<String> have = got.get(c).stream().map(CallEvent::id).toList();
                    assertThat(have).as("event ids of %s: each once, in the simulator's order", c).isEqualTo(want);
                    assertThat(got.get(c)).as("events of %s", c).isEqualTo(corpus.expected().get(c));
                }
                assertThat(got.values().stream().mapToInt(List::size).sum()).isEqualTo(TOTAL);
                assertThat(got.values().stream().flatMap(List::stream).filter(e -> e.kind() == dev.interlock.model.CallEventKind.TRAP))
                        .as("the run's traps came through").isNotEmpty();

                JsonNode status = Json.mapper().readTree(ServiceProcess.Http.get(service.baseUrl() + "/api/ingest/status"));
                status.get("sources").forEach(n -> {
                    assertThat(n.get("state").asText()).as(n.get("source").asText()).isEqualTo("running");
                    assertThat(n.get("logGaps").asLong()).as("no record lost to overflow").isZero();
                });
            }
            System.out.printf("CanisterLogCrashRecoveryIT: done after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** This test's call events on the committed topic (read_committed, from the beginning). */
    private static List<CallEvent> events(Set<String> canisters) {
        List<CallEvent> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(SharedServices.kafkaConfig(), Topics.CALLS)) {
            if (canisters.contains(r.key())) {
                out.add(Json.decode(r.value(), CallEvent.class));
            }
        }
        return out;
    }

    /** Counts this test's committed call events as they arrive, without re-reading the topic each time. */
    private static final class Tail implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Set<String> canisters;
        private int count;

        Tail(Set<String> canisters) {
            this.canisters = canisters;
            Map<String, Object> props = new HashMap<>(SharedServices.kafkaConfig());
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        }

        void await(int atLeast, Duration timeout, Feeder feeder) throws InterruptedException {
            if (consumer.assignment().isEmpty()) {
                List<TopicPartition> partitions = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (partitions.isEmpty() && System.nanoTime() < deadline) {
                    consumer.partitionsFor(Topics.CALLS, Duration.ofSeconds(10))
                            .forEach(p -> partitions.add(new TopicPartition(Topics.CALLS, p.partition())));
                    Thread.sleep(partitions.isEmpty() ? 200 : 0);
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (count < atLeast) {
                if (feeder.failure != null) {
                    throw new AssertionError("feeding the logs failed", feeder.failure);
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("fewer than " + atLeast + " events within " + timeout + " (have " + count + ", fed "
                            + feeder.fed.get() + " records)");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (canisters.contains(r.key())) {
                        count++;
                    }
                }
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
