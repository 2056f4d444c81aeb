package dev.interlock.detector.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.interlock.detector.core.DetectorEngine;
import dev.interlock.detector.core.Trace;
import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Json;
import dev.interlock.model.Topics;

class DetectorTopologyTest {
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> calls;
    private TestOutputTopic<String, byte[]> alerts;
    private TestOutputTopic<String, byte[]> quarantine;

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(
                DetectorTopology.build(() -> DetectorEngine.withDefaults(Duration.ofHours(1)), DetectorMetrics.NONE),
                props);
        calls = driver.createInputTopic(Topics.CALLS, new StringSerializer(), new ByteArraySerializer());
        alerts = driver.createOutputTopic(Topics.ALERTS, new StringDeserializer(), new ByteArrayDeserializer());
        quarantine = driver.createOutputTopic(Topics.QUARANTINE, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private static List<CallEvent> doubleSpend() {
        return new Trace()
                .open("ctx-1", Trace.ALICE, "withdraw").open("ctx-2", Trace.ALICE, "withdraw")
                .transfer("ctx-1", "call-1", 500).transfer("ctx-2", "call-2", 500)
                .reply("ctx-1", "call-1", 0).reply("ctx-2", "call-2", 1)
                .close("ctx-1").close("ctx-2").events();
    }

    @Test
    void doubleSpendTraceOnTheCallsTopicYieldsOneAlertKeyedByCanister() {
        doubleSpend().forEach(e -> calls.pipeInput(e.canister(), Json.encode(e)));

        List<TestRecord<String, byte[]>> out = alerts.readRecordsToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo(Trace.CANISTER);
        Alert alert = Json.decode(out.get(0).value(), Alert.class);
        assertThat(alert.alertClass()).isEqualTo(AlertClass.DOUBLE_SPEND);
        assertThat(alert.evidence().blockIndexes()).containsExactly(0L, 1L);
        assertThat(quarantine.isEmpty()).isTrue();
    }

    @Test
    void atCommitEachContextIsStoredApartAndTheCanisterEntryHoldsNone_soTheCommitHookRunsAndWritesOnlyWhatChanged() {
        doubleSpend().forEach(e -> calls.pipeInput(e.canister(), Json.encode(e)));

        org.apache.kafka.streams.state.KeyValueStore<String, dev.interlock.detector.core.CanisterState> header =
                driver.getKeyValueStore(DetectorTopology.STORE_CANISTER_STATE);
        org.apache.kafka.streams.state.KeyValueStore<String, dev.interlock.detector.core.ContextState> contexts =
                driver.getKeyValueStore(DetectorTopology.STORE_CANISTER_CONTEXTS);
        assertThat(header.get(Trace.CANISTER).contexts).isEmpty();
        assertThat(header.get(Trace.CANISTER).lastSeq).isPositive();
        assertThat(contexts.get(Trace.CANISTER + "\u0000ctx-1").closedAt).isNotNull();
        assertThat(contexts.get(Trace.CANISTER + "\u0000ctx-2").calls).containsKey("call-2");
        List<String> keys = new java.util.ArrayList<>();
        contexts.all().forEachRemaining(kv -> keys.add(kv.key.replace("\u0000", "|")));
        assertThat(keys).containsExactly(Trace.CANISTER + "|ctx-1", Trace.CANISTER + "|ctx-2");
    }

    @Test
    void aCanisterOverTheOpenContextLimitGetsOneAlertAndItsOldestOpenContextLeavesTheStore() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test-limit");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver limited = new TopologyTestDriver(DetectorTopology.build(() -> DetectorEngine.withDefaults(
                dev.interlock.detector.core.DetectorSettings.defaults().withMaxOpenContexts(2)), DetectorMetrics.NONE), props)) {
            TestInputTopic<String, byte[]> in = limited.createInputTopic(Topics.CALLS, new StringSerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, byte[]> out = limited.createOutputTopic(Topics.ALERTS, new StringDeserializer(),
                    new ByteArrayDeserializer());
            new Trace().open("ctx-1", Trace.ALICE, "pay").open("ctx-2", Trace.BOB, "pay").open("ctx-3", Trace.ALICE, "pay")
                    .open("ctx-4", Trace.BOB, "pay").events().forEach(e -> in.pipeInput(e.canister(), Json.encode(e)));

            List<Alert> raised = out.readValuesToList().stream().map(v -> Json.decode(v, Alert.class)).toList();
            assertThat(raised).singleElement().satisfies(a -> {
                assertThat(a.alertClass()).isEqualTo(AlertClass.OPEN_CONTEXT_LIMIT);
                assertThat(a.evidence().contextIds()).containsExactly("ctx-1");
            });
            org.apache.kafka.streams.state.KeyValueStore<String, dev.interlock.detector.core.ContextState> contexts =
                    limited.getKeyValueStore(DetectorTopology.STORE_CANISTER_CONTEXTS);
            List<String> keys = new java.util.ArrayList<>();
            contexts.all().forEachRemaining(kv -> keys.add(kv.key.substring(kv.key.indexOf('\u0000') + 1)));
            assertThat(keys).containsExactly("ctx-3", "ctx-4");
            assertThat(limited.<String, dev.interlock.detector.core.CanisterState>getKeyValueStore(
                    DetectorTopology.STORE_CANISTER_STATE).get(Trace.CANISTER).openContexts).isEqualTo(2);
        }
    }

    @Test
    void aLogGapOnTheCallsTopicIsKeptInTheStoredStateAndNamedByTheAlertsItMayChange() {
        List<CallEvent> trace = new Trace().open("ctx-9", Trace.ALICE, "quote")
                .call("ctx-9", "call-9", "oracle", "get_price", "u").events();
        List<CallEvent> seqIds = trace.stream().map(e -> new CallEvent(e.canister() + "/" + e.seq(), e.canister(),
                e.seq(), e.timeNanos(), e.kind(), e.context(), e.caller(), e.method(), e.call(), e.callee(),
                e.calleeMethod(), e.transfer(), e.outcome(), false, e.subject(), e.value())).toList();
        seqIds.forEach(e -> calls.pipeInput(e.canister(), Json.encode(e)));
        CallEvent last = seqIds.get(seqIds.size() - 1);
        CallEvent gap = CallEvent.logGap(Trace.CANISTER, last.seq() + 1, last.seq() + 40, last.timeNanos(),
                last.timeNanos() + 1_000_000_000L);
        calls.pipeInput(gap.canister(), Json.encode(gap));

        driver.advanceWallClockTime(Duration.ofSeconds(75));
        assertThat(alerts.readValuesToList()).singleElement().satisfies(v -> {
            Alert a = Json.decode(v, Alert.class);
            assertThat(a.alertClass()).isEqualTo(AlertClass.STALLED_CALL);
            assertThat(a.evidence().missing()).contains("log records " + (last.seq() + 1) + ".." + (last.seq() + 40)
                    + " (LOG_GAP)");
        });
        org.apache.kafka.streams.state.KeyValueStore<String, dev.interlock.detector.core.CanisterState> header =
                driver.getKeyValueStore(DetectorTopology.STORE_CANISTER_STATE);
        assertThat(header.get(Trace.CANISTER).logGaps).singleElement()
                .satisfies(g -> assertThat(g).containsExactly(last.seq() + 1, last.seq() + 40, gap.timeNanos()));
        assertThat(quarantine.isEmpty()).isTrue();
    }

    @Test
    void aStalledCallMarkedReportedIsStoredSoARestartDoesNotReportItAgain() {
        new Trace().open("ctx-9", Trace.ALICE, "quote").call("ctx-9", "call-9", "oracle", "get_price", "u").events()
                .forEach(e -> calls.pipeInput(e.canister(), Json.encode(e)));
        driver.advanceWallClockTime(Duration.ofSeconds(75));
        assertThat(alerts.readRecordsToList()).hasSize(1);

        org.apache.kafka.streams.state.KeyValueStore<String, dev.interlock.detector.core.ContextState> contexts =
                driver.getKeyValueStore(DetectorTopology.STORE_CANISTER_CONTEXTS);
        assertThat(contexts.get(Trace.CANISTER + "\u0000ctx-9").calls.get("call-9").stallReported).isTrue();
    }

    @Test
    void boundaryNodeIngressOverTheClientLimitRaisesRateAnomalyAndAMalformedIngressRecordIsQuarantined() {
        TestInputTopic<String, byte[]> ingress = driver.createInputTopic(Topics.INGRESS, new StringSerializer(),
                new ByteArraySerializer());
        ingress.pipeInput("bkyz2-fmaaa-aaaaa-qaaaq-cai", "{oops".getBytes(StandardCharsets.UTF_8));
        long t0 = 1_767_225_600L * 1_000_000_000L;
        for (int i = 0; i < 61; i++) {
            var e = dev.interlock.detector.ingress.IngressEvents.event(i, t0 + i, "call", "mint", "beef", null);
            ingress.pipeInput(e.canister(), Json.encode(e));
        }

        List<TestRecord<String, byte[]>> out = alerts.readRecordsToList();
        assertThat(out).singleElement().satisfies(r -> {
            Alert alert = Json.decode(r.value(), Alert.class);
            assertThat(alert.alertClass()).isEqualTo(AlertClass.RATE_ANOMALY);
            assertThat(alert.callers()).containsExactly("client-hash:beef");
            assertThat(alert.evidence().eventIds()).containsExactly("bn1.example/req-60");
        });
        assertThat(quarantine.readRecordsToList()).singleElement().satisfies(q -> assertThat(new String(
                q.headers().lastHeader(Topics.HEADER_QUARANTINE_REASON).value(), StandardCharsets.UTF_8))
                .startsWith("not a valid IngressEvent JSON"));
        org.apache.kafka.streams.state.KeyValueStore<String, dev.interlock.detector.ingress.IngressRateDetector.State>
                store = driver.getKeyValueStore(DetectorTopology.STORE_INGRESS_RATE);
        assertThat(store.get("bkyz2-fmaaa-aaaaa-qaaaq-cai").counts).containsEntry("beef|mint", 61);
    }

    @Test
    void malformedRecordIsQuarantinedWithItsReasonAndLaterEventsStillDetect() {
        calls.pipeInput(Trace.CANISTER, "{not json".getBytes(StandardCharsets.UTF_8));
        calls.pipeInput(Trace.CANISTER, "{\"id\":\"x\",\"canister\":\"c\",\"kind\":\"CALL\",\"context\":\"k\"}"
                .getBytes(StandardCharsets.UTF_8));
        doubleSpend().forEach(e -> calls.pipeInput(e.canister(), Json.encode(e)));

        List<TestRecord<String, byte[]>> q = quarantine.readRecordsToList();
        assertThat(q).hasSize(2);
        assertThat(new String(q.get(0).headers().lastHeader(Topics.HEADER_QUARANTINE_REASON).value(),
                StandardCharsets.UTF_8)).startsWith("not a valid CallEvent JSON");
        assertThat(new String(q.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(new String(q.get(1).headers().lastHeader(Topics.HEADER_QUARANTINE_REASON).value(),
                StandardCharsets.UTF_8)).contains("call is missing", "callee is missing");
        assertThat(alerts.readRecordsToList()).hasSize(1);
    }

    @Test
    void aStalledCallIsReportedByTheTimerWithoutAnyFurtherInput() {
        List<CallEvent> events = new Trace().open("ctx-9", Trace.ALICE, "quote")
                .call("ctx-9", "call-9", "oracle", "get_price", "u").events();
        events.forEach(e -> calls.pipeInput(e.canister(), Json.encode(e)));
        assertThat(alerts.isEmpty()).isTrue();

        driver.advanceWallClockTime(Duration.ofSeconds(75));

        Alert alert = Json.decode(alerts.readRecord().value(), Alert.class);
        assertThat(alert.alertClass()).isEqualTo(AlertClass.STALLED_CALL);
        assertThat(alert.evidence().callIds()).containsExactly("call-9");
        driver.advanceWallClockTime(Duration.ofSeconds(75));
        assertThat(alerts.isEmpty()).as("raised once").isTrue();
    }

    @Test
    void aTrappedCallbackWithoutCleanupIsDecidedOnceTheCanisterFallsQuiet() {
        List<CallEvent> events = new Trace().open("ctx-5", Trace.ALICE, "claim").transfer("ctx-5", "call-5", 9)
                .reply("ctx-5", "call-5", 4).trap("ctx-5", "overflow").events();
        events.forEach(e -> calls.pipeInput(e.canister(), Json.encode(e)));
        assertThat(alerts.isEmpty()).as("the cleanup may still come").isTrue();

        driver.advanceWallClockTime(Duration.ofSeconds(10));

        Alert alert = Json.decode(alerts.readRecord().value(), Alert.class);
        assertThat(alert.alertClass()).isEqualTo(AlertClass.CALLBACK_TRAP);
        assertThat(alert.evidence().blockIndexes()).containsExactly(4L);
    }

    @Test
    void eventKeyedByAnotherCanisterIsQuarantinedNotCorrelated() {
        CallEvent e = doubleSpend().get(0);
        calls.pipeInput("some-other-canister", Json.encode(e));

        assertThat(new String(quarantine.readRecord().headers().lastHeader(Topics.HEADER_QUARANTINE_REASON).value(),
                StandardCharsets.UTF_8)).contains("differs from the event's canister");
    }
}
