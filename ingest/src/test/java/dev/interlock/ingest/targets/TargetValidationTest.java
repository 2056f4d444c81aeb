package dev.interlock.ingest.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.interlock.ingest.runtime.IngestConfig;
import dev.interlock.model.Json;

/** What {@code POST /api/targets} refuses before anything is fetched or stored, and what it fills in. */
class TargetValidationTest {
    private static final String LEDGER = "mxzaz-hqaaa-aaaar-qaada-cai";
    private static final TargetTypes TYPES = Targets.types();

    private static TargetSpec validate(String json) {
        JsonNode body;
        try {
            body = Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        TargetSpec spec = TargetRequest.parse(body).spec();
        return TYPES.get(spec.type(), "type").validate(spec, TargetRequest.FIELD);
    }

    private static String ledger(String settings) {
        return "{\"name\":\"ckbtc\",\"type\":\"ledger-icrc\",\"canister\":\"" + LEDGER + "\",\"settings\":" + settings + "}";
    }

    @Test
    void theTypesAreOnePerLedgerKindPlusCanisterLogs() {
        assertThat(TYPES.all()).containsOnlyKeys("canister-logs", "ledger-icp", "ledger-icrc");
        assertThat(TYPES.all().get("ledger-icp").sourceId("icp")).isEqualTo("ledger-icp");
        assertThat(TYPES.all().get("canister-logs").sourceId("vault")).isEqualTo("logs-vault");
    }

    @Test
    void aValidLedgerGetsTheDefaultGatewayAndKeepsOnlyTheSettingsGiven() {
        TargetSpec spec = validate(ledger("{\"start\":\"genesis\",\"pages-per-poll\":3}"));
        assertThat(spec).isEqualTo(new TargetSpec("ckbtc", "ledger-icrc", LEDGER, "https://icp-api.io",
                Map.of("start", "genesis", "pages-per-poll", "3")));
    }

    @Test
    void aMalformedPrincipalIsRefusedNamingTheCanisterField() {
        assertThatThrownBy(() -> validate("{\"name\":\"x\",\"type\":\"ledger-icrc\",\"canister\":\"mxzaz-hqaaa-aaaar-qaada-caj\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("canister: 'mxzaz-hqaaa-aaaar-qaada-caj' is not a principal");
    }

    @Test
    void anUnknownTypeIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> validate("{\"name\":\"x\",\"type\":\"ledger-erc20\",\"canister\":\"" + LEDGER + "\"}"))
                .hasMessage("type: 'ledger-erc20' is not a target type; known: canister-logs, ledger-icp, ledger-icrc");
    }

    @Test
    void aGatewayThatIsNotAnHttpUrlIsRefused() {
        assertThatThrownBy(() -> validate("{\"name\":\"x\",\"type\":\"ledger-icp\",\"canister\":\"" + LEDGER + "\",\"gateway\":\"icp-api.io\"}"))
                .hasMessage("gateway: 'icp-api.io' is not an http(s) URL with a host, such as https://icp-api.io");
        assertThatThrownBy(() -> validate("{\"name\":\"x\",\"type\":\"ledger-icp\",\"canister\":\"" + LEDGER + "\",\"gateway\":\"http://a b\"}"))
                .hasMessage("gateway: 'http://a b' is not a URL");
    }

    @Test
    void numbersAndDurationsOfTheWrongSyntaxOrRangeNameTheSetting() {
        assertThatThrownBy(() -> validate(ledger("{\"pages-per-poll\":\"ten\"}")))
                .hasMessage("settings.pages-per-poll: 'ten' is not a whole number");
        assertThatThrownBy(() -> validate(ledger("{\"concurrency\":0}")))
                .hasMessage("settings.concurrency must be at least 1, got 0");
        assertThatThrownBy(() -> validate(ledger("{\"poll-interval\":\"soon\"}")))
                .hasMessage("settings.poll-interval: 'soon' is not a duration (such as 500ms, 2s, 5m or PT2S)");
        assertThatThrownBy(() -> validate(ledger("{\"start\":\"-5\"}")))
                .hasMessage("settings.start: '-5' is none of genesis, tip or a block index");
    }

    @Test
    void unknownSettingsAndTheKindTheTypeSetsAreRefused() {
        assertThatThrownBy(() -> validate(ledger("{\"pages\":3}")))
                .hasMessageStartingWith("settings.pages: unknown setting; known: canister, concurrency, gateway, kind, max-reply-bytes");
        assertThatThrownBy(() -> validate(ledger("{\"kind\":\"icp\"}")))
                .hasMessage("settings.kind: not a setting of type ledger-icrc (the type sets it)");
    }

    @Test
    void malformedBodiesNameTheField() {
        assertThatThrownBy(() -> validate("{\"type\":\"ledger-icrc\",\"canister\":\"" + LEDGER + "\"}")).hasMessage("name: missing");
        assertThatThrownBy(() -> validate("{\"name\":\"a/b\",\"type\":\"ledger-icrc\",\"canister\":\"" + LEDGER + "\"}"))
                .hasMessageStartingWith("name: 'a/b' must be 1-64 letters");
        assertThatThrownBy(() -> validate("{\"name\":\"x\",\"type\":\"ledger-icrc\",\"canister\":\"" + LEDGER + "\",\"colour\":\"red\"}"))
                .hasMessageStartingWith("colour: unknown field");
        assertThatThrownBy(() -> validate(ledger("{\"gateway\":\"https://x.io\"}")))
                .hasMessage("settings.gateway: give it as the field gateway instead");
        assertThatThrownBy(() -> validate(ledger("[1]"))).hasMessage("settings: must be an object of setting names to values");
        assertThatThrownBy(() -> validate(ledger("{\"start\":{\"at\":1}}"))).hasMessage("settings.start: must be a string, number or boolean");
        assertThatThrownBy(() -> validate(ledger("{}").replace("\"settings\":{}", "\"testFetch\":\"no\"")))
                .hasMessage("testFetch: must be true or false");
    }

    @Test
    void aCanisterLogIdentityFileThatCannotBeReadIsRefused() {
        assertThatThrownBy(() -> validate("{\"name\":\"vault\",\"type\":\"canister-logs\",\"canister\":\"" + LEDGER
                + "\",\"settings\":{\"identity\":\"/nonexistent/identity.pem\"}}"))
                .hasMessageStartingWith("settings.identity: ");
    }

    @Test
    void aConfigurationBlockTurnsIntoSettingsAndBackUnchanged() {
        IngestConfig.Ledger l = ConfigBlocks.bind(IngestConfig.Ledger.class,
                Map.of("canister", LEDGER, "kind", "icp", "poll-interval", "500ms", "timeout", "1m"), k -> k);
        assertThat(l.pollInterval()).isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(l.pagesPerPoll()).as("declared default").isEqualTo(10);
        Map<String, String> values = ConfigBlocks.values(IngestConfig.Ledger.class, l);
        assertThat(values).containsEntry("poll-interval", "500ms").containsEntry("timeout", "1m").containsEntry("gateway", "https://icp-api.io")
                .containsEntry("start", "tip");
        assertThat(ConfigBlocks.values(IngestConfig.Ledger.class, ConfigBlocks.bind(IngestConfig.Ledger.class, values, k -> k)))
                .isEqualTo(values);
        assertThat(ConfigBlocks.keys(IngestConfig.Ledger.class)).containsAll(List.of("pages-per-poll", "max-reply-bytes"));
    }
}
