package dev.interlock.ingest.source.boundary;

import static dev.interlock.ingest.source.boundary.AccessLogFixture.CANISTER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.interlock.model.IngressEvent;
import dev.interlock.model.Json;
import dev.interlock.model.Topics;

class AccessLogParserTest {
    private static final String NODE = "api1.example:443";
    private final AccessLogParser parser = new AccessLogParser(CANISTER, 4096);

    private AccessLogParser.Result parse(String line) {
        return parser.parse(NODE, line.getBytes(StandardCharsets.UTF_8));
    }

    private IngressEvent event(String line) {
        AccessLogParser.Result r = parse(line);
        assertThat(r).as(line).isInstanceOf(AccessLogParser.Parsed.class);
        return ((AccessLogParser.Parsed) r).event();
    }

    private String reason(String line) {
        AccessLogParser.Result r = parse(line);
        assertThat(r).as(line).isInstanceOf(AccessLogParser.Bad.class);
        return ((AccessLogParser.Bad) r).reason();
    }

    @Test
    void theDocumentedExampleLineBecomesAnIngressEventKeyedByCanister() {
        IngressEvent e = event(AccessLogFixture.recorded().get(0));

        assertThat(e.id()).isEqualTo("api1.example:443/01981771-547c-7ea3-9d72-05b2ddbdda3d");
        assertThat(e.canister()).isEqualTo(CANISTER);
        assertThat(e.timeNanos()).isEqualTo(1_752_739_959_964_131_788L);
        assertThat(e.boundaryNode()).isEqualTo(NODE);
        assertThat(e.requestId()).isEqualTo("01981771-547c-7ea3-9d72-05b2ddbdda3d");
        assertThat(e.requestType()).isEqualTo("query");
        assertThat(e.method()).isEqualTo("http_request");
        assertThat(e.httpStatus()).isEqualTo(200);
        assertThat(e.errorCause()).isNull();
        assertThat(e.clientHash()).isEqualTo("ab6e7b821eb97295e3d20cec94160288");
        assertThat(e.clientIpFamily()).isEqualTo(4);
        assertThat(e.durationSeconds()).isEqualTo(0.028693668);
        assertThat(e.requestSize()).isEqualTo(694L);
        assertThat(e.responseSize()).isEqualTo(2818L);
        assertThat(e.cacheStatus()).isEqualTo("MISS");
        assertThat(e.cacheBypassReason()).isNull();
        assertThat(e.subnet()).isEqualTo(AccessLogFixture.SUBNET);
        assertThat(e.replicaNode()).isEqualTo(AccessLogFixture.REPLICA);
        assertThat(e.topic()).isEqualTo(Topics.INGRESS);
        assertThat(e.key()).isEqualTo(CANISTER);
        assertThat(e.dedupKey()).isEqualTo(e.id());
        assertThat(e.failed()).isFalse();
        assertThat(e.update()).isFalse();
    }

    @Test
    void everyRecordedLineParsesAndPlaceholdersBecomeNull() {
        List<IngressEvent> all = AccessLogFixture.recorded().stream().map(this::event).toList();

        assertThat(all).hasSize(12);
        assertThat(all).extracting(IngressEvent::requestType).containsExactly("query", "query", "query", "call", "read_state",
                "sync_call", "call", "call", "call", "query", "call", "query");
        IngressEvent cached = all.get(1);
        assertThat(cached.replicaNode()).as("a cache hit never reached a replica (\"\" in the line)").isNull();
        IngressEvent bypass = all.get(2);
        assertThat(bypass.cacheBypassReason()).isEqualTo("non_anonymous");
        assertThat(bypass.clientIpFamily()).isEqualTo(6);
        assertThat(all.get(4).method()).as("read_state names no method").isNull();
        IngressEvent limited = all.get(6);
        assertThat(limited.errorCause()).isEqualTo("rate_limited_normal");
        assertThat(limited.httpStatus()).isEqualTo(429);
        assertThat(limited.failed()).isTrue();
        assertThat(limited.update()).isTrue();
        assertThat(all.get(5).update()).as("sync_call").isTrue();
        assertThat(all.get(8).errorCause()).isEqualTo("replica_timeout");
        assertThat(all.get(9).clientHash()).as("a node without salt logs N/A: no client hash").isNull();
    }

