package dev.interlock.ingest.source.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.interlock.ic.Account;
import dev.interlock.ic.Hashes;
import dev.interlock.ic.Principal;
import dev.interlock.ic.agent.IcpLedgerClient;
import dev.interlock.ic.agent.Icrc3Client;
import dev.interlock.ic.agent.QueryClient;
import dev.interlock.ic.candid.CandidDecoder;
import dev.interlock.ingest.source.SourceBatch;
import dev.interlock.ingest.source.SourceException;
import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.IngestRecord;
import dev.interlock.model.LedgerBlock;
import dev.interlock.sim.ledger.IcpEncoding;
import dev.interlock.sim.ledger.IcrcLedger;
import dev.interlock.sim.ledger.TransferArgs;
import dev.interlock.sim.replica.FakeReplica;

/**
 * The ledger source against the fake replica, for both kinds of ledger: verified pages across archives,
 * held-back blocks, tampering, transport faults.
 */
class LedgerSourceTest {
    private static final Principal MINTER = Principal.canister(1);
    private static final int BLOCKS = 1_000;

    enum Kind { ICRC, ICP }

    private FakeReplica replica;
    private IcrcLedger ledger;
    private IcpEncoding icp;
    private LedgerSource source;

    /** A simulated ledger of {@link #BLOCKS} blocks with archives, served as {@code kind}, read 3 pages per poll. */
    private void serve(Kind kind, int pagesPerPoll) throws Exception {
        ledger = new IcrcLedger(Principal.canister(2), Account.of(MINTER), BigInteger.TEN, null, 86_400_000_000_000L,
                60_000_000_000L, 400, 200, 300);
        for (int i = 0; i < BLOCKS; i++) {
            ledger.transfer(MINTER, TransferArgs.transfer(Account.of(MINTER), Account.of(Principal.canister(100 + i % 5)),
                    BigInteger.valueOf(10 + i)), 1_000L * (i + 1));
        }
        replica = new FakeReplica();
        QueryClient q = new QueryClient(replica.url(), HttpClient.newHttpClient(), Duration.ofMillis(800), 8 << 20, Clock.systemUTC());
        if (kind == Kind.ICRC) {
            replica.serve(ledger);
            source = new LedgerSource("ledger-test", new Icrc3Protocol(new Icrc3Client(q, ledger.id(), CandidDecoder.Limits.DEFAULT)),
                    new LedgerSource.Start.Genesis(), pagesPerPoll, 2, Duration.ofMillis(10));
        } else {
            icp = replica.serveIcp(ledger);
            source = new LedgerSource("ledger-test", new IcpProtocol(new IcpLedgerClient(q, ledger.id(), CandidDecoder.Limits.DEFAULT)),
                    new LedgerSource.Start.Genesis(), pagesPerPoll, 2, Duration.ofMillis(10));
        }
    }

    /** The block's hash computed here, independently of the source: ICRC-3 by the ledger, ICP as SHA-256 of the bytes served. */
    private String expectedHash(Kind kind, long i) {
        return HexFormat.of().formatHex(kind == Kind.ICRC ? ledger.hash(i) : Hashes.sha256(icp.block(i)));
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        if (replica != null) {
            replica.close();
        }
    }

    /** Polls (at most 10 times) until the source backs off: adds what was published to {@code into}, returns the back-off. */
    private SourceException pollUntilBackoff(String[] cursor, List<IngestRecord> into) {
        for (int i = 0; i < 10; i++) {
            try {
                SourceBatch b = source.poll(cursor[0]);
                into.addAll(b.records());
                cursor[0] = b.cursor();
            } catch (SourceException e) {
                return e;
            }
        }
        return null;
    }

    /** Polls until a poll returns nothing new; returns everything published. */
    private List<IngestRecord> drain(String[] cursor) throws SourceException {
        List<IngestRecord> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            SourceBatch b = source.poll(cursor[0]);
            cursor[0] = b.cursor();
            if (b.records().isEmpty()) {
                return all;
            }
            all.addAll(b.records());
        }
        throw new AssertionError("the source never caught up");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyBlockIsPublishedOnceInOrderWithItsHashAndTheTipIsCertified(Kind kind) throws Exception {
        serve(kind, 3);
        String[] cursor = {null};
        List<IngestRecord> all = drain(cursor);

        assertThat(all).hasSize(BLOCKS).allMatch(r -> r instanceof LedgerBlock);
        for (int i = 0; i < BLOCKS; i++) {
            LedgerBlock b = (LedgerBlock) all.get(i);
            assertThat(b.index()).isEqualTo(i);
            assertThat(b.hash()).isEqualTo(expectedHash(kind, i));
            assertThat(b.amount()).isEqualTo(BigInteger.valueOf(10 + i));
        }
        assertThat(((LedgerBlock) all.get(BLOCKS - 1)).verification()).isEqualTo(LedgerBlock.VERIFIED_CERTIFIED_TIP);
        assertThat(((LedgerBlock) all.get(0)).verification()).isEqualTo(LedgerBlock.VERIFIED_CHAIN);
        assertThat(((LedgerBlock) all.get(0)).raw()).contains(kind == Kind.ICRC ? "\"ts\"" : HexFormat.of().formatHex(icp.block(0)));
        assertThat(cursor[0]).contains("\"next\":" + BLOCKS);
    }

