package dev.interlock.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.interlock.model.Alert;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Json;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.Topics;
import dev.interlock.testsupport.ServiceProcess;
import dev.interlock.testsupport.SharedServices;
import dev.interlock.testsupport.TopicReader;

/**
 * The SIGKILL harness: the test JVM owns Kafka and PostgreSQL, the service is a child process
 * killed mid-demo. After a restart nothing is lost and nothing is duplicated, from the calls
 * topic through the alerts topic to the alerts table.
 */
class CrashRecoveryIT {
    @TempDir
    Path dir;

    @Test
    void serviceKilledMidDemoRecoversWithEveryEventOnceAndTheAlertStoredExactlyOnce() throws Exception {
        try (ServiceProcess service = ServiceProcess.builder(dir.resolve("service.log"))
                .externalServices("crash_recovery")
                .property("interlock.data-dir", dir.resolve("data").toString())
                .property("interlock.ingest.demo.interval", "150ms")
                .build()) {
            service.start().awaitReady(Duration.ofSeconds(90));
            awaitCallEvents(3, Duration.ofSeconds(30));
            assertThat(AlertsApi.list(service)).as("killed before the incident completed").isEmpty();

            service.kill();
            long total = AlertsApi.DEMO.records().size();
            assertThat((long) callEvents().size()).as("published before the kill").isBetween(3L, total - 1);

            service.start().awaitReady(Duration.ofSeconds(90));
            List<JsonNode> alerts = AlertsApi.awaitAlerts(service, Duration.ofSeconds(60));
            Thread.sleep(2_000); // give a duplicate, if any were produced, time to show up

            alerts = AlertsApi.list(service);
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).get("dedupKey").asText()).isEqualTo(AlertsApi.DEMO_DEDUP_KEY);
            assertThat(AlertsApi.texts(alerts.get(0).get("evidence").get("blockIndexes"))).containsExactlyInAnyOrderElementsOf(
                    AlertsApi.DEMO.incident().blocks().stream().map(String::valueOf).toList());

            awaitCallEvents((int) AlertsApi.DEMO.records().stream().filter(CallEvent.class::isInstance).count(),
                    Duration.ofSeconds(60));
            List<CallEvent> events = callEvents().stream().map(r -> Json.decode(r.value(), CallEvent.class)).toList();
            assertThat(events).extracting(CallEvent::id).containsExactlyInAnyOrderElementsOf(
                    AlertsApi.DEMO.records().stream().filter(CallEvent.class::isInstance)
                            .map(r -> ((CallEvent) r).id()).toList());
            java.util.Set<String> demoLedgers = AlertsApi.DEMO.records().stream().filter(LedgerBlock.class::isInstance)
                    .map(r -> ((LedgerBlock) r).ledger()).collect(java.util.stream.Collectors.toSet());
            assertThat(TopicReader.readAll(SharedServices.kafkaConfig(), Topics.LEDGER_BLOCKS).stream()
                    .filter(r -> demoLedgers.contains(r.key()))).hasSize(
                    (int) AlertsApi.DEMO.records().stream().filter(LedgerBlock.class::isInstance).count());
            List<Alert> published = TopicReader.readAll(SharedServices.kafkaConfig(), Topics.ALERTS).stream()
                    .map(r -> Json.decode(r.value(), Alert.class)).toList();
            assertThat(published).extracting(Alert::dedupKey).containsExactly(AlertsApi.DEMO_DEDUP_KEY);
        }
    }

    private static List<ConsumerRecord<String, byte[]>> callEvents() {
        return TopicReader.readAll(SharedServices.kafkaConfig(), Topics.CALLS);
    }

    private static void awaitCallEvents(int atLeast, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (callEvents().size() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + atLeast + " call events within " + timeout);
            }
            Thread.sleep(100);
        }
    }
}
