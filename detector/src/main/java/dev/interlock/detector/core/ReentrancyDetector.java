package dev.interlock.detector.core;

import java.util.List;
import java.util.Map;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.Severity;

/**
 * REENTRANCY (TOCTOU): a callback writes a state key from a value its context read before the
 * await (it did not read it again), while another context wrote a different value to that key
 * in between: the other context's update is lost (for a balance: an overdraft).
 *
 * Decides from state-key evidence only, never from overlap: deducting (or flagging) before the
 * await and restoring on failure re-reads or leaves the key alone after the await, and a guard
 * keeps the other context out, so the recommended fixes are not flagged. Without {@code rd}/{@code
 * wr} trace events it cannot decide and raises nothing (its recall is then zero, as the quality
 * report shows). False-positive risk: a key deliberately overwritten with an absolute value.
 */
public final class ReentrancyDetector implements Detector {
    @Override
    public AlertClass alertClass() {
        return AlertClass.REENTRANCY;
    }

    @Override
    public String evidenceNeeded() {
        return "state-keys";
    }

    @Override
    public void onMessageEnd(MessageState m, CanisterState state, List<Alert> out) {
        if (m.kind != MessageState.Kind.CALLBACK || m.trapped || m.writes.isEmpty()) {
            return;
        }
        ContextState ctx = state.context(m.context);
        if (ctx == null) {
            return;
        }
        for (Map.Entry<String, StateWrite> e : m.writes.entrySet()) {
            String key = e.getKey();
            StateWrite mine = e.getValue();
            Long readAt = ctx.lastRead(key);
            if (m.readsBeforeWrite.contains(key) || readAt == null || readAt >= m.startSeq) {
                continue; // re-read after the await, or never read: not stale
            }
            for (StateWrite theirs : state.writesOf(key)) {
                if (!theirs.context.equals(ctx.id) && theirs.seq > readAt && theirs.seq < mine.seq
                        && theirs.value != null && !theirs.value.equals(mine.value)) {
                    ContextState other = state.context(theirs.context);
                    out.add(Alerts.of(AlertClass.REENTRANCY, Severity.CRITICAL, state, ctx.id + "/" + key)
                            .context(ctx).context(other).basis("state-keys")
                            .explain("Context %s (%s of %s) read %s before an await and wrote %s after it without "
                                    + "reading it again, while context %s had written %s to it in between: that "
                                    + "update is lost. Deduct (or flag) before the await and restore on failure, or "
                                    + "hold a guard.", ctx.id, ctx.method, ctx.caller, key, mine.value,
                                    theirs.context, theirs.value)
                            .build());
                    break;
                }
            }
        }
    }
}
