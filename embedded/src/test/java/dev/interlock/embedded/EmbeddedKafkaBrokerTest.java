package dev.interlock.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {
    @TempDir
    static Path dataDir;
    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start(dataDir, PortCheck.freePort(), PortCheck.freePort());
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static void createTopic(String name) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, 2, (short) 1))).all().get();
        }
    }

    private static KafkaConsumer<String, String> consumer(String group, String isolation) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation),
                new StringDeserializer(), new StringDeserializer());
    }

    private static List<String> pollValues(KafkaConsumer<String, String> consumer, int expected) {
        List<String> values = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 20_000;
        while (values.size() < expected && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                values.add(r.value());
            }
        }
        // One more short poll proves nothing beyond the expected records is there.
        consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
        return values;
    }

    @Test
    void committedOffsetsOfAConsumerGroupSurviveAConsumerRestart() throws Exception {
        createTopic("offsets-test");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("offsets-test", "k", "first-" + i)).get();
            }
        }
        try (KafkaConsumer<String, String> first = consumer("restart-group", "read_uncommitted")) {
            first.subscribe(Set.of("offsets-test"));
            assertThat(pollValues(first, 5)).containsExactly("first-0", "first-1", "first-2", "first-3", "first-4");
            first.commitSync();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("offsets-test", "k", "second-0")).get();
        }
        try (KafkaConsumer<String, String> restarted = consumer("restart-group", "read_uncommitted")) {
            restarted.subscribe(Set.of("offsets-test"));
            assertThat(pollValues(restarted, 1)).containsExactly("second-0");
        }
    }

    @Test
    void readCommittedConsumerSeesCommittedTransactionsAndNeverAbortedOnes() throws Exception {
        createTopic("tx-test");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-test-producer"),
                new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-test", "k", "committed-1"));
            producer.send(new ProducerRecord<>("tx-test", "k", "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-test", "k", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-test", "k", "committed-3"));
            producer.commitTransaction();
        }
        try (KafkaConsumer<String, String> committed = consumer("tx-reader", "read_committed");
             KafkaConsumer<String, String> everything = consumer("tx-raw-reader", "read_uncommitted")) {
            committed.subscribe(Set.of("tx-test"));
            everything.subscribe(Set.of("tx-test"));
            assertThat(pollValues(committed, 3)).containsExactly("committed-1", "committed-2", "committed-3");
            assertThat(pollValues(everything, 4)).contains("aborted").hasSize(4);
        }
    }
}
