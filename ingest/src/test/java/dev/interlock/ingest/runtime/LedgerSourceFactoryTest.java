package dev.interlock.ingest.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.interlock.ingest.source.ledger.Icrc3LedgerSource;

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
        assertThat(LedgerSourceFactory.start("k", "1234")).isEqualTo(new Icrc3LedgerSource.Start.At(1234));
        assertThat(LedgerSourceFactory.start("k", "tip")).isEqualTo(new Icrc3LedgerSource.Start.Tip());
    }

    @Test
    void configurationMistakesNameTheKeyAndTheValue() {
        HttpClient http = HttpClient.newHttpClient();
        assertThatThrownBy(() -> LedgerSourceFactory.create("x", ledger("not-a-principal", "icrc", "tip"), http))
                .hasMessageStartingWith("interlock.ingest.ledgers.x.canister: 'not-a-principal' is not a principal");
        assertThatThrownBy(() -> LedgerSourceFactory.create("x", ledger("mxzaz-hqaaa-aaaar-qaada-cai", "icp", "tip"), http))
                .hasMessage("interlock.ingest.ledgers.x.kind: 'icp' is not supported; supported: icrc");
        assertThatThrownBy(() -> LedgerSourceFactory.create("x", ledger("mxzaz-hqaaa-aaaar-qaada-cai", "icrc", "yesterday"), http))
                .hasMessage("interlock.ingest.ledgers.x.start: 'yesterday' is none of genesis, tip or a block index");
    }
}
