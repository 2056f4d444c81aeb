package dev.interlock.ingest.source.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.interlock.ingest.calls.KafkaCallLogSink;
import dev.interlock.ingest.publish.CursorStore;
import dev.interlock.ic.Principal;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Json;
import dev.interlock.model.LogLine;
import dev.interlock.model.Topics;
import dev.interlock.testsupport.SharedServices;
import dev.interlock.testsupport.TopicReader;

/** The push path against the embedded broker: what lands on which topic, once. */
class CallPushKafkaTest {
    private final Map<String, Object> kafka = SharedServices.kafkaConfig();

    private CallPushHandler handler(String sourceId) {
        return new CallPushHandler(new CallPushHandler.Settings(List.of(CallPushHandlerTest.TOKEN), 1 << 20, 512, 100, 100,
                Duration.ofMinutes(5)), () -> new KafkaCallLogSink(kafka, sourceId, Duration.ofSeconds(20)),
                CallPushHandlerTest.CLOCK, System::nanoTime, new CallPushHandler.Listener() {
                });
    }

    private static CallPushHandler.Response push(CallPushHandler h, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return h.handle("Bearer " + CallPushHandlerTest.TOKEN, b.length, new ByteArrayInputStream(b));
    }

    private List<ConsumerRecord<String, byte[]>> read(String topic, String key) {
        return TopicReader.readAll(kafka, topic).stream().filter(r -> key.equals(r.key())).toList();
    }

    /**
     * Reads once at least {@code n} records of {@code key} are visible: a committed transaction's markers reach
     * the partitions shortly after the commit returns.
     */
    private List<ConsumerRecord<String, byte[]>> await(String topic, String key, int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<ConsumerRecord<String, byte[]>> got = read(topic, key);
        while (got.size() < n && System.nanoTime() < deadline) {
            got = read(topic, key);
        }
        return got;
    }

    @Test
    void aMixedBatchLandsInOrderOnTheCallsTopicWithItsLogLineAndItsBadLinesQuarantinedWithReasons() {
        String canister = Principal.canister(7201).toString();
        String caller = Principal.canister(7202).toString();
        try (CallPushHandler h = handler("push-test-mixed")) {
            CallPushHandler.Response r = push(h, CallPushHandlerTest.mixedBatch(canister, caller));
            assertThat(r.status()).isEqualTo(200);
        }

        List<CallEvent> calls = await(Topics.CALLS, canister, 3).stream().map(c -> Json.decode(c.value(), CallEvent.class))
                .toList();
        assertThat(calls).extracting(CallEvent::id).containsExactly(canister + "/0", canister + "/5", canister + "/7");
        assertThat(await(Topics.CANISTER_LOGS, canister, 1)).extracting(c -> Json.decode(c.value(), LogLine.class))
                .containsExactly(new LogLine(canister + "/6", canister, 6, CallPushHandlerTest.TS + 6, LogLine.KIND_LOG,
                        "just a debug print"));
        assertThat(new String(read(Topics.CANISTER_LOGS, canister).get(0).headers().lastHeader(Topics.HEADER_DEDUP_KEY)
                .value(), StandardCharsets.UTF_8)).isEqualTo(canister + "/6");
        // quarantined: keyed by canister when the line named a valid one, raw line as value, reason in the header
        await(Topics.QUARANTINE, canister, 1);
        List<String> reasons = TopicReader.readAll(kafka, Topics.QUARANTINE).stream()
                .filter(q -> new String(q.headers().lastHeader(Topics.HEADER_QUARANTINE_SOURCE).value(),
                        StandardCharsets.UTF_8).equals("ingest/push-test-mixed"))
                .map(q -> new String(q.headers().lastHeader(Topics.HEADER_QUARANTINE_REASON).value(), StandardCharsets.UTF_8))
                .sorted().toList(); // keyed by canister or not at all: spread over partitions
        assertThat(reasons).hasSize(4);
        assertThat(reasons.get(0)).startsWith("line 2: malformed: not valid JSON");
        assertThat(reasons.get(1)).startsWith("line 3: bad-principal: field \"canister\" is not a valid principal");
        assertThat(reasons.get(2)).startsWith("line 4: line-too-long: line of ");
        assertThat(reasons.get(3))
                .isEqualTo("line 5: unsupported-version: unsupported trace format version ILK2 (this reader knows ILK1)");
        ConsumerRecord<String, byte[]> ilk2 = read(Topics.QUARANTINE, canister).get(0);
        assertThat(new String(ilk2.value(), StandardCharsets.UTF_8)).contains("ILK2 {");
        assertThat(CursorStore.lastCursor(kafka, "push-test-mixed", Duration.ofSeconds(10)))
                .contains("{\"" + canister + "\":7}");
    }

    @Test
    void reSendingTheSameBatchAfterARestartPublishesNothingNewBecauseTheCursorWasCommittedWithTheEvents() {
        String canister = Principal.canister(7203).toString();
        String caller = Principal.canister(7204).toString();
        String batch = CallPushHandlerTest.mixedBatch(canister, caller);
        try (CallPushHandler h = handler("push-test-resend")) {
            push(h, batch);
        }
        assertThat(await(Topics.CALLS, canister, 3)).hasSize(3);

        CallPushHandler.Response again;
        try (CallPushHandler restarted = handler("push-test-resend")) {
            again = push(restarted, batch);
            // a new record after the re-sent batch: once it is visible, anything the re-send published would be
            push(restarted, CallPushHandlerTest.record(canister, 8, "ILK1 {\"e\":\"rep\",\"x\":\"c2\"}"));
        }

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).containsEntry("duplicates", 5L);
        assertThat(await(Topics.CALLS, canister, 4)).extracting(c -> Json.decode(c.value(), CallEvent.class).id())
                .containsExactly(canister + "/0", canister + "/5", canister + "/7", canister + "/8");
        assertThat(read(Topics.CANISTER_LOGS, canister)).hasSize(1);
    }
}
