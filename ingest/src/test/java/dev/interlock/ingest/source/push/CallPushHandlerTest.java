package dev.interlock.ingest.source.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.interlock.ingest.calls.MemorySink;
import dev.interlock.ingest.calls.RejectReason;
import dev.interlock.ingest.calls.Rejection;
import dev.interlock.ic.Principal;
import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;
import dev.interlock.model.LogLine;

class CallPushHandlerTest {
    static final String TOKEN = "relay-token-0123456789abcdef";
    static final String CANISTER = Principal.canister(7101).toString();
    static final String CALLER = Principal.canister(7102).toString();
    /** 2026-01-01T00:00:00Z, the handler's clock in these tests. */
    static final long NOW = 1_767_225_600_000_000_000L;
    static final java.time.Clock CLOCK = java.time.Clock.fixed(java.time.Instant.ofEpochSecond(NOW / 1_000_000_000L),
            java.time.ZoneOffset.UTC);
    static final long TS = NOW - 10_000_000_000L;

    private final MemorySink sink = new MemorySink();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<String> refused = new ArrayList<>();

    private CallPushHandler handler(double rate, int burst, long maxRequest, int maxLine, String... tokens) {
        return new CallPushHandler(new CallPushHandler.Settings(List.of(tokens), maxRequest, maxLine, rate, burst,
                Duration.ofMinutes(5)), () -> sink, CLOCK, nanos::get, new CallPushHandler.Listener() {
                    @Override
                    public void refused(int status, String code) {
                        refused.add(status + " " + code);
                    }
                });
    }

    private CallPushHandler handler() {
        return handler(10, 20, 1 << 20, 512, TOKEN);
    }

    static CallPushHandler.Response push(CallPushHandler h, String authorization, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return h.handle(authorization, b.length, new ByteArrayInputStream(b));
    }