    @Test
    void newerBoundaryNodesVersionedRequestTypesAreKeptAsLogged() {
        String v3 = AccessLogFixture.line(CANISTER, "0198a000-0000-7000-8000-000000000001", Instant.parse("2025-09-01T10:00:00Z"),
                "call_v4", "icrc1_transfer", 200, null, "aa");
        IngressEvent e = event(v3);
        assertThat(e.requestType()).isEqualTo("call_v4");
        assertThat(e.update()).isTrue();
    }

    @Test
    void aLineWithoutRequestIdIsIdentifiedByTheHashOfItsText() {
        String line = "{\"ic_canister_id\":\"" + CANISTER + "\",\"timestamp\":\"2025-07-17T08:12:39Z\",\"http_status\":200,"
                + "\"request_type\":\"query\"}";
        IngressEvent once = event(line);
        IngressEvent again = event(line);

        assertThat(once.id()).startsWith("api1.example:443/sha256:").hasSize("api1.example:443/sha256:".length() + 32);
        assertThat(again.id()).isEqualTo(once.id());
        assertThat(event(line.replace("200", "202")).id()).isNotEqualTo(once.id());
        assertThat(once.requestId()).isNull();
        assertThat(once.clientHash()).isNull();
    }

    @Test
    void malformedLinesAreRejectedWithAReasonNamingTheField() {
        String ok = AccessLogFixture.recorded().get(0);
        assertThat(reason("{oops")).startsWith("not JSON: ");
        assertThat(reason("[1,2]")).isEqualTo("not a JSON object");
        assertThat(reason(ok.replace("\"ic_canister_id\":\"qoctq-giaaa-aaaaa-aaaea-cai\",", ""))).isEqualTo("ic_canister_id is missing");
        assertThat(reason(ok.replace(CANISTER, "ryjl3-tyaaa-aaaaa-aaaba-cai")))
                .isEqualTo("ic_canister_id is ryjl3-tyaaa-aaaaa-aaaba-cai, but this stream is for " + CANISTER);
        assertThat(reason(ok.replace("2025-07-17T08:12:39.964131788Z", "yesterday")))
                .isEqualTo("timestamp is not an RFC 3339 time: 'yesterday'");
        assertThat(reason(ok.replace("\"http_status\":200", "\"http_status\":\"200\""))).isEqualTo("http_status is not an HTTP status code: \"200\"");
        assertThat(reason(ok.replace("\"http_status\":200", "\"http_status\":42"))).isEqualTo("http_status is not an HTTP status code: 42");
        assertThat(reason(ok.replace("\"request_type\":\"query\",", ""))).isEqualTo("request_type is missing");
        assertThat(reason(ok.replace("\"duration\":0.028693668", "\"duration\":\"fast\""))).isEqualTo("duration is not a non-negative number: \"fast\"");
        assertThat(reason(ok.replace("\"response_size\":2818", "\"response_size\":-1")))
                .isEqualTo("response_size is not a non-negative integer: -1");
        assertThat(reason(ok.replace("\"ic_method\":\"http_request\"", "\"ic_method\":7"))).isEqualTo("ic_method is not a string: 7");
        assertThat(((AccessLogParser.Bad) parse("{\"x\":\"" + "a".repeat(5000) + "\"}")).kind()).isEqualTo("too-long");
    }

    @Test
    void anIngressEventSurvivesTheTopicsJsonCodec() {
        IngressEvent e = event(AccessLogFixture.recorded().get(6));
        byte[] encoded = Json.encode(e);

        assertThat(Json.decode(encoded, IngressEvent.class)).isEqualTo(e);
        assertThat(new String(encoded, StandardCharsets.UTF_8)).contains("\"clientHash\":\"e5a8134f0b6c2d97a1f3e0c4b89d7266\"")
                .doesNotContain("caller").doesNotContain("principal").doesNotContain("\"failed\"");
    }

