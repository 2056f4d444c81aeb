package dev.interlock.ingest.source.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.interlock.ic.Principal;
import dev.interlock.ic.agent.CanisterLogClient;
import dev.interlock.ic.agent.QueryClient;
import dev.interlock.ic.candid.CandidDecoder;
import dev.interlock.ic.identity.Ed25519Identity;
import dev.interlock.ic.identity.Identity;
import dev.interlock.ingest.source.SourceBatch;
import dev.interlock.ingest.source.SourceException;
import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;
import dev.interlock.model.IngestRecord;
import dev.interlock.model.LogLine;
import dev.interlock.sim.engine.CanisterLog;
import dev.interlock.sim.replica.FakeReplica;

/** The canister-log poller against the fake replica's management canister and a simulated ring buffer. */
class CanisterLogSourceTest {
    private static final Principal CANISTER = Principal.canister(4242);
    private static final String CALLER = "2vxsx-fae";

    private FakeReplica replica;
    private CanisterLog log;
    private long time = 1_764_000_000_000_000_000L;

    @BeforeEach
    void start() throws Exception {
        replica = new FakeReplica();
        log = new CanisterLog(CanisterLog.DEFAULT_LIMIT);
    }

    @AfterEach
    void stop() {
        replica.close();
    }

    private CanisterLogSource source(Identity id) {
        return source(id, OptionalInt.of(CanisterLog.DEFAULT_LIMIT));
    }

    private CanisterLogSource source(Identity id, OptionalInt bufferBytes) {
        QueryClient q = new QueryClient(replica.url(), HttpClient.newHttpClient(), Duration.ofSeconds(5), 1 << 20, Clock.systemUTC(), id);
        return new CanisterLogSource("logs-test", CANISTER, new CanisterLogClient(q, CandidDecoder.Limits.DEFAULT), id,
                Duration.ofMillis(10), bufferBytes, Clock.systemUTC());
    }

    private void print(String line) {
        log.append(time += 1_000_000, line);
    }

    private void entry(String ctx) {
        print("ILK1 {\"e\":\"in\",\"x\":\"" + ctx + "\",\"m\":\"withdraw\",\"f\":\"" + CALLER + "\"}");
    }

    /** An unbounded-wait transfer call to the ICP ledger: its message stays open until the next begins. */
    private void transferCall(String ctx, String call) {
        print("ILK1 {\"e\":\"call\",\"x\":\"" + ctx + "\",\"c\":\"" + call
                + "\",\"to\":\"ryjl3-tyaaa-aaaaa-aaaba-cai\",\"m\":\"transfer\",\"w\":\"u\"}");
    }

    private static List<CallEvent> events(SourceBatch b) {
        return b.records().stream().filter(r -> r instanceof CallEvent).map(r -> (CallEvent) r).toList();
    }

    @Test
    void eventsArePublishedOnceTheirMessageEndsAndNeverTwiceAcrossRestarts() throws Exception {
        replica.serveLogs(CANISTER, log, Set.of());
        entry("c1");
        print("ILK1 {\"e\":\"rep\",\"x\":\"c1\"}");
        CanisterLogSource source = source(Identity.ANONYMOUS);

        SourceBatch first = source.poll(null);
        assertThat(events(first)).as("c1's message may still go on").isEmpty();
        assertThat(first.cursor()).isEqualTo("{\"idx\":-1}");

        entry("c2");
        print("plain debug output");
        SourceBatch second = source.poll(first.cursor());
        assertThat(events(second)).extracting(CallEvent::kind).containsExactly(CallEventKind.CONTEXT_OPEN, CallEventKind.CONTEXT_CLOSE);
        assertThat(events(second)).extracting(CallEvent::id).containsExactly(CANISTER + "/0", CANISTER + "/1");
        assertThat(second.cursor()).isEqualTo("{\"idx\":1}");

        // a new instance (a restart) resumes from the committed cursor: c2's message is read again, c1's not
        print("ILK1 {\"e\":\"rep\",\"x\":\"c2\"}");
        entry("c3");
        SourceBatch afterRestart = source(Identity.ANONYMOUS).poll(second.cursor());
        assertThat(events(afterRestart)).extracting(CallEvent::id).containsExactly(CANISTER + "/2", CANISTER + "/4");
        assertThat(afterRestart.records()).filteredOn(r -> r instanceof LogLine).extracting(r -> ((LogLine) r).content())
                .containsExactly("plain debug output");
    }

    @Test
    void aTrapReadInALaterPollRollsBackTheMessagesEvents() throws Exception {
        replica.serveLogs(CANISTER, log, Set.of());
        CanisterLogSource source = source(Identity.ANONYMOUS);
        entry("c1");
        transferCall("c1", "k1");
        SourceBatch first = source.poll(null);
        assertThat(events(first)).isEmpty();

        print("[TRAP]: balance underflow");
        entry("c2");
        SourceBatch second = source.poll(first.cursor());
        List<CallEvent> ev = events(second);
        assertThat(ev).extracting(CallEvent::kind).contains(CallEventKind.TRAP);
        assertThat(ev).filteredOn(e -> e.kind() == CallEventKind.CALL).singleElement()
                .satisfies(e -> assertThat(e.rolledBack()).isTrue());
    }

