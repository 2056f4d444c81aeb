package dev.interlock.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.interlock.ic.Account;
import dev.interlock.ic.Hashes;
import dev.interlock.ic.Principal;
import dev.interlock.model.Alert;
import dev.interlock.model.Json;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.Topics;
import dev.interlock.sim.ledger.IcpEncoding;
import dev.interlock.sim.ledger.IcrcLedger;
import dev.interlock.sim.ledger.TransferArgs;
import dev.interlock.sim.replica.FakeReplica;
import dev.interlock.testsupport.ServiceProcess;
import dev.interlock.testsupport.SharedServices;
import dev.interlock.testsupport.TopicReader;

/**
 * Ledger ingestion under SIGKILL: the service follows three simulated ledgers with archives through the
 * fake replica (two ICRC ledgers, one served as the ICP ledger), is killed at a random moment of the
 * backfill and restarted; the committed ledger topic then holds every block of every ledger exactly once,
 * in order, with the hashes computed here independently of the service. 100,000 blocks in all; 1,000,000
 * in the heavy profile.
 */
class LedgerCrashRecoveryIT {
    private static final boolean FULL = "full".equals(System.getProperty("interlock.test.scale"));
    private static final int TOTAL = FULL ? 1_000_000 : 100_000;
    private static final Principal MINTER = Principal.canister(1);

    @TempDir
    Path dir;

    /** A simulated ledger of {@code blocks} transfers, archiving 1,000 blocks whenever it holds 2,000. */
    private static IcrcLedger ledger(long id, int blocks) {
        IcrcLedger ledger = new IcrcLedger(Principal.canister(id), Account.of(MINTER), BigInteger.TEN, null, 86_400_000_000_000L,
                60_000_000_000L, 2_000, 1_000, 10_000);
        for (int i = 0; i < blocks; i++) {
            ledger.transfer(MINTER, TransferArgs.transfer(Account.of(MINTER), Account.of(Principal.canister(100 + i % 11)),
                    BigInteger.valueOf(1 + i)), 1_000L * (i + 1));
        }
        return ledger;
    }

