package dev.interlock.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.interlock.ic.Account;
import dev.interlock.ic.Principal;
import dev.interlock.model.Json;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.Topics;
import dev.interlock.sim.ledger.IcrcLedger;
import dev.interlock.sim.ledger.TransferArgs;
import dev.interlock.sim.replica.FakeReplica;
import dev.interlock.testsupport.ServiceProcess;
import dev.interlock.testsupport.SharedServices;
import dev.interlock.testsupport.TopicReader;

/**
 * Ledger ingestion under SIGKILL: the service follows a simulated ICRC ledger (with archives) through
 * the fake replica, is killed mid-backfill and restarted; the committed ledger topic then holds every
 * block exactly once, in order, with the ledger's own hashes.
 */
class LedgerCrashRecoveryIT {
    private static final int BLOCKS = 30_000;

    @TempDir
    Path dir;

    @Test
    void aLedgerBackfillKilledMidwayEndsWithEveryBlockOnceInOrder() throws Exception {
        IcrcLedger ledger = new IcrcLedger(Principal.canister(77_777), Account.of(Principal.canister(1)), BigInteger.TEN, null,
                86_400_000_000_000L, 60_000_000_000L, 2_000, 1_000, 10_000);
        for (int i = 0; i < BLOCKS; i++) {
            ledger.transfer(Principal.canister(1), TransferArgs.transfer(Account.of(Principal.canister(1)),
                    Account.of(Principal.canister(100 + i % 11)), BigInteger.valueOf(1 + i)), 1_000L * (i + 1));
        }
        try (FakeReplica replica = new FakeReplica();
                ServiceProcess service = ServiceProcess.builder(dir.resolve("service.log"))
                        .externalServices("ledger_crash_recovery")
                        .property("interlock.data-dir", dir.resolve("data").toString())
                        .property("interlock.ingest.demo.enabled", "false")
                        .property("interlock.ingest.ledgers.sim.canister", ledger.id().toString())
                        .property("interlock.ingest.ledgers.sim.gateway", replica.url().toString())
                        .property("interlock.ingest.ledgers.sim.start", "genesis")
                        .property("interlock.ingest.ledgers.sim.pages-per-poll", "1")
                        .property("interlock.ingest.ledgers.sim.poll-interval", "200ms")
                        .build()) {
            replica.serve(ledger);
            service.start().awaitReady(Duration.ofSeconds(90));
            awaitBlocks(1_000, Duration.ofSeconds(60));
            service.kill();
            int beforeKill = blocks().size();
            assertThat(beforeKill).as("killed mid-backfill").isBetween(1_000, BLOCKS - 1);

            service.start().awaitReady(Duration.ofSeconds(90));
            awaitBlocks(BLOCKS, Duration.ofSeconds(120));
            Thread.sleep(1_000); // a duplicate, if any were produced, would show up by now

            List<LedgerBlock> all = blocks();
            assertThat(all).hasSize(BLOCKS);
            for (int i = 0; i < BLOCKS; i++) {
                assertThat(all.get(i).index()).as("position %d", i).isEqualTo(i);
                assertThat(all.get(i).hash()).isEqualTo(HexFormat.of().formatHex(ledger.hash(i)));
            }
            assertThat(all.get(BLOCKS - 1).verification()).isEqualTo(LedgerBlock.VERIFIED_CERTIFIED_TIP);
        }
    }

    private static final String LEDGER = Principal.canister(77_777).toString();

    /** This test's ledger's blocks on the committed topic (other tests share the broker). */
    private static List<LedgerBlock> blocks() {
        return TopicReader.readAll(SharedServices.kafkaConfig(), Topics.LEDGER_BLOCKS).stream()
                .filter(r -> LEDGER.equals(r.key())).map(r -> Json.decode(r.value(), LedgerBlock.class)).toList();
    }

    private static void awaitBlocks(int atLeast, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (blocks().size() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + atLeast + " blocks within " + timeout + " (have " + blocks().size() + ")");
            }
            Thread.sleep(200);
        }
    }
}
