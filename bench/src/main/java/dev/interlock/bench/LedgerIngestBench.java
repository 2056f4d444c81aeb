package dev.interlock.bench;

import java.math.BigInteger;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import dev.interlock.ic.Account;
import dev.interlock.ic.Principal;
import dev.interlock.ic.agent.IcpLedgerClient;
import dev.interlock.ic.agent.Icrc3Client;
import dev.interlock.ic.agent.QueryClient;
import dev.interlock.ic.candid.CandidDecoder;
import dev.interlock.ingest.runtime.Backoff;
import dev.interlock.ingest.runtime.SourceRunner;
import dev.interlock.ingest.source.ledger.IcpProtocol;
import dev.interlock.ingest.source.ledger.Icrc3Protocol;
import dev.interlock.ingest.source.ledger.LedgerProtocol;
import dev.interlock.ingest.source.ledger.LedgerSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.interlock.sim.ledger.IcrcLedger;
import dev.interlock.sim.ledger.TransferArgs;
import dev.interlock.sim.replica.FakeReplica;
import dev.interlock.testsupport.SharedServices;

/**
 * Ledger ingestion end to end: a simulated ledger with archives served by the fake replica over HTTP
 * (ICRC-3 and ICP wire formats), read by the ledger source (pages fetched concurrently, every block
 * hash-checked, the tip compared with the certificate) and published with its cursor in Kafka
 * transactions to the embedded broker. Prints verified-and-published blocks per second for each kind.
 * The fake replica (Candid and CBOR encoding of every reply) runs on the same machine and shares its
 * cores. Each kind runs once as a warm-up (the JIT compiles the hot paths, as in a running service), then
 * read-only (no Kafka) and end to end, both measured. Arguments: {@code --blocks N} (per kind, default 300,000), {@code --pages P} (pages per poll,
 * default 10), {@code --concurrency C} (default 4), {@code --kinds icrc,icp}.
 */
public final class LedgerIngestBench {
    private LedgerIngestBench() {
    }

    public static void main(String[] args) throws Exception {
        // as in the service: INFO, so that Kafka's per-record trace logging is not formatted
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
        int blocks = 300_000;
        String kinds = "icrc,icp";
        int pages = 10;
        int concurrency = 4;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--blocks" -> blocks = Integer.parseInt(args[i + 1].replace("_", ""));
                case "--pages" -> pages = Integer.parseInt(args[i + 1]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
                case "--kinds" -> kinds = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; known: --blocks, --pages, --concurrency, --kinds");
            }
        }
        Map<String, Object> kafka = SharedServices.kafkaConfig();
        System.out.printf(Locale.ROOT, "LedgerIngestBench: %,d blocks per kind, %d pages per poll, %d concurrent, %d cores%n", blocks,
                pages, concurrency, Runtime.getRuntime().availableProcessors());
        try (FakeReplica replica = new FakeReplica()) {
            for (String kind : kinds.split(",")) {
                long t0 = System.nanoTime();
                IcrcLedger ledger = ledger(kind.equals("icrc") ? 880_001 : 880_002, blocks);
                QueryClient q = new QueryClient(replica.url(), HttpClient.newHttpClient(), Duration.ofSeconds(30), 64 << 20,
                        Clock.systemUTC());
                LedgerProtocol protocol;
                if (kind.equals("icrc")) {
                    replica.serve(ledger);
                    protocol = new Icrc3Protocol(new Icrc3Client(q, ledger.id(), CandidDecoder.Limits.DEFAULT));
                } else {
                    replica.serveIcp(ledger).tipHash(); // encodes every block before the clock starts
                    protocol = new IcpProtocol(new IcpLedgerClient(q, ledger.id(), CandidDecoder.Limits.DEFAULT));
                }
                System.out.printf(Locale.ROOT, "  %s: ledger of %,d blocks in %d archives built in %.1f s%n", kind, ledger.length(),
                        ledger.archives().size(), (System.nanoTime() - t0) / 1e9);
                System.out.println("  warm-up (JIT), not counted:");
                run(kind, kafka, protocol, blocks, pages, concurrency);
                readOnly(kind, protocol, blocks, pages, concurrency);
                run(kind, kafka, protocol, blocks, pages, concurrency);
            }
        }
        System.exit(0); // the shared broker's threads are not daemons
    }

    private static IcrcLedger ledger(long id, int blocks) {
        Principal minter = Principal.canister(1);
        IcrcLedger ledger = new IcrcLedger(Principal.canister(id), Account.of(minter), BigInteger.TEN, null, 86_400_000_000_000L,
                60_000_000_000L, 2_000, 1_000, 100_000);
        for (int i = 0; i < blocks; i++) {
            ledger.transfer(minter, TransferArgs.transfer(Account.of(minter), Account.of(Principal.canister(100 + i % 97)),
                    BigInteger.valueOf(1 + i)).withMemo(new byte[] {(byte) i, (byte) (i >> 8), 3, 4}), 1_000L * (i + 1));
        }
        return ledger;
    }

    /** The source alone (fetch, hash, verify, normalise), without Kafka: where the end-to-end time goes. */
    private static void readOnly(String kind, LedgerProtocol protocol, int blocks, int pages, int concurrency) throws Exception {
        LedgerSource source = new LedgerSource("bench-read-" + kind, protocol, new LedgerSource.Start.Genesis(), pages, concurrency,
                Duration.ofMillis(100));
        long start = System.nanoTime();
        long read = 0;
        String cursor = null;
        while (read < blocks) {
            var batch = source.poll(cursor);
            cursor = batch.cursor();
            read += batch.records().size();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        source.close();
        System.out.printf(Locale.ROOT, "  %s: read and verified only (no Kafka): %,.0f blocks/s%n", kind, read / seconds);
    }

    private static void run(String kind, Map<String, Object> kafka, LedgerProtocol protocol, int blocks, int pages,
            int concurrency) throws InterruptedException {
        LedgerSource source = new LedgerSource("bench-" + kind + "-" + System.nanoTime(), protocol,
                new LedgerSource.Start.Genesis(), pages, concurrency, Duration.ofMillis(100));
        // the service's runner: transactions of blocks + cursor, the next poll read ahead during each publish
        SourceRunner runner = new SourceRunner(source, kafka, () -> new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)),
                new SimpleMeterRegistry());
        Thread t = new Thread(runner, "bench-" + kind);
        long start = System.nanoTime();
        long lastReport = start;
        t.start();
        long published;
        while ((published = (Long) runner.status().get("published")) < blocks) {
            if (runner.status().get("problem") != null) {
                throw new IllegalStateException(kind + ": " + runner.status().get("problem"));
            }
            Thread.sleep(5);
            long now = System.nanoTime();
            if (now - lastReport > 5_000_000_000L) {
                lastReport = now;
                System.out.printf(Locale.ROOT, "    %,d blocks, %,.0f blocks/s so far%n", published, published / ((now - start) / 1e9));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        runner.stop();
        t.join();
        System.out.printf(Locale.ROOT, "  %s: %,d blocks verified and published in %.2f s: %,.0f blocks/s%n", kind, published, seconds,
                published / seconds);
    }
}
