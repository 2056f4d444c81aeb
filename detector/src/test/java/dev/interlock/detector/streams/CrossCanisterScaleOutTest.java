package dev.interlock.detector.streams;

import static dev.interlock.detector.streams.CrossCanisterEvents.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.interlock.detector.core.DetectorEngine;
import dev.interlock.model.Alert;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Json;
import dev.interlock.model.LedgerBlock;
import dev.interlock.testsupport.SharedServices;
import dev.interlock.testsupport.TopicReader;

/**
 * Scale-out through the repartition topics, over the embedded broker: the same input (canisters
 * and ledgers spread over four partitions) runs once through one Kafka Streams instance and once
 * through two instances of another application id that split the tasks between them; both runs
 * raise the same alerts, each exactly once.
 */
class CrossCanisterScaleOutTest {
    private static final int PARTITIONS = 4;
    private static final Duration TICK = Duration.ofMillis(500);
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final Duration DELAY = Duration.ofSeconds(3);

    private final Map<String, Object> kafka = SharedServices.kafkaConfig();

    @TempDir
    Path stateDirs;

    /** calls, ledger blocks, reconcile, call graph, ingress, payments: one task per sub-topology and partition. */
    private static final int SUBTOPOLOGIES = 6;
    private static final String SHOP_A = "rrkah-fqaaa-aaaaa-aaaaq-cai";
    private static final String SHOP_B = "r7inp-6aaaa-aaaaa-aaabq-cai";

