package dev.interlock.ingest.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.interlock.ic.Account;
import dev.interlock.ic.Principal;
import dev.interlock.ic.identity.Identity;
import dev.interlock.sim.engine.CanisterLog;
import dev.interlock.sim.ledger.IcrcLedger;
import dev.interlock.sim.ledger.TransferArgs;
import dev.interlock.sim.replica.FakeReplica;

/** The test fetch each target type makes before a target is stored, against the fake replica. */
class TestFetchTest {
    private static final Principal MINTER = Principal.canister(1);
    private static final Principal LEDGER = Principal.canister(4242);
    private static final Principal LOGGED = Principal.canister(4343);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private FakeReplica replica;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        replica = new FakeReplica();
        IcrcLedger ledger = new IcrcLedger(LEDGER, Account.of(MINTER), BigInteger.TEN, null, 86_400_000_000_000L, 60_000_000_000L,
                2_000, 1_000, 10_000);
        ledger.transfer(MINTER, TransferArgs.transfer(Account.of(MINTER), Account.of(Principal.canister(7)), BigInteger.ONE), 1_000L);
        replica.serve(ledger);
    }

    @AfterEach
    void stop() {
        replica.close();
    }

    private void fetch(String type, Principal canister, String gateway, Map<String, String> settings) throws TestFetchException {
        TargetType t = Targets.types().get(type, "type");
        t.testFetch(t.validate(new TargetSpec("t", type, canister.toString(), gateway, settings), TargetRequest.FIELD), HTTP);
    }

    @Test
    void aServedIcrcLedgerPasses() {
        assertThatCode(() -> fetch("ledger-icrc", LEDGER, replica.url().toString(), Map.of())).doesNotThrowAnyException();
    }

    @Test
    void anIcrcLedgerTestedAsTheIcpLedgerIsRefusedSuggestingTheOtherType() {
        assertThatThrownBy(() -> fetch("ledger-icp", LEDGER, replica.url().toString(), Map.of()))
                .isInstanceOf(TestFetchException.class)
                .hasMessageStartingWith(LEDGER + " is not a ledger that speaks the ICP ledger's interface (query_encoded_blocks) "
                        + "(is it of type ledger-icrc?)");
    }

    @Test
    void aCanisterTheGatewayDoesNotKnowIsRefused() {
        Principal unknown = Principal.canister(999_999);
        assertThatThrownBy(() -> fetch("ledger-icrc", unknown, replica.url().toString(), Map.of()))
                .hasMessageStartingWith("no canister " + unknown + " behind gateway " + replica.url());
    }

    @Test
    void anUnreachableGatewayIsRefused() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> fetch("ledger-icrc", LEDGER, "http://127.0.0.1:" + port, Map.of("timeout", "2s")))
                .hasMessageStartingWith("gateway http://127.0.0.1:" + port + " did not answer a query to " + LEDGER);
    }

    @Test
    void aLogVisibleOnlyToControllersNamesThePrincipalToAddAsAnAllowedViewer() throws Exception {
        Identity viewer = new dev.interlock.ic.identity.Ed25519Identity(new byte[32]);
        replica.serveLogs(LOGGED, new CanisterLog(CanisterLog.DEFAULT_LIMIT), Set.of(viewer.principal()));
        assertThatThrownBy(() -> fetch("canister-logs", LOGGED, replica.url().toString(), Map.of()))
                .isInstanceOf(TestFetchException.class)
                .hasMessageStartingWith("the log of " + LOGGED + " is not visible to " + Identity.ANONYMOUS.principal()
                        + " (anonymous): its log visibility is controllers or allowed viewers; add principal "
                        + Identity.ANONYMOUS.principal() + " as an allowed log viewer of " + LOGGED
                        + ", and give settings.identity the PEM file of that identity");

        replica.serveLogs(LOGGED, new CanisterLog(CanisterLog.DEFAULT_LIMIT), Set.of());
        assertThatCode(() -> fetch("canister-logs", LOGGED, replica.url().toString(), Map.of())).as("public log")
                .doesNotThrowAnyException();
        assertThat(Files.list(dir)).isEmpty();
    }
}