    static String record(String canister, long idx, String content) {
        return "{\"canister\":\"" + canister + "\",\"idx\":" + idx + ",\"ts\":" + (TS + idx) + ",\"content\":"
                + quote(content) + "}";
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** Good lines around a malformed JSON line, an invalid principal, an over-long line and an ILK2 line. */
    static String mixedBatch(String canister, String caller) {
        return String.join("\n",
                record(canister, 0, "ILK1 {\"e\":\"in\",\"x\":\"c1\",\"m\":\"withdraw\",\"f\":\"" + caller + "\"}"),
                "{\"canister\":\"" + canister + "\",\"idx\":1,",
                record("aaaaa-aaaaa-not-a-principal", 2, "ILK1 {\"e\":\"rep\",\"x\":\"c1\"}"),
                record(canister, 3, "x".repeat(600)),
                record(canister, 4, "ILK2 {\"e\":\"in\",\"x\":\"c1\",\"new\":true}"),
                record(canister, 5, "ILK1 {\"e\":\"wr\",\"x\":\"c1\",\"k\":\"paid:" + caller + "\",\"v\":\"true\"}"),
                "",
                record(canister, 6, "just a debug print"),
                record(canister, 7, "ILK1 {\"e\":\"rep\",\"x\":\"c1\"}")) + "\n";
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rejected(CallPushHandler.Response r) {
        return (List<Map<String, Object>>) r.body().get("rejected");
    }

    @Test
    void aMixedBatchPublishesTheGoodLinesInOrderAndListsEachRejectedLineWithItsNumberAndReason() {
        CallPushHandler.Response r = push(handler(), "Bearer " + TOKEN, mixedBatch(CANISTER, CALLER));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).containsEntry("lines", 8L).containsEntry("accepted", 4L).containsEntry("duplicates", 0L)
                .containsEntry("rejectedCount", 4).containsEntry("published", Map.of("events", 3L, "logLines", 1L));
        assertThat(rejected(r)).extracting(m -> m.get("line") + " " + m.get("code")).containsExactly(
                "2 malformed", "3 bad-principal", "4 line-too-long", "5 unsupported-version");
        assertThat(rejected(r).get(1).get("reason")).asString()
                .startsWith("field \"canister\" is not a valid principal: ");
        assertThat(rejected(r).get(2).get("reason"))
                .isEqualTo("line of " + record(CANISTER, 3, "x".repeat(600)).length()
                        + " bytes is longer than the limit of 512 bytes");
        assertThat(rejected(r).get(3)).containsEntry("idx", 4L)
                .containsEntry("reason", "unsupported trace format version ILK2 (this reader knows ILK1)");

        assertThat(sink.records).extracting(rec -> rec instanceof CallEvent e ? e.seq() + ":" + e.kind()
                : ((LogLine) rec).idx() + ":" + ((LogLine) rec).kind())
                .containsExactly("0:CONTEXT_OPEN", "5:STATE_WRITE", "6:log", "7:CONTEXT_CLOSE");
        assertThat(sink.quarantined).extracting(Rejection::reason).containsExactly(RejectReason.MALFORMED,
                RejectReason.BAD_PRINCIPAL, RejectReason.LINE_TOO_LONG, RejectReason.UNSUPPORTED_VERSION);
        assertThat(sink.quarantined.get(0).raw()).isEqualTo("{\"canister\":\"" + CANISTER + "\",\"idx\":1,");
        assertThat(sink.quarantined.get(0).quarantined().reason()).startsWith("line 2: malformed: not valid JSON: ");
        assertThat(sink.cursors).containsExactly(Map.entry(CANISTER, 7L));
    }

    @Test
    void reSendingTheSameBatchPublishesNothingNewAndCountsTheRecordsAsDuplicates() {
        CallPushHandler h = handler();
        push(h, "Bearer " + TOKEN, mixedBatch(CANISTER, CALLER));
        int published = sink.records.size();

        CallPushHandler.Response again = push(h, "Bearer " + TOKEN, mixedBatch(CANISTER, CALLER));

        assertThat(again.status()).isEqualTo(200);
        assertThat(sink.records).hasSize(published);
        // the records of the canister were processed before; the lines that name no usable record are refused again
        assertThat(again.body()).containsEntry("duplicates", 5L).containsEntry("published", Map.of("events", 0L,
                "logLines", 0L));
        assertThat(rejected(again)).extracting(m -> m.get("line")).containsExactly(2L, 3L, 4L);
    }

    @Test
    void aTrappedMessagePushedInOneBatchArrivesRolledBackWithATrapEvent() {
        String body = String.join("\n",
                record(CANISTER, 10, "ILK1 {\"e\":\"cb\",\"x\":\"c4\",\"c\":\"k4\",\"o\":\"ok\",\"b\":12}"),
                record(CANISTER, 11, "ILK1 {\"e\":\"wr\",\"x\":\"c4\",\"k\":\"booked\",\"v\":\"12\"}"),
                record(CANISTER, 12, "ILK1 {\"e\":\"gr\",\"x\":\"c4\",\"g\":\"lock\"}"),
                record(CANISTER, 13, "[TRAP]: booking failed\nCanister Backtrace:\n_wasm_backtrace::callback"));

        CallPushHandler.Response r = push(handler(), "Bearer " + TOKEN, body);

        assertThat(r.status()).isEqualTo(200);
        assertThat(sink.records).extracting(rec -> ((CallEvent) rec).kind() + ":" + ((CallEvent) rec).rolledBack())
                .containsExactly("CALLBACK:false", "STATE_WRITE:true", "GUARD_RELEASE:true", "TRAP:false");
        CallEvent trap = (CallEvent) sink.records.get(3);
        assertThat(trap.kind()).isEqualTo(CallEventKind.TRAP);
        assertThat(trap.context()).isEqualTo("c4");
        assertThat(trap.value()).isEqualTo("booking failed");
    }

    @Test
    void aMissingOrWrongTokenIsRefusedWith401AndNothingIsRead() {
        CallPushHandler h = handler();
        String body = record(CANISTER, 0, "hello");

        CallPushHandler.Response missing = push(h, null, body);
        CallPushHandler.Response basic = push(h, "Basic dXNlcjpwYXNz", body);
        CallPushHandler.Response wrong = push(h, "Bearer " + TOKEN + "x", body);

        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.body()).containsEntry("code", "UNAUTHORIZED")
                .containsEntry("message", "missing ingest token: send 'Authorization: Bearer <token>'");
        assertThat(missing.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"interlock-ingest\"");
        assertThat(basic.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).containsEntry("message", "unknown ingest token");
        assertThat(sink.records).isEmpty();
        assertThat(push(h, "bearer   " + TOKEN + " ", body).status()).isEqualTo(200);
    }