    @Test
    void theTimestampFastPathAgreesWithTheGeneralParserForEveryFractionLength() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-2_000_000_000L, 7_000_000_000L), random.nextInt(1_000_000_000));
            String full = t.toString();
            int digits = i % 10;
            String text = full.substring(0, 19) + (digits == 0 ? "" : "." + String.format("%09d", t.getNano()).substring(0, digits)) + "Z";
            if (t.getEpochSecond() < 0 || t.getEpochSecond() > 253_402_300_799L) {
                continue;
            }
            Instant expected = Instant.parse(text);
            assertThat(AccessLogParser.fastNanos(text)).as(text)
                    .isEqualTo(expected.getEpochSecond() * 1_000_000_000L + expected.getNano());
        }
    }

    @Test
    void timestampsOutsideTheCommonFormAreLeftToTheGeneralParser() {
        assertThat(AccessLogParser.fastNanos("2025-07-17T10:12:39.5+02:00")).isEqualTo(Long.MIN_VALUE);
        assertThat(AccessLogParser.nanos("2025-07-17T10:12:39.5+02:00")).isEqualTo(1_752_739_959_500_000_000L);
        assertThat(AccessLogParser.fastNanos("2025-07-17t08:12:39z")).isEqualTo(Long.MIN_VALUE);
        assertThat(AccessLogParser.nanos("2025-07-17t08:12:39z")).isEqualTo(1_752_739_959_000_000_000L);
        assertThat(AccessLogParser.fastNanos("2016-12-31T23:59:60Z")).as("leap second").isEqualTo(Long.MIN_VALUE);
        assertThat(AccessLogParser.fastNanos("2025-02-29T00:00:00Z")).isEqualTo(Long.MIN_VALUE);
        assertThat(AccessLogParser.fastNanos("2025-07-17T08:12:39.Z")).isEqualTo(Long.MIN_VALUE);
        assertThat(AccessLogParser.fastNanos("2025-07-17T24:00:00Z")).isEqualTo(Long.MIN_VALUE);
        assertThat(reason(AccessLogFixture.recorded().get(0).replace("2025-07-17T08:12:39.964131788Z", "2025-02-29T08:12:39Z")))
                .isEqualTo("timestamp is not an RFC 3339 time: '2025-02-29T08:12:39Z'");
        assertThat(reason(AccessLogFixture.recorded().get(0).replace("2025-07-17T08:12:39.964131788Z", "9999-12-31T23:59:59Z")))
                .isEqualTo("timestamp is out of range: '9999-12-31T23:59:59Z'");
    }

    @Test
    void unknownFieldsOfAnyShapeAreSkippedAndAnObjectWhereAStringIsDueIsNamed() {
        String ok = AccessLogFixture.recorded().get(0);
        String extended = ok.replace("{\"", "{\"geo\":{\"country\":[\"CH\",{\"x\":null}]},\"tags\":[1,2.5,true],\"");
        assertThat(event(extended)).isEqualTo(event(ok));
        assertThat(reason(ok.replace("\"ic_method\":\"http_request\"", "\"ic_method\":{\"name\":[1]}")))
                .isEqualTo("ic_method is not a string: {\"name\":[1]}");
        assertThat(reason(ok.replace("\"http_status\":200", "\"http_status\":200.0")))
                .isEqualTo("http_status is not an HTTP status code: 200.0");
        assertThat(reason(ok.replace("\"request_size\":694", "\"request_size\":123456789012345678901234567890")))
                .isEqualTo("request_size is not a non-negative integer: 123456789012345678901234567890");
        assertThat(reason(ok.substring(0, ok.length() - 1) + ",\"x\":[1,}")).startsWith("not JSON: ");
        assertThat(reason("")).isEqualTo("not a JSON object");
    }
}
