package dev.interlock.ingest.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.interlock.ic.Principal;
import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;
import dev.interlock.model.IngestRecord;
import dev.interlock.model.Json;
import dev.interlock.model.LogLine;
import dev.interlock.model.Topics;

class CallLogProcessorTest {
    static final String CANISTER = Principal.canister(7001).toString();
    static final String CALLER = Principal.canister(7002).toString();
    static final String LEDGER = Principal.canister(2).toString();
    /** 2026-01-01T00:00:00Z, the processor's clock in these tests. */
    static final long NOW = 1_767_225_600_000_000_000L;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW / 1_000_000_000L), ZoneOffset.UTC);

    private long line;

    private CallLogProcessor processor(Map<String, Long> cursors) {
        return new CallLogProcessor(cursors, Duration.ofMinutes(5), CLOCK);
    }

    private CallLogRecord rec(long idx, String content) {
        return rec(CANISTER, idx, NOW - 60_000_000_000L + idx, content);
    }

    private CallLogRecord rec(String canister, long idx, long ts, String content) {
        line++;
        return new CallLogRecord(null, line, canister, idx, ts, content, "{\"idx\":" + idx + "}");
    }

    static String in(String x) {
        return "ILK1 {\"e\":\"in\",\"x\":\"" + x + "\",\"m\":\"withdraw\",\"f\":\"" + CALLER + "\"}";
    }

    static String call(String x, String c) {
        return "ILK1 {\"e\":\"call\",\"x\":\"" + x + "\",\"c\":\"" + c + "\",\"to\":\"" + LEDGER
                + "\",\"m\":\"icrc1_transfer\",\"w\":\"u\",\"tx\":{\"to\":\"" + CALLER + "\",\"amt\":\"500\"}}";
    }

    static String cb(String x, String c) {
        return "ILK1 {\"e\":\"cb\",\"x\":\"" + x + "\",\"c\":\"" + c + "\",\"o\":\"ok\",\"b\":41}";
    }

    static String wr(String x, String k) {
        return "ILK1 {\"e\":\"wr\",\"x\":\"" + x + "\",\"k\":\"" + k + "\",\"v\":\"1\"}";
    }

    @Test
    void aTrappedCallbacksEventsArriveRolledBackFollowedByATrapEventWithTheTrapMessage() {
        CallLogProcessor p = processor(Map.of());
        p.add(rec(0, in("c1")));
        p.add(rec(1, call("c1", "k1")));
        p.add(rec(2, cb("c1", "k1")));
        p.add(rec(3, wr("c1", "booked")));
        p.add(rec(4, "Panicked at 'attempt to add with overflow', src/lib.rs:77:9"));
        p.add(rec(5, "[TRAP]: Panicked at 'attempt to add with overflow', src/lib.rs:77:9\nCanister Backtrace:\n_wasm"));
        CallLogProcessor.Chunk chunk = p.drain(true);

        assertThat(chunk.rejections()).isEmpty();
        List<CallEvent> events = chunk.records().stream().filter(CallEvent.class::isInstance).map(CallEvent.class::cast)
                .toList();
        assertThat(events).extracting(CallEvent::kind).containsExactly(CallEventKind.CONTEXT_OPEN, CallEventKind.CALL,
                CallEventKind.CALLBACK, CallEventKind.STATE_WRITE, CallEventKind.TRAP);
        assertThat(events).extracting(CallEvent::rolledBack).containsExactly(false, false, false, true, false);
        assertThat(events.get(4).id()).isEqualTo(CANISTER + "/5");
        assertThat(events.get(4).context()).isEqualTo("c1");
        assertThat(events.get(4).value()).isEqualTo("Panicked at 'attempt to add with overflow', src/lib.rs:77:9");
        assertThat(chunk.records()).extracting(IngestRecord::topic).containsExactly(Topics.CALLS, Topics.CALLS,
                Topics.CALLS, Topics.CALLS, Topics.CANISTER_LOGS, Topics.CALLS);
        assertThat(chunk.cursorUpdates()).containsExactly(Map.entry(CANISTER, 5L));
    }

    @Test
    void anOrdinaryLineBecomesAPlainLogEventOnTheCanisterLogsTopic() {
        CallLogProcessor p = processor(Map.of());
        p.add(rec(CANISTER, 9, NOW - 1_000, "hello from the canister"));
        CallLogProcessor.Chunk chunk = p.drain(true);

        assertThat(chunk.records()).containsExactly(
                new LogLine(CANISTER + "/9", CANISTER, 9, NOW - 1_000, LogLine.KIND_LOG, "hello from the canister"));
        LogLine l = (LogLine) chunk.records().get(0);
        assertThat(l.topic()).isEqualTo("interlock.canister-logs");
        assertThat(l.key()).isEqualTo(CANISTER);
        assertThat(l.dedupKey()).isEqualTo(CANISTER + "/9");
        assertThat(Json.decode(Json.encode(l), LogLine.class)).isEqualTo(l);
        assertThat(p.stats().logLines()).containsExactly(Map.entry(CANISTER, 1L));
    }

    @Test
    void aTrapRecordThatCannotBeAttributedIsKeptAsAMarkedLogLineWithAWarningNeverGuessed() {
        CallLogProcessor p = processor(Map.of());
        p.add(rec(0, "[TRAP]: (no message)"));
        p.add(rec(1, in("c2")));
        CallLogProcessor.Chunk chunk = p.drain(true);

        assertThat(chunk.records()).hasSize(2);
        LogLine trap = (LogLine) chunk.records().get(0);
        assertThat(trap.kind()).isEqualTo(LogLine.KIND_UNATTRIBUTED_TRAP);
        assertThat(trap.content()).isEqualTo("[TRAP]: (no message)");
        assertThat(((CallEvent) chunk.records().get(1)).kind()).isEqualTo(CallEventKind.CONTEXT_OPEN);
        assertThat(chunk.records()).noneMatch(r -> r instanceof CallEvent e && e.kind() == CallEventKind.TRAP);
        assertThat(chunk.warnings()).extracting(CallLogProcessor.Warning::line).containsExactly(1L);
        assertThat(chunk.warnings().get(0).message()).startsWith("[TRAP] record that cannot be attributed");
        assertThat(chunk.rejections()).isEmpty();
    }

    @Test
    void aBatchIsTakenInIdxOrderPerCanisterAndRecordsAtOrBelowTheCursorAreSkippedAsDuplicates() {
        CallLogProcessor p = processor(Map.of(CANISTER, 1L));
        p.add(rec(3, wr("c1", "b")));
        p.add(rec(1, in("c1")));
        p.add(rec(2, in("c1")));
        p.add(rec(2, in("c1"))); // the same record twice in one batch
        CallLogProcessor.Chunk chunk = p.drain(true);

        assertThat(chunk.records()).extracting(r -> ((CallEvent) r).seq()).containsExactly(2L, 3L);
        assertThat(p.stats().duplicates()).containsExactly(Map.entry(CANISTER, 2L));
        assertThat(p.stats().accepted()).isEqualTo(4);
        assertThat(chunk.cursorUpdates()).containsExactly(Map.entry(CANISTER, 3L));
    }

    @Test
    void aRecordBelowOneAlreadyReadIsOutOfOrderAndASecondIdxWithOtherContentIsRejected() {
        CallLogProcessor p = processor(Map.of());
        p.add(rec(5, in("c1")));
        p.drain(false);
        p.add(rec(4, wr("c1", "late")));
        p.add(rec(5, wr("c1", "other")));
        CallLogProcessor.Chunk chunk = p.drain(true);

        assertThat(chunk.rejections()).extracting(Rejection::reason)
                .containsExactly(RejectReason.OUT_OF_ORDER, RejectReason.DUPLICATE_IDX);
        assertThat(chunk.rejections().get(0).detail())
                .isEqualTo("idx 4 arrives after idx 5 was read; send each canister's records in idx order");
        assertThat(chunk.records()).extracting(r -> ((CallEvent) r).seq()).containsExactly(5L);
    }

    @Test
    void timestampsBeyondTheClockSkewToleranceAreQuarantinedWithTheReason() {
        CallLogProcessor p = processor(Map.of());
        p.add(rec(CANISTER, 0, NOW - 1_000_000_000L, in("c1")));
        p.add(rec(CANISTER, 1, NOW + Duration.ofMinutes(6).toNanos(), wr("c1", "future")));
        p.add(rec(CANISTER, 2, NOW - Duration.ofMinutes(7).toNanos(), wr("c1", "past")));
        p.add(rec(CANISTER, 3, NOW + Duration.ofMinutes(4).toNanos(), wr("c1", "fine")));
        CallLogProcessor.Chunk chunk = p.drain(true);

        assertThat(chunk.rejections()).extracting(Rejection::idx).containsExactly(1L, 2L);
        assertThat(chunk.rejections()).extracting(Rejection::detail).containsExactly(
                "timestamp 2026-01-01T00:06:00Z is 360 s ahead of this ingester's clock (tolerance 300 s)",
                "timestamp 2025-12-31T23:53:00Z goes back 419 s from the previous record's (tolerance 300 s)");
        assertThat(chunk.records()).extracting(r -> ((CallEvent) r).seq()).containsExactly(0L, 3L);
        assertThat(p.stats().rejected()).containsExactly(Map.entry(CANISTER, Map.of(RejectReason.CLOCK_SKEW, 2L)));
    }

    @Test
    void aTraceLineWithAnInvalidCallerPrincipalOrAnUnknownVersionIsRejectedAndTheRestOfTheMessageStands() {
        CallLogProcessor p = processor(Map.of());
        p.add(rec(0, "ILK1 {\"e\":\"in\",\"x\":\"c1\",\"m\":\"withdraw\",\"f\":\"not-a-principal\"}"));
        p.add(rec(1, "ILK2 {\"e\":\"in\",\"x\":\"c1\"}"));
        p.add(rec(2, wr("c1", "k")));
        CallLogProcessor.Chunk chunk = p.drain(true);

        assertThat(chunk.rejections()).extracting(Rejection::reason)
                .containsExactly(RejectReason.BAD_PRINCIPAL, RejectReason.UNSUPPORTED_VERSION);
        assertThat(chunk.rejections().get(0).detail()).startsWith("field \"f\" (caller) is not a valid principal: ");
        assertThat(chunk.rejections().get(1).detail())
                .isEqualTo("unsupported trace format version ILK2 (this reader knows ILK1)");
        assertThat(chunk.records()).extracting(r -> ((CallEvent) r).seq()).containsExactly(2L);
    }

    @Test
    void withoutTheEndOfInputTheCursorStaysBeforeTheOpenMessageSoThatARestartReadsItAgain() {
        CallLogProcessor p = processor(Map.of());
        p.add(rec(0, in("c1")));
        p.add(rec(1, wr("c1", "a")));
        p.add(rec(2, in("c2")));
        p.add(rec(3, "a plain line inside c2's message"));
        p.add(rec(4, wr("c2", "b")));
        CallLogProcessor.Chunk first = p.drain(false);

        assertThat(first.records()).extracting(r -> ((CallEvent) r).seq()).containsExactly(0L, 1L);
        assertThat(first.cursorUpdates()).containsExactly(Map.entry(CANISTER, 1L));

        p.add(rec(5, "[TRAP]: boom"));
        CallLogProcessor.Chunk second = p.drain(false);
        assertThat(second.records()).extracting(r -> r instanceof CallEvent e ? e.seq() + ":" + e.kind() + ":" + e.rolledBack()
                : ((LogLine) r).idx() + ":log").containsExactly("2:CONTEXT_OPEN:false", "3:log", "4:STATE_WRITE:true",
                        "5:TRAP:false");
        assertThat(second.cursorUpdates()).containsExactly(Map.entry(CANISTER, 5L));
    }
}
