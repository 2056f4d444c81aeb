package dev.interlock.sim.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.interlock.ic.Account;
import dev.interlock.ic.Icrc3Chain;
import dev.interlock.ic.Principal;
import dev.interlock.ic.agent.IcException;
import dev.interlock.ic.agent.IcpLedgerClient;
import dev.interlock.ic.icp.IcpBlock;
import dev.interlock.ic.icp.IcpChain;
import dev.interlock.sim.ledger.IcpEncoding;
import dev.interlock.ic.agent.Icrc3Client;
import dev.interlock.ic.agent.QueryClient;
import dev.interlock.ic.candid.CandidDecoder;
import dev.interlock.ic.candid.Icrc3Candid;
import dev.interlock.ic.cert.TipCertificate;
import dev.interlock.sim.ledger.IcrcLedger;
import dev.interlock.sim.ledger.TransferArgs;

/** Interlock's ICRC-3 client reading a simulated ledger with archives through the fake replica. */
class FakeReplicaTest {
    private static final Principal MINTER = Principal.canister(1);
    private static final int BLOCKS = 2_500;

    private FakeReplica replica;
    private IcrcLedger ledger;
    private QueryClient client;

    @BeforeEach
    void start() throws Exception {
        // archive 300 blocks whenever 500 are held, 1,000 blocks per archive canister
        ledger = new IcrcLedger(Principal.canister(2), Account.of(MINTER), BigInteger.TEN, null, 86_400_000_000_000L,
                60_000_000_000L, 500, 300, 1_000);
        for (int i = 0; i < BLOCKS; i++) {
            ledger.transfer(MINTER, TransferArgs.transfer(Account.of(MINTER), Account.of(Principal.canister(100 + i % 7)),
                    BigInteger.valueOf(1_000 + i)), 1_000_000L * (i + 1));
        }
        replica = new FakeReplica();
        replica.serve(ledger);
        client = new QueryClient(replica.url(), HttpClient.newHttpClient(), Duration.ofSeconds(5), 8 << 20, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        replica.close();
    }

    @Test
    void everyBlockIsReadAcrossArchivesInPagesAndTheChainEndsAtTheCertifiedTip() {
        assertThat(ledger.archives()).hasSizeGreaterThanOrEqualTo(2);
        Icrc3Client icrc3 = new Icrc3Client(client, ledger.id(), CandidDecoder.Limits.DEFAULT);
        Icrc3Chain chain = new Icrc3Chain();
        long next = 0;
        long calls = 0;
        while (next < BLOCKS) {
            Icrc3Client.Blocks page = icrc3.getBlocks(next, 100);
            assertThat(page.logLength()).isEqualTo(BigInteger.valueOf(BLOCKS));
            assertThat(page.blocks()).isNotEmpty().hasSizeLessThanOrEqualTo(100);
            for (Icrc3Candid.Block b : page.blocks()) {
                long i = b.id().longValueExact();
                byte[] hash = chain.accept(i, b.block()).orElseThrow(() -> new AssertionError(chain.lastBreak())).hash();
                assertThat(hash).isEqualTo(ledger.hash(i));
                next = i + 1;
            }
            calls++;
        }

        TipCertificate.Tip tip = icrc3.tip().orElseThrow();
        assertThat(tip.lastBlockIndex()).isEqualTo(BigInteger.valueOf(BLOCKS - 1));
        assertThat(HexFormat.of().formatHex(tip.lastBlockHash())).isEqualTo(HexFormat.of().formatHex(ledger.hash(BLOCKS - 1)));
        assertThat(chain.checkTip(tip.lastBlockIndex(), tip.lastBlockHash())).isEmpty();
        assertThat(calls).isEqualTo(BLOCKS / 100);
    }

    @Test
    void aPageSpanningAnArchiveAndTheLedgerComesBackWhole() {
        long firstLocal = ledger.archives().stream().mapToLong(a -> a.start() + a.length()).max().orElseThrow();
        Icrc3Client icrc3 = new Icrc3Client(client, ledger.id(), CandidDecoder.Limits.DEFAULT);

        Icrc3Client.Blocks page = icrc3.getBlocks(firstLocal - 30, 60);

        assertThat(page.blocks()).extracting(b -> b.id().longValueExact())
                .containsExactlyElementsOf(java.util.stream.LongStream.range(firstLocal - 30, firstLocal + 30).boxed().toList());
    }

    @Test
    void injectedFaultsSurfaceAsTransportFailuresAndUnknownMethodsAsRejects() {
        Icrc3Client icrc3 = new Icrc3Client(client, ledger.id(), CandidDecoder.Limits.DEFAULT);

        replica.inject((r, n) -> new FakeReplica.Fault.Http(503, "overloaded".getBytes()));
        assertThatThrownBy(() -> icrc3.getBlocks(0, 10)).isInstanceOfSatisfying(IcException.Transport.class,
                t -> assertThat(t.retryable()).isTrue());

        replica.inject((r, n) -> new FakeReplica.Fault.Truncate(20));
        assertThatThrownBy(() -> icrc3.getBlocks(0, 10)).isInstanceOf(IcException.Transport.class);

        replica.inject(null);
        assertThatThrownBy(() -> client.query(ledger.id(), "icrc3_nope", new byte[] {'D', 'I', 'D', 'L', 0, 0}))
                .isInstanceOfSatisfying(IcException.Rejected.class, r -> assertThat(r.errorCode()).isEqualTo("IC0536"));
        assertThatThrownBy(() -> client.query(Principal.canister(999), "icrc3_get_blocks", new byte[] {'D', 'I', 'D', 'L', 0, 0}))
                .isInstanceOfSatisfying(IcException.Rejected.class, r -> assertThat(r.rejectCode()).isEqualTo(3));
        assertThat(icrc3.getBlocks(0, 10).blocks()).hasSize(10);
    }

    @Test
    void anEmptyLedgerCertifiesNoTip() throws Exception {
        IcrcLedger empty = new IcrcLedger(Principal.canister(3), Account.of(MINTER), BigInteger.TEN, null);
        replica.serve(empty);
        assertThat(new Icrc3Client(client, empty.id(), CandidDecoder.Limits.DEFAULT).tip()).isEqualTo(Optional.empty());
    }

    @Test
    void theLedgerListsItsArchivesAndTheBlockTypesItProduces() {
        Icrc3Client icrc3 = new Icrc3Client(client, ledger.id(), CandidDecoder.Limits.DEFAULT);

        assertThat(icrc3.archives()).hasSize(ledger.archives().size()).first().satisfies(a -> {
            assertThat(Principal.of(a.canister())).isEqualTo(ledger.archives().get(0).canister());
            assertThat(a.start()).isEqualTo(BigInteger.ZERO);
            assertThat(a.end()).isEqualTo(BigInteger.valueOf(ledger.archives().get(0).length() - 1));
        });
        assertThat(icrc3.supportedBlockTypes()).extracting(Icrc3Candid.BlockType::blockType)
                .containsExactly("1burn", "1mint", "1xfer", "2approve", "2xfer");
    }

    @Test
    void anIcpLedgerServesProtobufBlocksChainedBySha256AcrossArchivesWithACertifiedTip() throws Exception {
        IcpEncoding view = replica.serveIcp(ledger);
        IcpLedgerClient icp = new IcpLedgerClient(client, ledger.id(), CandidDecoder.Limits.DEFAULT);
        IcpChain chain = new IcpChain();
        long next = 0;
        IcpLedgerClient.Blocks page = null;
        while (next < BLOCKS) {
            page = icp.getBlocks(next, IcpLedgerClient.DEFAULT_PAGE);
            assertThat(page.chainLength()).isEqualTo(BLOCKS);
            assertThat(page.encoded()).isNotEmpty();
            for (byte[] encoded : page.encoded()) {
                IcpBlock b = IcpBlock.decode(next, encoded);
                assertThat(chain.accept(b)).isEmpty();
                // the ICP ledger's block hash: plain SHA-256 of the bytes, computed here with the JDK
                assertThat(b.hash()).isEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest(encoded));
                assertThat(b.amountE8s()).isEqualTo(1_000 + next);
                next++;
            }
        }
        assertThat(page.certificate()).isPresent();
        byte[] tip = icp.certifiedTipHash(page.certificate().get());
        assertThat(tip).isEqualTo(view.hash(BLOCKS - 1));
        assertThat(chain.checkCertifiedTip(tip)).isEmpty();
    }