    @Test
    void twoInstancesRaiseTheSameCrossCanisterAlertsAsOneEachOnce() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        DetectorTopology.TopicNames single = DetectorTopology.TopicNames.DEFAULT.withPrefix("scale-" + run + "-one.");
        DetectorTopology.TopicNames pair = DetectorTopology.TopicNames.DEFAULT.withPrefix("scale-" + run + "-two.");
        createTopics(single);
        createTopics(pair);
        List<KafkaStreams> all = new ArrayList<>();
        try {
            KafkaStreams one = start(single, "scale-one-" + run, "one", all);
            KafkaStreams twoA = start(pair, "scale-two-" + run, "two-a", all);
            KafkaStreams twoB = start(pair, "scale-two-" + run, "two-b", all);
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).until(() ->
                    all.stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING)
                            && activeTasks(one) == SUBTOPOLOGIES * PARTITIONS
                            && activeTasks(twoA) > 0 && activeTasks(twoB) > 0
                            && activeTasks(twoA) + activeTasks(twoB) == SUBTOPOLOGIES * PARTITIONS);

            publish(single);
            publish(pair);

            Set<String> expected = Set.of(
                    "CALL_CYCLE/cyc0-a:k1>cyc0-b:k7>cyc0-c:k3",
                    "CALL_CYCLE/cyc1-a:k1>cyc1-b:k7>cyc1-c:k3",
                    "CALL_CYCLE/cyc2-a:k1>cyc2-b:k7>cyc2-c:k3",
                    "LEDGER_RECONCILIATION/bridge-1/n2/k2",
                    "LEDGER_RECONCILIATION/bridge-2/n5/k5",
                    "LEDGER_RECONCILIATION/" + SHOP_A + "/block/ledger-x/4",
                    "LEDGER_RECONCILIATION/" + SHOP_B + "/s1/k1/no-block");
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                        new TreeSet<>(dedupKeys(single)).containsAll(expected)
                                && new TreeSet<>(dedupKeys(pair)).containsAll(expected));
            } catch (RuntimeException e) {
                throw new AssertionError("not every expected alert came within 30 s; one instance raised "
                        + dedupKeys(single) + ", two instances " + dedupKeys(pair), e);
            }
            // Time for any alert that should not be there to show up too.
            Thread.sleep(TICK.multipliedBy(4).toMillis());

            List<String> byOne = dedupKeys(single);
            List<String> byTwo = dedupKeys(pair);
            assertThat(byOne).as("one instance").containsExactlyInAnyOrderElementsOf(expected);
            assertThat(byTwo).as("two instances").containsExactlyInAnyOrderElementsOf(byOne);
        } finally {
            all.forEach(s -> s.close(Duration.ofSeconds(20)));
        }
    }

    private static int activeTasks(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum();
    }

    private List<String> dedupKeys(DetectorTopology.TopicNames topics) {
        return TopicReader.readAll(kafka, topics.alerts()).stream()
                .map(r -> Json.decode(r.value(), Alert.class).dedupKey()).toList();
    }

    private KafkaStreams start(DetectorTopology.TopicNames topics, String applicationId, String dir,
            List<KafkaStreams> all) {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDirs.resolve(dir).toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 10_000);
        props.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 1_000);
        DetectorTopology.Options options = DetectorTopology.Options.DEFAULT.withTick(TICK).withReconcileWindow(WINDOW)
                .withCycleDelay(DELAY).withTopics(topics);
        KafkaStreams streams = new KafkaStreams(DetectorTopology.build(
                () -> DetectorEngine.withDefaults(Duration.ofHours(1)), DetectorMetrics.NONE, options), props);
        all.add(streams);
        streams.start();
        return streams;
    }

    private void createTopics(DetectorTopology.TopicNames topics) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(kafka)) {
            admin.createTopics(topics.all().stream().map(t -> new NewTopic(t, PARTITIONS, (short) 1)).toList()).all()
                    .get();
        }
    }

    /** Three call cycles, two chains that are no cycle, six notifies of which two expect a block that never comes. */
    private static CrossCanisterEvents calls() {
        CrossCanisterEvents t = new CrossCanisterEvents();
        for (int i = 0; i < 3; i++) {
            String a = "cyc" + i + "-a";
            String b = "cyc" + i + "-b";
            String c = "cyc" + i + "-c";
            long at = i * 10L;
            t.open(a, at, "a1", "user", null).call(a, at + 1, "a1", "k1", b)
                    .open(b, at + 2, "b1", a, "k1").call(b, at + 3, "b1", "k7", c)
                    .open(c, at + 4, "c1", b, "k7").call(c, at + 5, "c1", "k3", a)
                    .open(a, at + 6, "a2", c, "k3").answered(c, at + 900, "c1", "k3")
                    .answered(b, at + 901, "b1", "k7").answered(a, at + 902, "a1", "k1");
        }
        // The first call was answered before the last one was made: no cycle.
        t.open("early-a", 0, "a1", "user", null).call("early-a", 1, "a1", "k1", "early-b")
                .answered("early-a", 4, "a1", "k1")
                .open("early-b", 2, "b1", "early-a", "k1").call("early-b", 3, "b1", "k7", "early-c")
                .open("early-c", 4, "c1", "early-b", "k7").call("early-c", 5, "c1", "k3", "early-a")
                .answered("early-c", 500, "c1", "k3").answered("early-b", 501, "b1", "k7");
        // A chain that leaves the monitored canisters.
        t.open("chain-a", 0, "a1", "user", null).call("chain-a", 1, "a1", "k1", "chain-b")
                .open("chain-b", 2, "b1", "chain-a", "k1").call("chain-b", 3, "b1", "k7", "outside")
                .answered("chain-b", 400, "b1", "k7").answered("chain-a", 401, "a1", "k1");
        t.write("bridge-1", 0, "n0")
                .notify("bridge-1", 1, "n1", "k1", "acct-1", 100, "01")
                .notify("bridge-1", 2, "n2", "k2", "acct-2", 200, "02");
        t.journalIntent("bridge-2", 0, "n3", "req-3").notify("bridge-2", 1, "n3", "k3", "acct-3", 300, null)
                .journalResult("bridge-2", 2_000, "n9", "req-3")
                .notify("bridge-2", 3, "n4", "k4", "acct-4", 400, null)
                .notify("bridge-2", 4, "n5", "k5", "acct-5", 500, null);
        t.notify("bridge-3", 1, "n6", "k6", "acct-6", 600, null);
        // Payments: shop A's transfer paid in block 3 and a block 4 no call of its explains; shop B told its
        // transfer was paid in block 2 of ledger-y, which pays someone else.
        t.open(SHOP_A, 0, "s1", "user", null).transfer(SHOP_A, 1, "s1", "k1", "ledger-x", "acct-7", 700)
                .paid(SHOP_A, 20, "s1", "k1", 3).open(SHOP_A, 200_000, "s2", "user", null);
        t.open(SHOP_B, 0, "s1", "user", null).transfer(SHOP_B, 1, "s1", "k1", "ledger-y", "acct-8", 800)
                .paid(SHOP_B, 20, "s1", "k1", 2);
        return t;
    }

    private static List<LedgerBlock> blocks() {
        long later = 5 * 60_000L;
        return List.of(
                block("ledger-x", 0, 10, "acct-1", 100, "01"),
                block("ledger-y", 0, 10, "acct-4", 400, "ff"),
                // Later blocks of other amounts move the silent recipients' clocks past the window.
                block("ledger-x", 1, later, "acct-2", 1, null),
                block("ledger-x", 2, later, "acct-5", 1, null),
                block("ledger-y", 1, later, "acct-6", 1, null),
                CrossCanisterEvents.outflow("ledger-x", 3, 10, SHOP_A, "acct-7", 700),
                CrossCanisterEvents.outflow("ledger-x", 4, 30, SHOP_A, "acct-9", 900),
                CrossCanisterEvents.outflow("ledger-y", 2, 10, "acct-1", "acct-8", 800),
                // moves ledger-y's time past shop B's reply on every partition
                CrossCanisterEvents.outflow("ledger-y", 3, later, "acct-1", "acct-2", 1));
    }

    private void publish(DetectorTopology.TopicNames topics) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (CallEvent e : calls().events()) {
                producer.send(new ProducerRecord<>(topics.calls(), e.canister(), Json.encode(e)));
            }
            for (LedgerBlock b : blocks()) {
                producer.send(new ProducerRecord<>(topics.ledgerBlocks(), b.ledger(), Json.encode(b)));
            }
            producer.flush();
        }
    }
}
