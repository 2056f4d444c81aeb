package dev.interlock.model.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;

class TraceReaderTest {
    private final List<CallEvent> events = new ArrayList<>();
    private final List<String> unusable = new ArrayList<>();
    private final TraceReader reader = new TraceReader("cnst", new TraceReader.Output() {
        @Override
        public void event(CallEvent e) {
            events.add(e);
        }

        @Override
        public void unusable(long idx, String content, String reason) {
            unusable.add(idx + ": " + reason);
        }
    });
    private long idx;

    private void line(String content) {
        reader.accept(idx++, 1_000, content);
    }

    @Test
    void aTrappedMessagesEventsArriveRolledBackWithATrapEventButItsBeginStands() {
        line("ILK1 {\"e\":\"in\",\"x\":\"c1\",\"m\":\"claim\",\"f\":\"2vxsx-fae\"}");
        line("ILK1 {\"e\":\"call\",\"x\":\"c1\",\"c\":\"k1\",\"to\":\"ledger\",\"m\":\"icrc1_transfer\",\"w\":\"u\",\"tx\":{\"to\":\"a\",\"amt\":\"5\"}}");
        line("ILK1 {\"e\":\"cb\",\"x\":\"c1\",\"c\":\"k1\",\"o\":\"ok\",\"b\":7}");
        line("ILK1 {\"e\":\"wr\",\"x\":\"c1\",\"k\":\"booked\",\"v\":\"5\"}");
        line("Panicked at 'attempt to add with overflow', src/lib.rs:10:5");
        line("[TRAP]: Panicked at 'attempt to add with overflow', src/lib.rs:10:5\nCanister Backtrace:\nx");
        reader.flush();

        assertThat(events).extracting(CallEvent::kind).containsExactly(CallEventKind.CONTEXT_OPEN, CallEventKind.CALL,
                CallEventKind.CALLBACK, CallEventKind.STATE_WRITE, CallEventKind.TRAP);
        assertThat(events).extracting(CallEvent::rolledBack).containsExactly(false, false, false, true, false);
        CallEvent trap = events.get(4);
        assertThat(trap.context()).isEqualTo("c1");
        assertThat(trap.value()).isEqualTo("Panicked at 'attempt to add with overflow', src/lib.rs:10:5");
        assertThat(events.get(2).outcome().blockIndex()).isEqualTo(7L);
        assertThat(events).extracting(CallEvent::id).containsExactly("cnst/0", "cnst/1", "cnst/2", "cnst/3", "cnst/5");
        assertThat(unusable).isEmpty();
    }

    @Test
    void theLastEventOfEachMessageSaysTheMessageEnded_atTheNextBeginLineAtTheBatchEndAndAtATrap() {
        line("ILK1 {\"e\":\"in\",\"x\":\"c1\",\"m\":\"claim\",\"f\":\"2vxsx-fae\"}");
        line("ILK1 {\"e\":\"wr\",\"x\":\"c1\",\"k\":\"booked\",\"v\":\"5\"}");
        line("ILK1 {\"e\":\"in\",\"x\":\"c2\",\"m\":\"claim\",\"f\":\"2vxsx-fae\"}");
        line("[TRAP]: (no message)");
        line("ILK1 {\"e\":\"in\",\"x\":\"c3\",\"m\":\"claim\",\"f\":\"2vxsx-fae\"}");
        line("ILK1 {\"e\":\"rep\",\"x\":\"c3\"}");
        assertThat(events).extracting(CallEvent::endsMessage).as("c3's message is still open")
                .containsExactly(false, true, false, true);
        reader.flush();

        assertThat(events).extracting(CallEvent::kind).containsExactly(CallEventKind.CONTEXT_OPEN,
                CallEventKind.STATE_WRITE, CallEventKind.CONTEXT_OPEN, CallEventKind.TRAP, CallEventKind.CONTEXT_OPEN,
                CallEventKind.CONTEXT_CLOSE);
        assertThat(events).extracting(CallEvent::endsMessage).containsExactly(false, true, false, true, false, true);
        assertThat(new String(dev.interlock.model.Json.encode(events.get(0)))).doesNotContain("endsMessage");
        assertThat(dev.interlock.model.Json.decode(dev.interlock.model.Json.encode(events.get(1)), CallEvent.class)
                .endsMessage()).isTrue();
    }

    @Test
    void aTrapRecordWithNoMessageBeforeItIsReportedNotGuessed() {
        line("[TRAP]: (no message)");
        line("ILK1 {\"e\":\"wr\",\"x\":\"c9\",\"k\":\"k\"}");
        reader.flush();

        assertThat(events).isEmpty();
        assertThat(unusable).containsExactly(
                "0: [TRAP] record that cannot be attributed to a message (no message-begin line before it)",
                "1: \"wr\" follows a [TRAP] record without a message-begin line");
    }

    @Test
    void ledgerErrorsAndRejectsBecomeOutcomesThatDoNotCountAsSuccess() {
        line("ILK1 {\"e\":\"cb\",\"x\":\"c1\",\"c\":\"k1\",\"o\":\"ok\",\"err\":\"InsufficientFunds\"}");
        line("ILK1 {\"e\":\"cb\",\"x\":\"c1\",\"c\":\"k2\",\"o\":\"rej\",\"rc\":2,\"rm\":\"canister queue full\"}");
        reader.flush();

        assertThat(events.get(0).outcome().succeeded()).isFalse();
        assertThat(events.get(0).outcome().error()).isEqualTo("InsufficientFunds");
        assertThat(events.get(1).outcome().rejectCode()).isEqualTo(2);
        assertThat(events.get(1).outcome().succeeded()).isFalse();
    }
}
