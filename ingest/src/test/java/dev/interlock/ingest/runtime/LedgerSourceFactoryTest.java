package dev.interlock.ingest.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.interlock.ingest.source.ledger.LedgerSource;

class LedgerSourceFactoryTest {
    private static IngestConfig.Ledger ledger(String canister, String kind, String start) {
        return new IngestConfig.Ledger() {
            public String canister() {
                return canister;
            }

            public String kind() {
                return kind;
            }

            public String gateway() {
                return "https://icp-api.io";
            }

            public String start() {
                return start;
            }

            public int pagesPerPoll() {
                return 10;
            }

            public int concurrency() {
                return 4;
            }

            public Duration pollInterval() {
                return Duration.ofSeconds(2);
            }

            public Duration timeout() {
                return Duration.ofSeconds(30);
            }

            public int maxReplyBytes() {
                return 1 << 22;
            }
        };
    }

    @Test
    void aConfiguredIcrcLedgerBecomesASourceNamedAfterIt() {
        var s = LedgerSourceFactory.create("ckbtc", ledger("mxzaz-hqaaa-aaaar-qaada-cai", "icrc", "genesis"), HttpClient.newHttpClient());
        assertThat(s.id()).isEqualTo("ledger-ckbtc");
        assertThat(s.pollInterval()).isEqualTo(Duration.ofSeconds(2));
        var icp = LedgerSourceFactory.create("icp", ledger("ryjl3-tyaaa-aaaaa-aaaba-cai", "icp", "genesis"), HttpClient.newHttpClient());
        assertThat(icp.status()).containsEntry("kind", "icp").containsEntry("ledger", "ryjl3-tyaaa-aaaaa-aaaba-cai");
        assertThat(s.status()).containsEntry("kind", "icrc");
        assertThat(LedgerSourceFactory.start("k", "1234")).isEqualTo(new LedgerSource.Start.At(1234));
        assertThat(LedgerSourceFactory.start("k", "tip")).isEqualTo(new LedgerSource.Start.Tip());
    }

    @Test
    void configurationMistakesNameTheKeyAndTheValue() {
        HttpClient http = HttpClient.newHttpClient();
        assertThatThrownBy(() -> LedgerSourceFactory.create("x", ledger("not-a-principal", "icrc", "tip"), http))
                .hasMessageStartingWith("interlock.ingest.ledgers.x.canister: 'not-a-principal' is not a principal");
        assertThatThrownBy(() -> LedgerSourceFactory.create("x", ledger("mxzaz-hqaaa-aaaar-qaada-cai", "icrc-1", "tip"), http))
                .hasMessage("interlock.ingest.ledgers.x.kind: 'icrc-1' is not supported; supported: icp, icrc");
        assertThatThrownBy(() -> LedgerSourceFactory.create("x", ledger("mxzaz-hqaaa-aaaar-qaada-cai", "icrc", "yesterday"), http))
                .hasMessage("interlock.ingest.ledgers.x.start: 'yesterday' is none of genesis, tip or a block index");
    }
}