    @Test
    void anOverflowingBufferRaisesOneLogGapNamingTheLostRange() throws Exception {
        replica.serveLogs(CANISTER, log, Set.of());
        CanisterLogSource source = source(Identity.ANONYMOUS);
        print("first line");
        SourceBatch first = source.poll(null);
        for (int i = 0; i < 200; i++) {
            print("a long ordinary line number " + i + " that fills the four kibibyte ring buffer quickly");
        }
        long oldestKept = log.fetch().get(0).idx();
        assertThat(oldestKept).as("the ring dropped records").isGreaterThan(1);

        SourceBatch second = source.poll(first.cursor());
        assertThat(second.records()).filteredOn(r -> r instanceof Alert).singleElement().satisfies(r -> {
            Alert a = (Alert) r;
            assertThat(a.alertClass()).isEqualTo(AlertClass.LOG_GAP);
            assertThat(a.dedupKey()).isEqualTo("LOG_GAP/" + CANISTER + "/1-" + (oldestKept - 1));
            assertThat(a.explanation()).contains("log_memory_limit");
        });
        assertThat(source.status()).containsEntry("logGaps", 1L);
    }

    @Test
    void lostRecordsTakeTheirPlaceInTheCallStreamAsALogGapEventAfterTheMessageTheyCutOff() throws Exception {
        replica.serveLogs(CANISTER, log, Set.of());
        CanisterLogSource source = source(Identity.ANONYMOUS);
        entry("c1");
        transferCall("c1", "k1");
        long sentAt = time;
        SourceBatch first = source.poll(null);
        assertThat(events(first)).as("the message is still open").isEmpty();
        for (int i = 0; i < 200; i++) { // its callback, and more, are lost
            print("a long ordinary line number " + i + " that fills the four kibibyte ring buffer quickly");
        }
        long oldestKept = log.fetch().get(0).idx();
        long oldestKeptTime = log.fetch().get(0).timestampNanos();

        SourceBatch second = source.poll(first.cursor());

        assertThat(events(second)).extracting(CallEvent::kind).containsExactly(CallEventKind.CONTEXT_OPEN,
                CallEventKind.CALL, CallEventKind.LOG_GAP);
        assertThat(events(second).get(1).endsMessage()).as("the gap ended the message it cut off").isTrue();
        assertThat(events(second).get(2)).satisfies(g -> {
            assertThat(g.seq()).isEqualTo(oldestKept - 1);
            assertThat(g.lostRange()).containsExactly(2, oldestKept - 1);
            assertThat(g.value()).isEqualTo(Long.toString(sentAt));
            assertThat(g.timeNanos()).isEqualTo(oldestKeptTime);
            assertThat(g.problems()).isEmpty();
        });
        SourceBatch again = source.poll(second.cursor());
        assertThat(events(again)).as("told once").isEmpty();
    }

    @Test
    void aPurgeThatDestroysUnreadRecordsIsRecordedAsAReinstallNotAGap() throws Exception {
        replica.serveLogs(CANISTER, log, Set.of());
        CanisterLogSource source = source(Identity.ANONYMOUS);
        print("before");
        SourceBatch first = source.poll(null);
        print("unread 1");
        print("unread 2");
        print("unread 3");
        log.purge();
        print("after reinstall");

        SourceBatch second = source.poll(first.cursor());
        assertThat(second.records()).noneMatch(r -> r instanceof Alert);
        assertThat(second.records()).filteredOn(r -> r instanceof LogLine && ((LogLine) r).kind().equals(LogLine.KIND_REINSTALL))
                .singleElement().satisfies(r -> assertThat(((LogLine) r).content())
                        .isEqualTo("log purged (reinstall suspected): 3 unread records destroyed, idx 1..3"));
        assertThat(source.status()).containsEntry("reinstalls", 1L);
    }

    @Test
    void theCertifiedInstallTimeTellsAReinstallFromAnOverflowWhateverTheBufferFill() throws Exception {
        replica.serveLogs(CANISTER, log, Set.of());
        CanisterLogSource source = source(Identity.ANONYMOUS);
        print("before");
        SourceBatch first = source.poll(null);
        for (int i = 0; i < 200; i++) {
            print("a long ordinary line number " + i + " that fills the four kibibyte ring buffer quickly");
        }
        // an overflow, and the canister was installed long before: a gap, even if little came back
        replica.installed(CANISTER, time - 1_000_000_000_000L);
        SourceBatch second = source.poll(first.cursor());
        assertThat(second.records()).filteredOn(r -> r instanceof Alert).hasSize(1);

        print("unread");
        log.purge();
        replica.installed(CANISTER, time += 1_000_000);
        for (int i = 0; i < 200; i++) {
            print("after the reinstall, line " + i + " fills the buffer again so the fill cannot tell");
        }
        SourceBatch third = source.poll(second.cursor());
        assertThat(third.records()).noneMatch(r -> r instanceof Alert);
        assertThat(third.records()).filteredOn(r -> r instanceof LogLine && ((LogLine) r).kind().equals(LogLine.KIND_REINSTALL))
                .singleElement().satisfies(r -> assertThat(((LogLine) r).content()).startsWith(
                        "log purged (reinstall certified by last_install_timestamp): "));
    }