    @Test
    void canisterLogsAreReadFromAnIndexAnonymouslyWhenPublicAndOnlyBySignedViewersOtherwise() throws Exception {
        dev.interlock.sim.engine.CanisterLog log = new dev.interlock.sim.engine.CanisterLog(4096);
        for (int i = 0; i < 5; i++) {
            log.append(1_000L + i, "line " + i);
        }
        Principal open = Principal.canister(50);
        Principal closed = Principal.canister(51);
        dev.interlock.ic.identity.Identity viewer = new dev.interlock.ic.identity.Ed25519Identity(new byte[32]);
        dev.interlock.ic.identity.Identity stranger = new dev.interlock.ic.identity.Ed25519Identity(new byte[] {
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        replica.serveLogs(open, log, java.util.Set.of());
        replica.serveLogs(closed, log, java.util.Set.of(viewer.principal()));
        dev.interlock.ic.agent.CanisterLogClient anonymous = new dev.interlock.ic.agent.CanisterLogClient(client,
                CandidDecoder.Limits.DEFAULT);

        assertThat(anonymous.fetch(open, 3)).extracting(r -> r.idx() + ":" + new String(r.content()))
                .containsExactly("3:line 3", "4:line 4");
        assertThatThrownBy(() -> anonymous.fetch(closed, 0)).isInstanceOfSatisfying(IcException.Rejected.class,
                r -> assertThat(r.getMessage()).contains("is not allowed to access canister logs"));
        assertThat(logsAs(viewer).fetch(closed, 0)).hasSize(5);
        assertThatThrownBy(() -> logsAs(stranger).fetch(closed, 0)).isInstanceOf(IcException.Rejected.class)
                .hasMessageContaining(stranger.principal().toString());
    }

    private dev.interlock.ic.agent.CanisterLogClient logsAs(dev.interlock.ic.identity.Identity id) {
        return new dev.interlock.ic.agent.CanisterLogClient(new QueryClient(replica.url(), HttpClient.newHttpClient(), Duration.ofSeconds(5),
                8 << 20, Clock.systemUTC(), id), CandidDecoder.Limits.DEFAULT);
    }
}
