package dev.interlock.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.interlock.ic.Account;
import dev.interlock.ic.Principal;
import dev.interlock.model.Json;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.Topics;
import dev.interlock.sim.engine.CanisterLog;
import dev.interlock.sim.ledger.IcrcLedger;
import dev.interlock.sim.ledger.TransferArgs;
import dev.interlock.sim.replica.FakeReplica;
import dev.interlock.testsupport.ServiceProcess;
import dev.interlock.testsupport.SharedServices;
import dev.interlock.testsupport.TopicReader;

/**
 * {@code /api/targets} on a running service (ingest role, shared embedded Kafka and PostgreSQL, the fake replica as
 * gateway): a ledger added over HTTP is followed at once, pausing stops it while the ledger grows, resuming picks up
 * from its cursor with no duplicates, removing stops it for good; a canister whose log the service may not read is
 * refused with the principal to allow; a configured ledger is seeded into the table.
 */
class TargetsApiIT {
    private static final Principal MINTER = Principal.canister(1);
    private static final Principal ADDED = Principal.canister(78_001);
    private static final Principal SEEDED = Principal.canister(78_002);
    private static final Principal LOGGED = Principal.canister(78_003);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private static void grow(IcrcLedger ledger, int from, int to) {
        for (int i = from; i < to; i++) {
            ledger.transfer(MINTER, TransferArgs.transfer(Account.of(MINTER), Account.of(Principal.canister(100 + i % 7)),
                    BigInteger.valueOf(1 + i)), 1_000L * (i + 1));
        }
    }

    private static IcrcLedger ledger(Principal id, int blocks) {
        IcrcLedger ledger = new IcrcLedger(id, Account.of(MINTER), BigInteger.TEN, null, 86_400_000_000_000L, 60_000_000_000L,
                2_000, 1_000, 10_000);
        grow(ledger, 0, blocks);
        return ledger;
    }

    private static HttpResponse<String> send(String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    private static List<Long> blocks(Principal ledger) {
        return TopicReader.readAll(SharedServices.kafkaConfig(), Topics.LEDGER_BLOCKS).stream()
                .filter(r -> ledger.toString().equals(r.key())).map(r -> Json.decode(r.value(), LedgerBlock.class).index()).toList();
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(200);
        }
    }

