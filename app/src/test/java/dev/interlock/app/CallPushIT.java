package dev.interlock.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.interlock.model.CallEvent;
import dev.interlock.model.Json;
import dev.interlock.model.Topics;
import dev.interlock.testsupport.ServiceProcess;
import dev.interlock.testsupport.SharedServices;
import dev.interlock.testsupport.TopicReader;

/** {@code POST /api/ingest/calls} over a real HTTP connection to the running service. */
class CallPushIT {
    private static final String CANISTER = "rrkah-fqaaa-aaaaa-aaaaq-cai";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static String line(long idx, String content) {
        long ts = System.currentTimeMillis() * 1_000_000L;
        return Json.mapper().createObjectNode().put("canister", CANISTER).put("idx", idx).put("ts", ts).put("content", content)
                .toString();
    }

    private static HttpResponse<String> push(ServiceProcess service, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(service.baseUrl() + "/api/ingest/calls"))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aMixedBatchPublishesTheGoodLinesOnceAndNamesEachBadOneWhileTokensLimitsAndRatesAreEnforced() throws Exception {
        try (ServiceProcess service = ServiceProcess.builder(dir.resolve("service.log"))
                .externalServices("call_push")
                .property("interlock.roles", "ingest")
                .property("interlock.data-dir", dir.resolve("data").toString())
                .property("interlock.ingest.demo.enabled", "false")
                .property("interlock.ingest.push.tokens", "relay-token")
                .property("interlock.ingest.push.max-request-bytes", "4096")
                .property("interlock.ingest.push.rate-limit", "1")
                .property("interlock.ingest.push.burst", "3")
                .build()) {
            service.start().awaitReady(Duration.ofSeconds(120));
            String batch = String.join("\n",
                    line(0, "ILK1 {\"e\":\"in\",\"x\":\"c1\",\"m\":\"withdraw\",\"f\":\"2vxsx-fae\"}"),
                    "{not json",
                    line(1, "ILK1 {\"e\":\"rep\",\"x\":\"c1\"}"),
                    line(2, "just a debug line"),
                    line(3, "ILK1 {\"e\":\"in\",\"x\":\"c2\",\"m\":\"withdraw\",\"f\":\"not-a-principal\"}")) + "\n";

            assertThat(push(service, null, batch).statusCode()).isEqualTo(401);
            assertThat(push(service, "wrong-token", batch).statusCode()).isEqualTo(401);

            HttpResponse<String> first = push(service, "relay-token", batch);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            JsonNode reply = Json.mapper().readTree(first.body());
            assertThat(reply.get("lines").asInt()).isEqualTo(5);
            assertThat(reply.get("published").get("events").asInt()).isEqualTo(2);
            assertThat(reply.get("published").get("logLines").asInt()).isEqualTo(1);
            assertThat(reply.get("rejected")).extracting(r -> r.get("line").asInt()).containsExactly(2, 5);

            HttpResponse<String> again = push(service, "relay-token", batch);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(Json.mapper().readTree(again.body()).get("published").get("events").asInt()).as("re-sent: nothing new")
                    .isZero();

            assertThat(push(service, "relay-token", "x".repeat(5000)).statusCode()).as("over max-request-bytes").isEqualTo(413);

            HttpResponse<String> limited = null;
            for (int i = 0; i < 6 && (limited == null || limited.statusCode() != 429); i++) {
                limited = push(service, "relay-token", line(100 + i, "another line") + "\n");
            }
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).isPresent();

            List<CallEvent> events = TopicReader.readAll(SharedServices.kafkaConfig(), Topics.CALLS).stream()
                    .filter(r -> CANISTER.equals(r.key())).map(r -> Json.decode(r.value(), CallEvent.class)).toList();
            assertThat(events).extracting(CallEvent::id).containsExactly(CANISTER + "/0", CANISTER + "/1");
        }
    }
}
