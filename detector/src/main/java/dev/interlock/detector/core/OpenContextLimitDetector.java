package dev.interlock.detector.core;

import java.util.List;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Severity;

/**
 * OPEN_CONTEXT_LIMIT: not a bug class of the canister but the detector's own memory bound. A canister keeps
 * at most {@code maxOpenContexts} open call contexts in correlation state (closed ones are bounded by the
 * horizon); opening one more drops the oldest open one. This reports it, once per canister per horizon of
 * event time, naming the first context dropped and how many more were.
 *
 * <p>While it lasts, detection on that canister is degraded: a dropped context's later events (its callbacks,
 * its reply) are seen without its beginning, so alerts that need its caller, its reads or its transfers
 * (DOUBLE_SPEND, REENTRANCY, UNHANDLED_REJECT, STALLED_CALL) can be missed for it. So many open contexts are
 * themselves a symptom worth a look: calls that never return (unbounded waits on a stuck callee) pile up as
 * open contexts. Needs the required events only.
 */
public final class OpenContextLimitDetector implements Detector {
    private final int maxOpenContexts;
    private final long horizonNanos;

    public OpenContextLimitDetector(int maxOpenContexts, long horizonNanos) {
        this.maxOpenContexts = maxOpenContexts;
        this.horizonNanos = horizonNanos;
    }

    @Override
    public AlertClass alertClass() {
        return AlertClass.OPEN_CONTEXT_LIMIT;
    }

    @Override
    public String evidenceNeeded() {
        return "none";
    }

    @Override
    public void onEvent(CallEvent event, CanisterState state, List<Alert> out) {
        if (state.droppedOpen.isEmpty()) {
            return;
        }
        ContextState first = state.droppedOpen.get(0);
        int dropped = state.droppedOpen.size();
        state.droppedOpen.clear();
        long window = Math.floorDiv(state.lastEventTime, Math.max(1, horizonNanos));
        out.add(Alerts.of(AlertClass.OPEN_CONTEXT_LIMIT, Severity.WARNING, state, "window-" + window)
                .context(first).basis("open-context-count")
                .explain("Canister %s had more than %,d open call contexts: the detector dropped the oldest, %s "
                        + "(%s of %s, open since %d s before this event)%s, to keep its memory bounded. Detection on "
                        + "this canister is degraded while so many contexts stay open: a dropped context's later "
                        + "events are seen without its beginning. Many open contexts usually mean calls that never "
                        + "return (unbounded waits on a stuck callee); raise interlock.detect.max-open-contexts if "
                        + "this canister really serves that many calls at once.", state.canister, maxOpenContexts,
                        first.id, first.method, first.caller, (state.lastEventTime - first.openedAt) / 1_000_000_000L,
                        dropped > 1 ? String.format(java.util.Locale.ROOT, " and %,d more", dropped - 1) : "")
                .at(state.lastEventTime).build());
    }
}