    private static boolean runnerGone(String base, String name) {
        try {
            return json(send("GET", base + "/api/targets/" + name, null)).get("runner").isNull();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aLedgerAddedOverHttpIsFollowedPausedResumedWithoutDuplicatesAndRemovedWhileARefusedLogReadIsExplained() throws Exception {
        IcrcLedger added = ledger(ADDED, 250);
        IcrcLedger seeded = ledger(SEEDED, 30);
        try (FakeReplica replica = new FakeReplica();
                ServiceProcess service = ServiceProcess.builder(dir.resolve("service.log"))
                        .externalServices("targets_api")
                        .property("interlock.roles", "ingest")
                        .property("interlock.data-dir", dir.resolve("data").toString())
                        .property("interlock.ingest.demo.enabled", "false")
                        .property("interlock.ingest.targets.refresh", "500ms")
                        .property("interlock.ingest.ledgers.seeded.canister", SEEDED.toString())
                        .property("interlock.ingest.ledgers.seeded.gateway", replica.url().toString())
                        .property("interlock.ingest.ledgers.seeded.start", "genesis")
                        .build()) {
            replica.serve(added);
            replica.serve(seeded);
            replica.serveLogs(LOGGED, new CanisterLog(CanisterLog.DEFAULT_LIMIT), Set.of(Principal.canister(5)));
            service.start().awaitReady(Duration.ofSeconds(90));
            String base = service.baseUrl();
            long started = System.nanoTime();

            JsonNode listed = json(send("GET", base + "/api/targets", null));
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).get("name").asText()).isEqualTo("seeded");
            assertThat(listed.get(0).get("origin").asText()).isEqualTo("config");
            assertThat(listed.get(0).get("settings").get("start").asText()).isEqualTo("genesis");
            await("the seeded ledger's 30 blocks", Duration.ofSeconds(30), () -> blocks(SEEDED).size() == 30);

            String body = "{\"name\":\"l1\",\"type\":\"ledger-icrc\",\"canister\":\"" + ADDED + "\",\"gateway\":\"" + replica.url()
                    + "\",\"settings\":{\"start\":\"genesis\",\"poll-interval\":\"200ms\",\"pages-per-poll\":1}}";
            HttpResponse<String> created = send("POST", base + "/api/targets", body);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(json(created).get("state").asText()).isEqualTo("active");
            assertThat(json(created).get("origin").asText()).isEqualTo("api");
            assertThat(json(created).get("source").asText()).isEqualTo("ledger-l1");
            assertThat(created.headers().firstValue("Location")).contains("/api/targets/l1");

            HttpResponse<String> duplicate = send("POST", base + "/api/targets", body);
            assertThat(duplicate.statusCode()).isEqualTo(409);
            assertThat(json(duplicate).get("code").asText()).isEqualTo("ALREADY_EXISTS");
            HttpResponse<String> badPrincipal = send("POST", base + "/api/targets", body.replace("\"l1\"", "\"l2\"")
                    .replace(ADDED.toString(), "not-a-principal"));
            assertThat(badPrincipal.statusCode()).isEqualTo(400);
            assertThat(json(badPrincipal).get("message").asText()).startsWith("canister: 'not-a-principal' is not a principal");

            await("the added ledger's 250 blocks", Duration.ofSeconds(30), () -> blocks(ADDED).size() >= 250);
            JsonNode running = json(send("GET", base + "/api/targets/l1", null));
            assertThat(running.get("runner").get("source").asText()).isEqualTo("ledger-l1");
            assertThat(running.get("runner").get("state").asText()).isEqualTo("running");

            HttpResponse<String> paused = send("POST", base + "/api/targets/l1/pause", null);
            assertThat(paused.statusCode()).isEqualTo(200);
            assertThat(json(paused).get("state").asText()).isEqualTo("paused");
            await("the paused target's runner to stop", Duration.ofSeconds(15), () -> runnerGone(base, "l1"));
            grow(added, 250, 400);
            Thread.sleep(2_000); // running, it would have read the new blocks within 200 ms
            assertThat(blocks(ADDED)).as("nothing read while paused").hasSize(250);

            assertThat(json(send("POST", base + "/api/targets/l1/resume", null)).get("state").asText()).isEqualTo("active");
            await("the rest of the blocks after resuming", Duration.ofSeconds(30), () -> blocks(ADDED).size() >= 400);
            Thread.sleep(500); // a duplicate, if any were produced, would show up by now
            assertThat(blocks(ADDED)).as("every block once, in order").containsExactlyElementsOf(
                    java.util.stream.LongStream.range(0, 400).boxed().toList());

            HttpResponse<String> removed = send("DELETE", base + "/api/targets/l1", null);
            assertThat(removed.statusCode()).isEqualTo(200);
            assertThat(json(removed).get("state").asText()).isEqualTo("removed");
            assertThat(send("GET", base + "/api/targets/l1", null).statusCode()).isEqualTo(404);
            assertThat(send("POST", base + "/api/targets/l1/resume", null).statusCode()).isEqualTo(404);
            await("the removed target's source to leave the ingest status", Duration.ofSeconds(15), () -> !ServiceProcess.Http
                    .get(base + "/api/ingest/status").contains("ledger-l1"));
            assertThat(json(send("GET", base + "/api/targets", null))).extracting(n -> n.get("name").asText()).containsExactly("seeded");

            HttpResponse<String> refused = send("POST", base + "/api/targets", "{\"name\":\"vault\",\"type\":\"canister-logs\","
                    + "\"canister\":\"" + LOGGED + "\",\"gateway\":\"" + replica.url() + "\"}");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
            assertThat(json(refused).get("code").asText()).isEqualTo("TEST_FETCH_FAILED");
            assertThat(json(refused).get("message").asText()).contains("add principal 2vxsx-fae as an allowed log viewer of " + LOGGED);
            assertThat(send("GET", base + "/api/targets/vault", null).statusCode()).as("nothing stored").isEqualTo(404);
            System.out.printf("TargetsApiIT: API part took %d ms%n", (System.nanoTime() - started) / 1_000_000);
        }
    }
}