    @Test
    void theLastBlockOfAPollWaitsUntilSomethingVouchesForIt() throws Exception {
        serve(Kind.ICRC, 3);
        SourceBatch first = source.poll(null);

        // three pages of 100, the 300th block held back until block 300 names it as parent
        assertThat(first.records()).hasSize(299);
        assertThat(first.cursor()).contains("\"next\":299");
        assertThat(source.lag()).isEqualTo(BLOCKS - 300);
        assertThat(source.pauseAfter(first)).isEqualTo(Duration.ZERO);
        SourceBatch second = source.poll(first.cursor());
        assertThat(((LedgerBlock) second.records().get(0)).index()).isEqualTo(299);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aTamperedBlockRaisesOneAlertAndTheCursorStopsBeforeIt(Kind kind) throws Exception {
        serve(kind, 3);
        replica.tamper(ledger.id(), 450);
        String[] cursor = {null};
        List<IngestRecord> all = new ArrayList<>();
        SourceException backedOff = pollUntilBackoff(cursor, all);

        List<Alert> alerts = all.stream().filter(r -> r instanceof Alert).map(r -> (Alert) r).toList();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).alertClass()).isEqualTo(AlertClass.LEDGER_INTEGRITY);
        assertThat(alerts.get(0).evidence().blockIndexes()).containsExactly(450L, 451L);
        assertThat(alerts.get(0).explanation()).contains("parent hash mismatch").contains(expectedHash(kind, 450));
        assertThat(all.stream().filter(r -> r instanceof LedgerBlock).map(r -> ((LedgerBlock) r).index()))
                .hasSize(450).last().isEqualTo(449L);
        assertThat(cursor[0]).contains("\"next\":450");
        assertThat(backedOff).isNotNull();
        assertThat(backedOff.retryable()).isTrue();
        assertThat(backedOff.getMessage()).contains("still broken at block 451");

        replica.untamper();
        List<IngestRecord> rest = drain(cursor);
        assertThat(rest).hasSize(BLOCKS - 450);
        assertThat(((LedgerBlock) rest.get(0)).hash()).isEqualTo(expectedHash(kind, 450));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aTamperedTipIsCaughtByTheCertificate(Kind kind) throws Exception {
        serve(kind, 3);
        replica.tamper(ledger.id(), BLOCKS - 1);
        String[] cursor = {null};
        List<IngestRecord> all = new ArrayList<>();
        pollUntilBackoff(cursor, all);
        assertThat(all.stream().filter(r -> r instanceof Alert).map(r -> ((Alert) r).evidence().blockIndexes()))
                .containsExactly(List.of((long) BLOCKS - 1));
        assertThat(all.stream().filter(r -> r instanceof LedgerBlock)).hasSize(BLOCKS - 1);
    }

