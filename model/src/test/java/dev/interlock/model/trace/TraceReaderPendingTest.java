package dev.interlock.model.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.interlock.model.CallEvent;

/** What a reader that commits cursors needs: which records are still provisional, and unattributable traps. */
class TraceReaderPendingTest {
    private final List<CallEvent> events = new ArrayList<>();
    private final List<String> unusable = new ArrayList<>();
    private final List<String> unattributed = new ArrayList<>();
    private final TraceReader reader = new TraceReader("cnst", new TraceReader.Output() {
        @Override
        public void event(CallEvent e) {
            events.add(e);
        }

        @Override
        public void unusable(long idx, String content, String reason) {
            unusable.add(idx + ": " + reason);
        }

        @Override
        public void unattributedTrap(long idx, long timestampNanos, String content, String reason) {
            unattributed.add(idx + "@" + timestampNanos + ": " + content);
        }
    });

    @Test
    void pendingSinceNamesTheFirstRecordOfTheOpenMessageUntilTheNextBeginLineReleasesIt() {
        assertThat(reader.pendingSince()).isEqualTo(-1);
        reader.accept(10, 1_000, "ILK1 {\"e\":\"in\",\"x\":\"c1\",\"m\":\"claim\",\"f\":\"2vxsx-fae\"}");
        reader.accept(11, 1_000, "ILK1 {\"e\":\"wr\",\"x\":\"c1\",\"k\":\"booked\"}");
        assertThat(reader.pendingSince()).isEqualTo(10);
        assertThat(events).isEmpty();

        reader.accept(12, 2_000, "ILK1 {\"e\":\"in\",\"x\":\"c2\",\"m\":\"claim\",\"f\":\"2vxsx-fae\"}");
        assertThat(events).extracting(CallEvent::seq).containsExactly(10L, 11L);
        assertThat(reader.pendingSince()).isEqualTo(12);

        reader.flush();
        assertThat(reader.pendingSince()).isEqualTo(-1);
        assertThat(events).extracting(CallEvent::seq).containsExactly(10L, 11L, 12L);
    }

    @Test
    void aTrapRecordWithNoBeginLineBeforeItGoesToUnattributedTrapWithItsTimestampNotToUnusable() {
        reader.accept(0, 5_000, "[TRAP]: Panicked at 'boom', src/lib.rs:1:1\nCanister Backtrace:\nx");
        reader.flush();

        assertThat(unattributed).containsExactly("0@5000: [TRAP]: Panicked at 'boom', src/lib.rs:1:1\nCanister Backtrace:\nx");
        assertThat(unusable).isEmpty();
        assertThat(events).isEmpty();
        assertThat(reader.pendingSince()).isEqualTo(-1);
    }

    @Test
    void aPanickedAtLineBeforeAMultiLineTrapRecordDoesNotEndTheMessage() {
        reader.accept(0, 1, "ILK1 {\"e\":\"cb\",\"x\":\"c1\",\"c\":\"k1\",\"o\":\"ok\",\"b\":3}");
        reader.accept(1, 1, "ILK1 {\"e\":\"wr\",\"x\":\"c1\",\"k\":\"booked\"}");
        reader.accept(2, 1, "Panicked at 'overflow', src/lib.rs:9:9");
        reader.accept(3, 1, "[TRAP]: Panicked at 'overflow', src/lib.rs:9:9\nCanister Backtrace:\n_wasm_backtrace::callback");
        reader.flush();

        assertThat(events).extracting(CallEvent::id).containsExactly("cnst/0", "cnst/1", "cnst/3");
        assertThat(events).extracting(CallEvent::rolledBack).containsExactly(false, true, false);
        assertThat(events.get(2).value()).isEqualTo("Panicked at 'overflow', src/lib.rs:9:9");
        assertThat(unattributed).isEmpty();
    }
}
