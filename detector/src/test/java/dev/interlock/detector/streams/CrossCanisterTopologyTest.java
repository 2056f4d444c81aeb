package dev.interlock.detector.streams;

import static dev.interlock.detector.streams.CrossCanisterEvents.block;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.interlock.detector.core.DetectorEngine;
import dev.interlock.detector.ledger.PaymentTracker;
import dev.interlock.ic.Account;
import dev.interlock.ic.AccountIdentifier;
import dev.interlock.ic.Principal;
import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Json;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.Topics;

/**
 * The cross-canister stages of the service's topology on TopologyTestDriver: calls keyed by
 * canister and blocks keyed by ledger, re-keyed through the repartition topics to the call graph
 * (one partition) and the reconciliation (by recipient account).
 */
class CrossCanisterTopologyTest {
    private static final String A = "vault-a";
    private static final String B = "router-b";
    private static final String C = "pricer-c";
    private static final String BRIDGE = "bridge";
    private static final String LEDGER = "ckbtc-ledger";
    private static final Duration WINDOW = Duration.ofMinutes(5);
    private static final Duration DELAY = Duration.ofSeconds(10);

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> calls;
    private TestInputTopic<String, byte[]> blocks;
    private TestOutputTopic<String, byte[]> alerts;
    private TestOutputTopic<String, byte[]> quarantine;

    private static Topology topology() {
        return DetectorTopology.build(() -> DetectorEngine.withDefaults(Duration.ofHours(1)), DetectorMetrics.NONE,
                DetectorTopology.Options.DEFAULT.withTick(Duration.ofSeconds(1)).withReconcileWindow(WINDOW)
                        .withCycleDelay(DELAY));
    }