    @Test
    void aForgedTipHashTreeRaisesAnAlertAndHoldsTheTipBack() throws Exception {
        serve(Kind.ICRC, 20);
        replica.forgeTipTree(ledger.id());
        SourceBatch b = source.poll(null);

        List<Alert> alerts = b.records().stream().filter(r -> r instanceof Alert).map(r -> (Alert) r).toList();
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.explanation()).contains("certificate does not hold").contains("is not the certified data");
            assertThat(a.evidence().blockIndexes()).containsExactly((long) BLOCKS - 1);
        });
        assertThat(b.records()).filteredOn(r -> r instanceof LedgerBlock).hasSize(BLOCKS - 1);
        assertThat(b.cursor()).contains("\"next\":" + (BLOCKS - 1));
        assertThatThrownBy(() -> source.poll(b.cursor())).isInstanceOf(SourceException.class)
                .hasMessageContaining("still broken at block " + (BLOCKS - 1));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRangeNoReplyServesRaisesOneAlertAndIngestionResumesWhenItIsBack(Kind kind) throws Exception {
        serve(kind, 3);
        replica.hide(ledger.id(), 100); // in the first archive
        String[] cursor = {null};
        List<IngestRecord> all = new ArrayList<>();
        SourceException backedOff = pollUntilBackoff(cursor, all);
        assertThat(all).filteredOn(r -> r instanceof Alert).singleElement().satisfies(a -> {
            assertThat(((Alert) a).explanation()).contains("missing block").contains("not served");
            assertThat(((Alert) a).evidence().blockIndexes()).containsExactly(100L);
        });
        // block 99 waits with the missing block 100: nothing can vouch for it yet
        assertThat(all).filteredOn(r -> r instanceof LedgerBlock).hasSize(99);
        assertThat(cursor[0]).contains("\"next\":99");
        assertThat(backedOff).isNotNull();

        replica.untamper();
        assertThat(drain(cursor)).hasSize(BLOCKS - 99);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anOversizedReplyRaisesOneAlertAndNeverMovesTheCursor(Kind kind) throws Exception {
        serve(kind, 1);
        long published = 500;
        String cursor = "{\"next\":500,\"prev\":\"" + expectedHash(kind, 499) + "\"}";
        // the same ledger through a client that accepts only small replies: every page is now too big
        QueryClient small = new QueryClient(replica.url(), HttpClient.newHttpClient(), Duration.ofSeconds(5), 1_000, Clock.systemUTC());
        source.close();
        source = new LedgerSource("ledger-test", kind == Kind.ICRC
                ? new Icrc3Protocol(new Icrc3Client(small, ledger.id(), CandidDecoder.Limits.DEFAULT))
                : new IcpProtocol(new IcpLedgerClient(small, ledger.id(), CandidDecoder.Limits.DEFAULT)),
                new LedgerSource.Start.Genesis(), 1, 1, Duration.ofMillis(10));

        SourceBatch second = source.poll(cursor);
        assertThat(second.cursor()).isEqualTo(cursor);
        assertThat(second.records()).singleElement().isInstanceOfSatisfying(Alert.class, a -> {
            assertThat(a.alertClass()).isEqualTo(AlertClass.LEDGER_INTEGRITY);
            assertThat(a.explanation()).contains("unreadable reply").contains("exceeds the limit of 1000 bytes");
            assertThat(a.evidence().blockIndexes()).containsExactly(published);
        });
        assertThatThrownBy(() -> source.poll(cursor)).isInstanceOf(SourceException.class)
                .hasMessageContaining("still broken at block " + published);
    }

    /** Faults a boundary node or a canister may serve, each for a burst of requests. */
    enum Fault {
        HTTP_500(r -> new FakeReplica.Fault.Http(500, "internal error".getBytes())),
        HTTP_503(r -> new FakeReplica.Fault.Http(503, "overloaded".getBytes())),
        TIMEOUT(r -> new FakeReplica.Fault.Delay(1_500)),
        TRUNCATED(r -> new FakeReplica.Fault.Truncate(37)),
        GARBAGE_BODY(r -> new FakeReplica.Fault.Http(200, new java.util.Random(7).ints(300, 0, 256)
                .collect(java.io.ByteArrayOutputStream::new, (o, b) -> o.write(b), (a, b) -> { }).toByteArray())),
        ARCHIVE_DOWN(r -> r.method().startsWith("icrc3_get_blocks") || r.method().equals("get_encoded_blocks")
                ? new FakeReplica.Fault.Http(502, "bad gateway".getBytes()) : null);

        final java.util.function.Function<FakeReplica.Request, FakeReplica.Fault> fault;

        Fault(java.util.function.Function<FakeReplica.Request, FakeReplica.Fault> fault) {
            this.fault = fault;
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> kindsAndFaults() {
        return java.util.Arrays.stream(Kind.values()).flatMap(k -> java.util.Arrays.stream(Fault.values())
                .map(f -> org.junit.jupiter.params.provider.Arguments.of(k, f)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.MethodSource("kindsAndFaults")
    void everyInjectedTransportFaultIsSurvivedWithEveryBlockOnceAndNoAlert(Kind kind, Fault fault) throws Exception {
        serve(kind, 3);
        long firstFaulty = replica.requests() + 3; // a few requests succeed, then a burst of 8 fails
        replica.inject((r, n) -> n >= firstFaulty && n < firstFaulty + 8 ? fault.fault.apply(r) : null);
        String[] cursor = {null};
        List<IngestRecord> all = new ArrayList<>();
        int failures = 0;
        for (int i = 0; i < 200 && !(cursor[0] != null && cursor[0].contains("\"next\":" + BLOCKS)); i++) {
            try {
                SourceBatch b = source.poll(cursor[0]);
                all.addAll(b.records());
                cursor[0] = b.cursor();
            } catch (SourceException e) {
                assertThat(e.retryable()).as(e.getMessage()).isTrue();
                failures++;
            }
        }
        assertThat(failures).as("the fault was felt").isPositive();
        assertThat(all).allMatch(r -> r instanceof LedgerBlock, "no alert, only blocks");
        assertThat(all).extracting(r -> ((LedgerBlock) r).index())
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, BLOCKS).boxed().toList());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void transportFaultsAreRetryableSourceFailures(Kind kind) throws Exception {
        serve(kind, 3);
        replica.inject((r, n) -> new FakeReplica.Fault.Http(502, "bad gateway".getBytes()));
        assertThatThrownBy(() -> source.poll(null)).isInstanceOfSatisfying(SourceException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.reason()).isEqualTo(SourceException.Reason.UNREACHABLE);
        });
    }
}