    @Test
    void aLogReadableOnlyByViewersNamesThePrincipalToAddAndReadsWithThatIdentity() throws Exception {
        Identity viewer = new Ed25519Identity(new byte[32]);
        replica.serveLogs(CANISTER, log, Set.of(viewer.principal()));
        print("secret");

        assertThatThrownBy(() -> source(Identity.ANONYMOUS).poll(null)).isInstanceOfSatisfying(SourceException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("read as " + CALLER + " (anonymous)").contains("allowed log viewer")
                    .contains("interlock.ingest.canisters.<name>.identity");
        });
        List<IngestRecord> read = source(viewer).poll(null).records();
        assertThat(read).singleElement().isInstanceOfSatisfying(LogLine.class, l -> assertThat(l.content()).isEqualTo("secret"));
    }

    @Test
    void withoutAConfiguredSizeAControllerReadsTheBufferSizeFromCanisterStatusAndAgainAfterAReinstall() throws Exception {
        Identity controller = new Ed25519Identity(new byte[32]);
        CanisterLog big = new CanisterLog(65_536);
        replica.serveLogs(CANISTER, big, Set.of());
        replica.controllers(CANISTER, Set.of(controller.principal()), Set.of());
        big.append(time += 1_000_000, "before");
        CanisterLogSource source = source(controller, OptionalInt.empty());
        assertThat(source.status()).containsEntry("logBufferSource", "not read yet");

        SourceBatch first = source.poll(null);
        assertThat(source.status()).containsEntry("logBufferBytes", 65_536).containsEntry("logBufferSource", "canister_status");

        // a reinstall with a smaller log_memory_limit: the purged log's idx counts on in the new buffer
        big.append(time += 1_000_000, "unread");
        CanisterLog small = new CanisterLog(8_192);
        for (int i = 0; i < 2; i++) {
            small.append(time, "gone with the old module");
        }
        small.purge();
        small.append(time += 1_000_000, "after reinstall");
        replica.installed(CANISTER, time - 1);
        replica.serveLogs(CANISTER, small, Set.of());
        SourceBatch second = source.poll(first.cursor());
        assertThat(second.records()).anyMatch(r -> r instanceof LogLine l && l.kind().equals(LogLine.KIND_REINSTALL));
        assertThat(source.status()).containsEntry("logBufferBytes", 8_192).containsEntry("reinstalls", 1L);
    }

    @Test
    void aReaderThatIsNoControllerFallsBackToTheDefaultBufferSayingWhy() throws Exception {
        replica.serveLogs(CANISTER, log, Set.of());
        replica.controllers(CANISTER, Set.of(new Ed25519Identity(new byte[32]).principal()), Set.of());
        print("public log line");
        CanisterLogSource source = source(Identity.ANONYMOUS, OptionalInt.empty());

        assertThat(source.poll(null).records()).hasSize(1);
        assertThat(source.status()).containsEntry("logBufferBytes", 4096);
        assertThat((String) source.status().get("logBufferSource")).startsWith("default (canister_status refused: " + CALLER
                + " (anonymous) is not a controller or an allowed status viewer of it").contains("IC0512");
    }

    @Test
    void aStatusReplyWithoutLogMemoryLimitFallsBackToTheDefaultSayingWhy() throws Exception {
        Identity controller = new Ed25519Identity(new byte[32]);
        replica.serveLogs(CANISTER, new CanisterLog(65_536), Set.of());
        replica.controllers(CANISTER, Set.of(controller.principal()), Set.of());
        replica.logMemoryLimitInStatus(false);
        CanisterLogSource source = source(controller, OptionalInt.empty());

        source.poll(null);
        assertThat(source.status()).containsEntry("logBufferBytes", 4096).containsEntry("logBufferSource",
                "default (its canister_status reply carries no settings.log_memory_limit)");
    }

    @Test
    void aConfiguredSizeIsUsedWithoutAskingCanisterStatus() throws Exception {
        replica.serveLogs(CANISTER, log, Set.of());
        java.util.concurrent.atomic.AtomicInteger statusCalls = new java.util.concurrent.atomic.AtomicInteger();
        replica.inject((r, n) -> {
            if (r.method().equals("canister_status")) {
                statusCalls.incrementAndGet();
            }
            return null;
        });
        CanisterLogSource source = source(Identity.ANONYMOUS, OptionalInt.of(10_000));
        source.poll(null);
        assertThat(source.status()).containsEntry("logBufferBytes", 10_000).containsEntry("logBufferSource", "configured");
        assertThat(statusCalls).hasValue(0);
    }
}