    @Test
    void threeLedgersBackfillKilledAtARandomMomentEndWithEveryBlockOnceInOrder() throws Exception {
        IcrcLedger icrcA = ledger(77_771, TOTAL * 4 / 10);
        IcrcLedger icrcB = ledger(77_772, TOTAL * 3 / 10);
        IcrcLedger icpLedger = ledger(77_773, TOTAL - TOTAL * 4 / 10 - TOTAL * 3 / 10);
        long seed = System.nanoTime();
        int killAfter = (int) (TOTAL * (0.05 + new Random(seed).nextDouble() * 0.35));
        System.out.printf("LedgerCrashRecoveryIT: %,d blocks, SIGKILL after at least %,d (seed %d)%n", TOTAL, killAfter, seed);
        try (FakeReplica replica = new FakeReplica();
                ServiceProcess service = ServiceProcess.builder(dir.resolve("service.log"))
                        .externalServices("ledger_crash_recovery")
                        .property("interlock.data-dir", dir.resolve("data").toString())
                        .property("interlock.ingest.demo.enabled", "false")
                        .property("interlock.ingest.ledgers.a.canister", icrcA.id().toString())
                        .property("interlock.ingest.ledgers.a.gateway", replica.url().toString())
                        .property("interlock.ingest.ledgers.a.start", "genesis")
                        .property("interlock.ingest.ledgers.b.canister", icrcB.id().toString())
                        .property("interlock.ingest.ledgers.b.gateway", replica.url().toString())
                        .property("interlock.ingest.ledgers.b.start", "genesis")
                        .property("interlock.ingest.ledgers.icp.canister", icpLedger.id().toString())
                        .property("interlock.ingest.ledgers.icp.kind", "icp")
                        .property("interlock.ingest.ledgers.icp.gateway", replica.url().toString())
                        .property("interlock.ingest.ledgers.icp.start", "genesis")
                        .property("interlock.ingest.ledgers.icp.pages-per-poll", "1")
                        .build()) {
            replica.serve(icrcA);
            replica.serve(icrcB);
            IcpEncoding icp = replica.serveIcp(icpLedger);
            // slow the replica down until the kill, so that the backfill is still under way when it comes
            replica.inject((r, n) -> new FakeReplica.Fault.Delay(50));
            service.start().awaitReady(Duration.ofSeconds(90));
            awaitBlocks(killAfter, Duration.ofSeconds(300));
            service.kill();
            replica.inject(null);
            int beforeKill = blocks().size();
            System.out.printf("LedgerCrashRecoveryIT: killed with %,d blocks on the topic%n", beforeKill);
            assertThat(beforeKill).as("killed mid-backfill").isBetween(killAfter, TOTAL - 1);

            service.start().awaitReady(Duration.ofSeconds(90));
            awaitBlocks(TOTAL, Duration.ofSeconds(FULL ? 1_200 : 240));
            Thread.sleep(1_000); // a duplicate, if any were produced, would show up by now

            Map<String, List<LedgerBlock>> byLedger = blocks().stream().collect(Collectors.groupingBy(LedgerBlock::ledger));
            assertEveryBlockOnceInOrder(byLedger.get(icrcA.id().toString()), icrcA.length(), i -> icrcA.hash(i));
            assertEveryBlockOnceInOrder(byLedger.get(icrcB.id().toString()), icrcB.length(), i -> icrcB.hash(i));
            assertEveryBlockOnceInOrder(byLedger.get(icpLedger.id().toString()), icpLedger.length(), i -> Hashes.sha256(icp.block(i)));
            assertThat(byLedger.get(icpLedger.id().toString()).get(0).raw()).isEqualTo(HexFormat.of().formatHex(icp.block(0)));
            com.fasterxml.jackson.databind.JsonNode status = Json.mapper().readTree(
                    ServiceProcess.Http.get(service.baseUrl() + "/api/ingest/status"));
            assertThat(status.get("active").asBoolean()).isTrue();
            Map<String, com.fasterxml.jackson.databind.JsonNode> sources = new java.util.TreeMap<>();
            status.get("sources").forEach(n -> sources.put(n.get("source").asText(), n));
            assertThat(sources).containsOnlyKeys("ledger-a", "ledger-b", "ledger-icp");
            assertThat(sources.get("ledger-icp").get("kind").asText()).isEqualTo("icp");
            assertThat(sources.get("ledger-a").get("kind").asText()).isEqualTo("icrc");
            assertThat(sources.get("ledger-icp").get("nextIndex").asLong()).isEqualTo(icpLedger.length());
            assertThat(sources.get("ledger-icp").get("lag").asLong()).isZero();
            assertThat(sources.get("ledger-b").get("state").asText()).isEqualTo("running");
            assertThat(sources.get("ledger-b").get("lastCertifiedTip").asText()).startsWith("block " + (icrcB.length() - 1) + " ");
            assertThat(TopicReader.readAll(SharedServices.kafkaConfig(), Topics.ALERTS).stream()
                    .map(r -> Json.decode(r.value(), Alert.class)).filter(a -> LEDGERS.contains(a.canister())))
                    .as("no integrity alert on honest ledgers").isEmpty();
        }
    }

    private static void assertEveryBlockOnceInOrder(List<LedgerBlock> got, long length, LongFunction<byte[]> hash) {
        assertThat(got).hasSize((int) length);
        for (int i = 0; i < length; i++) {
            assertThat(got.get(i).index()).as("position %d", i).isEqualTo(i);
            assertThat(got.get(i).hash()).isEqualTo(HexFormat.of().formatHex(hash.apply(i)));
        }
        assertThat(got.get((int) length - 1).verification()).isEqualTo(LedgerBlock.VERIFIED_CERTIFIED_TIP);
    }

    private static final List<String> LEDGERS = List.of(Principal.canister(77_771).toString(), Principal.canister(77_772).toString(),
            Principal.canister(77_773).toString());

    /** This test's ledgers' blocks on the committed topic (other tests share the broker). */
    private static List<LedgerBlock> blocks() {
        return TopicReader.readAll(SharedServices.kafkaConfig(), Topics.LEDGER_BLOCKS).stream()
                .filter(r -> LEDGERS.contains(r.key())).map(r -> Json.decode(r.value(), LedgerBlock.class)).toList();
    }

    private static void awaitBlocks(int atLeast, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int have;
        while ((have = blocks().size()) < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + atLeast + " blocks within " + timeout + " (have " + have + ")");
            }
            Thread.sleep(100);
        }
    }
}
