package dev.interlock.sim.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.interlock.ic.Principal;
import dev.interlock.ic.agent.CanisterStatusClient;
import dev.interlock.ic.agent.IcException;
import dev.interlock.ic.agent.QueryClient;
import dev.interlock.ic.agent.UpdateClient;
import dev.interlock.ic.candid.CandidDecoder;
import dev.interlock.ic.identity.Ed25519Identity;
import dev.interlock.ic.identity.Identity;
import dev.interlock.sim.engine.CanisterLog;

/** {@code canister_status} as an update call, through the IC client, against the fake replica's management canister. */
class CanisterStatusCallTest {
    private static final Principal CANISTER = Principal.canister(4343);
    private static final Identity CONTROLLER = new Ed25519Identity(new byte[32]);
    private static final Identity STRANGER = new Ed25519Identity(filled(7));

    private FakeReplica replica;

    @BeforeEach
    void start() throws Exception {
        replica = new FakeReplica();
        replica.serveLogs(CANISTER, new CanisterLog(65_536), Set.of(CONTROLLER.principal()));
        replica.controllers(CANISTER, Set.of(CONTROLLER.principal()), Set.of());
    }

    @AfterEach
    void stop() {
        replica.close();
    }

    private static byte[] filled(int b) {
        byte[] seed = new byte[32];
        java.util.Arrays.fill(seed, (byte) b);
        return seed;
    }

    private UpdateClient updates(Identity id) {
        return new UpdateClient(new QueryClient(replica.url(), HttpClient.newHttpClient(), Duration.ofSeconds(5), 1 << 20,
                Clock.systemUTC(), id), Duration.ofSeconds(5));
    }

    private CanisterStatusClient client(Identity id) {
        return new CanisterStatusClient(updates(id), CandidDecoder.Limits.DEFAULT);
    }

    @Test
    void aControllerReadsTheLogMemoryLimitFromTheCertifiedReply() {
        CanisterStatusClient.CanisterStatus s = client(CONTROLLER).status(CANISTER);
        assertThat(s.status()).isEqualTo("running");
        assertThat(s.controllers()).containsExactly(CONTROLLER.principal());
        assertThat(s.logMemoryLimit()).hasValue(65_536);
    }

    @Test
    void aNonControllerIsRefusedWithTheReplicasRejectCodeAndMessage() {
        assertThatThrownBy(() -> client(STRANGER).status(CANISTER)).isInstanceOfSatisfying(IcException.Rejected.class, e -> {
            assertThat(e.rejectCode()).isEqualTo(5);
            assertThat(e.errorCode()).isEqualTo("IC0512");
            assertThat(e.rejectMessage()).isEqualTo("Only controllers of canister " + CANISTER + " can call ic00 method canister_status");
        });
        assertThatThrownBy(() -> client(Identity.ANONYMOUS).status(CANISTER)).isInstanceOf(IcException.Rejected.class);
    }

    @Test
    void anAllowedStatusViewerThatIsNoControllerReadsItToo() {
        replica.controllers(CANISTER, Set.of(CONTROLLER.principal()), Set.of(STRANGER.principal()));
        assertThat(client(STRANGER).status(CANISTER).logMemoryLimit()).hasValue(65_536);
    }

    @Test
    void aReplyWithoutLogMemoryLimitReadsAsUnknown() {
        replica.logMemoryLimitInStatus(false);
        CanisterStatusClient.CanisterStatus s = client(CONTROLLER).status(CANISTER);
        assertThat(s.logMemoryLimit()).isEmpty();
        assertThat(s.controllers()).containsExactly(CONTROLLER.principal());
    }

    @Test
    void aGatewayWithoutTheSynchronousEndpointsIsCalledOnV2AndPolledByReadState() {
        AtomicInteger calls = new AtomicInteger();
        replica.inject((r, n) -> r.method().equals("canister_status") && calls.incrementAndGet() <= 2
                ? new FakeReplica.Fault.Http(404, "no such endpoint".getBytes()) : null);
        UpdateClient updates = updates(CONTROLLER);
        CanisterStatusClient.CanisterStatus s = new CanisterStatusClient(updates, CandidDecoder.Limits.DEFAULT).status(CANISTER);
        assertThat(s.logMemoryLimit()).hasValue(65_536);
        assertThat(updates.usingV2()).isTrue();
        assertThat(calls).hasValue(3);
    }

    @Test
    void aRejectedCallIsReadFromTheCertificate() {
        assertThatThrownBy(() -> updates(CONTROLLER).call(CANISTER, Principal.MANAGEMENT, "stop_canister",
                CanisterStatusClient.encodeArgs(CANISTER))).isInstanceOfSatisfying(IcException.Rejected.class, e -> {
                    assertThat(e.rejectCode()).isEqualTo(5);
                    assertThat(e.errorCode()).isEqualTo("IC0536");
                });
    }
}