    @Test
    void anyOfSeveralConfiguredTokensIsAccepted() {
        CallPushHandler h = handler(10, 20, 1 << 20, 512, "first-token-aaaaaaaaaaaa", TOKEN);
        assertThat(push(h, "Bearer " + TOKEN, record(CANISTER, 0, "hi")).status()).isEqualTo(200);
        assertThat(push(h, "Bearer first-token-aaaaaaaaaaaa", record(CANISTER, 1, "hi")).status()).isEqualTo(200);
    }

    @Test
    void withoutTokensTheEndpointIsDisabledAndSaysHowToEnableIt() {
        CallPushHandler.Response r = push(handler(10, 20, 1 << 20, 512), "Bearer " + TOKEN, record(CANISTER, 0, "hi"));

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).containsEntry("code", "PUSH_DISABLED");
        assertThat((String) r.body().get("message")).contains("interlock.ingest.push.tokens", "INTERLOCK_INGEST_PUSH_TOKENS");
    }

    @Test
    void aTokenOverItsRateIsAnswered429WithRetryAfterWhileAnotherTokenStillPasses() {
        CallPushHandler h = handler(2, 3, 1 << 20, 512, TOKEN, "other-token-bbbbbbbbbbbb");
        for (int i = 0; i < 3; i++) {
            assertThat(push(h, "Bearer " + TOKEN, record(CANISTER, i, "hi")).status()).isEqualTo(200);
        }

        CallPushHandler.Response limited = push(h, "Bearer " + TOKEN, record(CANISTER, 3, "hi"));

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.headers()).containsEntry("Retry-After", "1");
        assertThat(limited.body()).containsEntry("code", "RATE_LIMITED");
        assertThat(push(h, "Bearer other-token-bbbbbbbbbbbb", record(CANISTER, 3, "hi")).status()).isEqualTo(200);
        nanos.addAndGet(500_000_000L); // half a second at 2 per second: one more request
        assertThat(push(h, "Bearer " + TOKEN, record(CANISTER, 4, "hi")).status()).isEqualTo(200);
        assertThat(push(h, "Bearer " + TOKEN, record(CANISTER, 5, "hi")).status()).isEqualTo(429);
        assertThat(refused).containsExactly("429 RATE_LIMITED", "429 RATE_LIMITED");
    }

    @Test
    void aRequestOverTheSizeLimitIsRefusedWhole413WhetherDeclaredOrStreamed() {
        CallPushHandler h = handler(10, 20, 1_000, 512, TOKEN);
        StringBuilder body = new StringBuilder();
        for (int i = 0; body.length() <= 1_000; i++) {
            body.append(record(CANISTER, i, "line " + i)).append('\n');
        }
        byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);

        CallPushHandler.Response declared = h.handle("Bearer " + TOKEN, b.length, new ByteArrayInputStream(b));
        CallPushHandler.Response chunked = h.handle("Bearer " + TOKEN, -1, new ByteArrayInputStream(b));

        assertThat(declared.status()).isEqualTo(413);
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.body()).containsEntry("code", "PAYLOAD_TOO_LARGE");
        assertThat(sink.records).isEmpty();
        assertThat(sink.transactions).isZero();
    }
}