    private void start(Path dir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cross-canister-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        driver = new TopologyTestDriver(topology(), props);
        calls = driver.createInputTopic(Topics.CALLS, new StringSerializer(), new ByteArraySerializer());
        blocks = driver.createInputTopic(Topics.LEDGER_BLOCKS, new StringSerializer(), new ByteArraySerializer());
        alerts = driver.createOutputTopic(Topics.ALERTS, new StringDeserializer(), new ByteArrayDeserializer());
        quarantine = driver.createOutputTopic(Topics.QUARANTINE, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void tearDown() {
        if (driver != null) {
            driver.close();
        }
    }

    private void pipe(List<CallEvent> events) {
        events.forEach(e -> calls.pipeInput(e.canister(), Json.encode(e)));
    }

    private void pipe(LedgerBlock b) {
        blocks.pipeInput(b.ledger(), Json.encode(b));
    }

    private List<Alert> alerts(AlertClass alertClass) {
        return alerts.readRecordsToList().stream().map(r -> Json.decode(r.value(), Alert.class))
                .filter(a -> a.alertClass() == alertClass).toList();
    }

    /** A → B → C → A, every call still outstanding when C calls A; each call answered a second later. */
    private static CrossCanisterEvents cycle() {
        return new CrossCanisterEvents()
                .open(A, 0, "a1", "user", null).call(A, 1, "a1", "k1", B)
                .open(B, 2, "b1", A, "k1").call(B, 3, "b1", "k7", C)
                .open(C, 4, "c1", B, "k7").call(C, 5, "c1", "k3", A)
                .answered(C, 1_005, "c1", "k3").answered(B, 1_006, "b1", "k7").answered(A, 1_007, "a1", "k1");
    }

    @Test
    void callCycleAcrossThreeCanistersOnDifferentKeysIsRaisedOnceItsDelayPassedWhateverTheirOrder() {
        start(stateDir);
        CrossCanisterEvents trace = cycle();
        // The canister that closes the cycle is read first, the one that opened it last.
        pipe(trace.of(C));
        pipe(trace.of(B));
        pipe(trace.of(A));
        assertThat(alerts(AlertClass.CALL_CYCLE)).as("waits for the delay").isEmpty();

        driver.advanceWallClockTime(DELAY.plusSeconds(2));

        assertThat(alerts(AlertClass.CALL_CYCLE)).singleElement().satisfies(a -> {
            assertThat(a.canister()).isEqualTo(A);
            assertThat(a.dedupKey()).isEqualTo("CALL_CYCLE/vault-a:k1>router-b:k7>pricer-c:k3");
            assertThat(a.evidence().callIds()).containsExactly(A + ":k1", B + ":k7", C + ":k3");
            assertThat(a.evidence().contextIds()).containsExactly(A + ":a1", B + ":b1", C + ":c1");
            assertThat(a.evidence().eventIds()).containsExactly(C + "/1");
            assertThat(a.explanation()).contains(A + " -> " + B + " -> " + C + " -> " + A);
            assertThat(a.detectedAtNanos()).isEqualTo(CrossCanisterEvents.T0 + 5 * CrossCanisterEvents.MS);
        });
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(alerts(AlertClass.CALL_CYCLE)).as("raised once").isEmpty();
        assertThat(quarantine.isEmpty()).isTrue();
    }

    @Test
    void aFirstCallAnsweredBeforeTheLastCallWasMadeIsNoCycleEvenWhenItsAnswerIsReadLast() {
        start(stateDir);
        CrossCanisterEvents trace = new CrossCanisterEvents()
                .open(A, 0, "a1", "user", null).call(A, 1, "a1", "k1", B).answered(A, 4, "a1", "k1")
                .open(B, 2, "b1", A, "k1").call(B, 3, "b1", "k7", C)
                .open(C, 4, "c1", B, "k7").call(C, 5, "c1", "k3", A);
        pipe(trace.of(B));
        pipe(trace.of(C));
        pipe(trace.of(A));

        driver.advanceWallClockTime(DELAY.plusSeconds(2));

        assertThat(alerts(AlertClass.CALL_CYCLE)).isEmpty();
    }

    private static CrossCanisterEvents notifyWithEvidence() {
        return new CrossCanisterEvents().write(BRIDGE, 0, "c1").notify(BRIDGE, 1, "c1", "k1", "user-account", 500, "ab");
    }

    @Test
    void aNotifyWhoseBlockNeverComesIsFlaggedOnceTheWindowPassedWithoutFurtherInput() {
        start(stateDir);
        pipe(notifyWithEvidence().events());
        pipe(block(LEDGER, 7, 2, "user-account", 500, "cd"));
        driver.advanceWallClockTime(WINDOW.minusSeconds(30));
        assertThat(alerts(AlertClass.LEDGER_RECONCILIATION)).as("still within the window").isEmpty();

        driver.advanceWallClockTime(Duration.ofSeconds(40));

        assertThat(alerts(AlertClass.LEDGER_RECONCILIATION)).singleElement().satisfies(a -> {
            assertThat(a.canister()).isEqualTo(BRIDGE);
            assertThat(a.dedupKey()).isEqualTo("LEDGER_RECONCILIATION/bridge/c1/k1");
            assertThat(a.amountAtStake()).isEqualTo(BigInteger.valueOf(500));
            assertThat(a.callers()).containsExactly("user-account");
            assertThat(a.evidence().callIds()).containsExactly("k1");
            assertThat(a.evidence().eventIds()).containsExactly("bridge/1");
            assertThat(a.detectedAtNanos()).isEqualTo(CrossCanisterEvents.T0 + CrossCanisterEvents.MS
                    + WINDOW.toNanos());
        });
        driver.advanceWallClockTime(WINDOW);
        assertThat(alerts(AlertClass.LEDGER_RECONCILIATION)).as("decided once").isEmpty();
    }

    @Test
    void theExpectedBlockOnTheLedgerBlocksTopicSettlesTheNotify() {
        start(stateDir);
        pipe(notifyWithEvidence().events());
        pipe(block(LEDGER, 8, 3_000, "user-account", 500, "ab"));

        driver.advanceWallClockTime(WINDOW.multipliedBy(2));

        assertThat(alerts(AlertClass.LEDGER_RECONCILIATION)).isEmpty();
    }

    @Test
    void aBlockThatCameBeforeTheNotifySettlesItToo() {
        start(stateDir);
        pipe(block(LEDGER, 8, 0, "user-account", 500, "ab"));
        pipe(notifyWithEvidence().events());

        driver.advanceWallClockTime(WINDOW.multipliedBy(2));

        assertThat(alerts(AlertClass.LEDGER_RECONCILIATION)).isEmpty();
    }

    @Test
    void aLaterBlockOfTheSameRecipientDecidesTheNotifyOnEventTime() {
        start(stateDir);
        pipe(notifyWithEvidence().events());
        pipe(block(LEDGER, 9, WINDOW.toMillis() + 5_000, "user-account", 77, null));

        driver.advanceWallClockTime(Duration.ofSeconds(1));

        assertThat(alerts(AlertClass.LEDGER_RECONCILIATION)).extracting(Alert::dedupKey)
                .containsExactly("LEDGER_RECONCILIATION/bridge/c1/k1");
    }

    @Test
    void aNotifyTheCanisterReconciledThroughItsJournalIsNotFlagged() {
        start(stateDir);
        pipe(new CrossCanisterEvents().journalIntent(BRIDGE, 0, "c1", "req-1")
                .notify(BRIDGE, 1, "c1", "k1", "user-account", 500, "ab")
                .journalResult(BRIDGE, 60_000, "c9", "req-1").events());

        driver.advanceWallClockTime(WINDOW.multipliedBy(2));

        assertThat(alerts(AlertClass.LEDGER_RECONCILIATION)).isEmpty();
    }

    @Test
    void aCanisterThatPrintsNoEvidenceIsNeverFlaggedButEvidenceAfterTheNotifyCounts() {
        start(stateDir);
        pipe(new CrossCanisterEvents().notify("silent", 1, "c1", "k1", "acct-1", 500, null).events());
        pipe(new CrossCanisterEvents().notify("late-evidence", 1, "c1", "k2", "acct-2", 600, null)
                .write("late-evidence", 2, "c2").events());

        driver.advanceWallClockTime(WINDOW.multipliedBy(2));

        assertThat(alerts(AlertClass.LEDGER_RECONCILIATION)).extracting(Alert::canister)
                .containsExactly("late-evidence");
    }

    @Test
    void reconciliationAndCallGraphStateSurviveADriverRestart() throws IOException {
        Path first = stateDir.resolve("first");
        start(first);
        pipe(notifyWithEvidence().events());
        CrossCanisterEvents trace = cycle();
        pipe(trace.of(B));
        pipe(trace.of(C));
        // The stores are flushed after each record: copy them as a restarted instance would find them on disk.
        Path second = stateDir.resolve("second");
        copy(first, second);
        driver.close();
        driver = null;

        start(second);
        pipe(trace.of(A));
        driver.advanceWallClockTime(WINDOW.plusMinutes(1));

        List<Alert> raised = alerts.readRecordsToList().stream().map(r -> Json.decode(r.value(), Alert.class))
                .filter(a -> a.alertClass() != AlertClass.STALLED_CALL).toList();
        assertThat(raised).extracting(Alert::dedupKey).containsExactlyInAnyOrder(
                "LEDGER_RECONCILIATION/bridge/c1/k1", "CALL_CYCLE/vault-a:k1>router-b:k7>pricer-c:k3");
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(p -> {
                try {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Test
    void unusableBlocksAndRepartitionedRecordsAreQuarantinedWithTheirReasonAndLaterInputStillCounts() {
        start(stateDir);
        blocks.pipeInput(LEDGER, "{not json".getBytes(StandardCharsets.UTF_8));
        TestInputTopic<String, byte[]> reconcile = driver.createInputTopic(Topics.DETECTOR_RECONCILE_REPARTITION,
                new StringSerializer(), new ByteArraySerializer());
        reconcile.pipeInput("acct", "{\"type\":\"EXPECT\",\"account\":\"acct\"}".getBytes(StandardCharsets.UTF_8));
        TestInputTopic<String, byte[]> graph = driver.createInputTopic(Topics.DETECTOR_CALL_GRAPH_REPARTITION,
                new StringSerializer(), new ByteArraySerializer());
        graph.pipeInput(A, "[]".getBytes(StandardCharsets.UTF_8));
        pipe(notifyWithEvidence().events());

        List<TestRecord<String, byte[]>> q = quarantine.readRecordsToList();
        assertThat(q).extracting(r -> new String(r.headers().lastHeader(Topics.HEADER_QUARANTINE_REASON).value(),
                StandardCharsets.UTF_8)).satisfiesExactly(
                        r -> assertThat(r).startsWith("not a valid LedgerBlock JSON"),
                        r -> assertThat(r).contains("amount must be a non-negative integer",
                                "canister and call are required for EXPECT"),
                        r -> assertThat(r).startsWith("not a valid CallEvent JSON"));
        assertThat(q).extracting(r -> new String(r.headers().lastHeader(Topics.HEADER_QUARANTINE_SOURCE).value(),
                StandardCharsets.UTF_8)).satisfiesExactly(
                        s -> assertThat(s).startsWith(Topics.LEDGER_BLOCKS + "/0@"),
                        s -> assertThat(s).startsWith(Topics.DETECTOR_RECONCILE_REPARTITION + "/0@"),
                        s -> assertThat(s).startsWith(Topics.DETECTOR_CALL_GRAPH_REPARTITION + "/0@"));
        assertThat(new String(q.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");

        driver.advanceWallClockTime(WINDOW.plusMinutes(1));
        assertThat(alerts(AlertClass.LEDGER_RECONCILIATION)).hasSize(1);
    }

    private static final String SHOP = "rrkah-fqaaa-aaaaa-aaaaq-cai";
    private static final String ALICE = "wj67j-q7sgo-cbbk7-y62ca-6zvaj-3g3eq-6ywbw-h2bp6-qt75t-cbnki-dqe";
    private static final String BOB = "t5cdt-jvtku-fw5qv-gzk4g-wfg2n-4ggsb-rmhh6-iojyc-l73ev-agszo-yae";

    @Test
    void transferCallsMeetTheBlocksOutOfTheirPayersAccountThroughThePaymentsRepartition() {
        start(stateDir);
        // Blocks first (the canister's log comes later): one pays the shop's transfer, one no call explains.
        pipe(CrossCanisterEvents.outflow(LEDGER, 0, 10, SHOP, ALICE, 500));
        pipe(CrossCanisterEvents.outflow(LEDGER, 1, 20, SHOP, BOB, 900));
        pipe(new CrossCanisterEvents()
                .open(SHOP, 0, "c1", ALICE, null).transfer(SHOP, 1, "c1", "k1", LEDGER, ALICE, 500)
                .paid(SHOP, 12, "c1", "k1", 0)
                .open(SHOP, 30, "c2", BOB, null).transfer(SHOP, 31, "c2", "k2", LEDGER, BOB, 700)
                .paid(SHOP, 32, "c2", "k2", 3)
                .open(SHOP, 200_000, "c3", ALICE, null).events());
        pipe(CrossCanisterEvents.outflow(LEDGER, 2, 100_000, ALICE, BOB, 1));
        // the canister's latest clock goes out on the next flush, and is decided on at the next tick after it
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        List<Alert> found = alerts(AlertClass.LEDGER_RECONCILIATION);
        assertThat(found).extracting(Alert::dedupKey).containsExactlyInAnyOrder(
                "LEDGER_RECONCILIATION/" + SHOP + "/block/" + LEDGER + "/1",
                "LEDGER_RECONCILIATION/" + SHOP + "/c2/k2/no-block");
        assertThat(found).allSatisfy(a -> assertThat(a.canister()).isEqualTo(SHOP));
        driver.advanceWallClockTime(Duration.ofMinutes(10));
        assertThat(alerts(AlertClass.LEDGER_RECONCILIATION)).as("each raised once").isEmpty();
        assertThat(quarantine.isEmpty()).isTrue();
    }

    private static String identifier(String owner) {
        return AccountIdentifier.hex(Account.of(Principal.fromText(owner)));
    }

    @Test
    void onTheIcpLedgerTransferCallsMeetTheBlocksOutOfTheCanistersAccountByItsIdentifier() {
        start(stateDir);
        String icp = PaymentTracker.ICP_LEDGER;
        pipe(CrossCanisterEvents.outflow(icp, 0, 10, identifier(SHOP), identifier(ALICE), 500));
        pipe(CrossCanisterEvents.outflow(icp, 1, 20, identifier(SHOP), identifier(BOB), 900));
        pipe(CrossCanisterEvents.outflow(icp, 2, 25, identifier(BOB), identifier(ALICE), 900)); // someone else's
        pipe(new CrossCanisterEvents()
                .open(SHOP, 0, "c1", ALICE, null).transfer(SHOP, 1, "c1", "k1", icp, ALICE, 500)
                .paid(SHOP, 12, "c1", "k1", 0)
                .open(SHOP, 30, "c2", BOB, null).transfer(SHOP, 31, "c2", "k2", icp, BOB, 700)
                .paid(SHOP, 32, "c2", "k2", 4)
                .open(SHOP, 200_000, "c3", ALICE, null).events());
        pipe(CrossCanisterEvents.outflow(icp, 3, 100_000, identifier(ALICE), identifier(BOB), 1));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        List<Alert> found = alerts(AlertClass.LEDGER_RECONCILIATION);
        assertThat(found).extracting(Alert::dedupKey).containsExactlyInAnyOrder(
                "LEDGER_RECONCILIATION/" + identifier(SHOP) + "/block/" + icp + "/1",
                "LEDGER_RECONCILIATION/" + SHOP + "/c2/k2/no-block");
        assertThat(found).allSatisfy(a -> assertThat(a.canister()).isEqualTo(SHOP));
        assertThat(quarantine.isEmpty()).isTrue();
    }

    @Test
    void unusablePaymentMessagesAreQuarantinedWithTheirReason() {
        start(stateDir);
        TestInputTopic<String, byte[]> payments = driver.createInputTopic(Topics.DETECTOR_PAYMENTS_REPARTITION,
                new StringSerializer(), new ByteArraySerializer());
        payments.pipeInput("x", "{\"type\":\"BLOCK\",\"payer\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        payments.pipeInput("y", ("{\"type\":\"CLOCK\",\"payer\":\"z\",\"canister\":\"z\",\"timeNanos\":1}")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(quarantine.readRecordsToList()).extracting(r -> new String(
                r.headers().lastHeader(Topics.HEADER_QUARANTINE_REASON).value(), StandardCharsets.UTF_8))
                .satisfiesExactly(
                        r -> assertThat(r).contains("ledger is missing", "blockIndex must be a non-negative integer",
                                "amount must be a non-negative integer"),
                        r -> assertThat(r).contains("record key y differs from the message's payer z"));
    }

    @Test
    void topologyHasOneSubTopologyPerKeyAndTheRepartitionTopicsBetweenThem() {
        TopologyDescription d = topology().describe();

        assertThat(d.subtopologies()).hasSize(6);
        assertThat(d.subtopologies()).extracting(s -> s.nodes().stream().map(TopologyDescription.Node::name)
                .sorted().toList()).containsExactlyInAnyOrder(
                        List.of("alerts", "calls", "calls-to-call-graph", "calls-to-payments", "calls-to-reconcile",
                                "cross-route", "detect", "quarantine"),
                        List.of("block-route", "blocks-quarantine", "blocks-to-payments", "blocks-to-reconcile",
                                "ledger-blocks", "progress-to-payments"),
                        List.of("payments", "payments-alerts", "payments-quarantine", "payments-repartition"),
                        List.of("reconcile", "reconcile-alerts", "reconcile-quarantine", "reconcile-repartition"),
                        List.of("call-graph", "call-graph-alerts", "call-graph-quarantine", "call-graph-repartition"),
                        List.of("ingress", "ingress-alerts", "ingress-quarantine", "ingress-rate"));
    }
}
