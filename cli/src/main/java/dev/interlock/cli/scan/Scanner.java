package dev.interlock.cli.scan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.interlock.detector.core.CanisterState;
import dev.interlock.detector.core.ContextState;
import dev.interlock.detector.core.DetectorEngine;
import dev.interlock.detector.graph.CallGraph;
import dev.interlock.detector.ledger.Reconciler;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.trace.TraceReader;

/**
 * The offline pipeline: canister log records, in each canister's idx order, through the trace
 * reader and the very detector engine the service runs, one state per canister, plus the
 * cross-canister call graph; at the end of input, time-based detectors get a last look at the
 * latest event time seen.
 */
public final class Scanner {
    private final DetectorEngine engine;
    private final CallGraph graph = new CallGraph();
    private final Reconciler reconciler;
    private final Map<String, TraceReader> readers = new LinkedHashMap<>();
    private final Map<String, CanisterState> states = new LinkedHashMap<>();
    private final Map<String, List<CallEvent>> pending = new LinkedHashMap<>();
    private final List<Alert> alerts = new ArrayList<>();
    private final Map<String, Long> unusable = new TreeMap<>();
    private long records;
    private long gaps;
    /** Per canister, the last idx read and its time. */
    private final Map<String, long[]> lastRead = new LinkedHashMap<>();
    private long events;
    private long latest;

    public Scanner(DetectorEngine engine, long reconciliationWindowNanos) {
        this.engine = engine;
        this.reconciler = new Reconciler(reconciliationWindowNanos);
    }

    /**
     * @param identifierLedgers ledgers whose blocks name account identifiers (the ICP ledger's is one by default; a
     *                          ledger whose blocks are read before the calls is learnt from them)
     */
    public Scanner(DetectorEngine engine, long reconciliationWindowNanos, Set<String> identifierLedgers) {
        this.engine = engine;
        this.reconciler = new Reconciler(reconciliationWindowNanos, identifierLedgers);
    }

    /** One ledger block (blocks may come after the calls they settle: decisions wait for the end). */
    public void block(LedgerBlock b) {
        reconciler.block(b);
    }

    /** One log record of a monitored canister. */
    public void record(String canister, long idx, long timestampNanos, String content) {
        records++;
        latest = Math.max(latest, timestampNanos);
        TraceReader reader = readers.computeIfAbsent(canister, c -> new TraceReader(c, new TraceReader.Output() {
            @Override
            public void event(CallEvent e) {
                pending.computeIfAbsent(c, k -> new ArrayList<>()).add(e);
            }

            @Override
            public void unusable(long i, String text, String reason) {
                unusable.merge(reason.replaceAll("\"[^\"]*\"", "…"), 1L, Long::sum);
            }
        }));
        long[] last = lastRead.get(canister);
        if (last != null && idx > last[0] + 1) {
            // records missing from the file (the log overflowed between two exports): the detectors are told so
            reader.flush();
            pending.computeIfAbsent(canister, k -> new ArrayList<>())
                    .add(CallEvent.logGap(canister, last[0] + 1, idx - 1, last[1], timestampNanos));
            gaps++;
        }
        if (last == null || idx > last[0]) {
            lastRead.put(canister, new long[] {idx, timestampNanos});
        }
        reader.accept(idx, timestampNanos, content);
        drain(canister);
    }

    /** Runs of idx missing from a canister's records (each told to the detectors as a LOG_GAP event). */
    public long gaps() {
        return gaps;
    }

    private void drain(String canister) {
        List<CallEvent> ready = pending.remove(canister);
        if (ready == null) {
            return;
        }
        CanisterState state = states.computeIfAbsent(canister, CanisterState::empty);
        for (CallEvent e : ready) {
            events++;
            alerts.addAll(engine.process(state, e));
            alerts.addAll(graph.accept(e));
            ContextState ctx = state.context(e.context());
            reconciler.accept(e, ctx == null || e.call() == null ? null : ctx.calls.get(e.call()),
                    ctx == null ? null : ctx.caller);
        }
    }

    /** End of input: flush provisional messages and let time-based detectors decide. */
    public List<Alert> finish() {
        readers.forEach((canister, reader) -> {
            reader.flush();
            drain(canister);
        });
        states.values().forEach(s -> alerts.addAll(engine.tick(s, latest, true)));
        alerts.addAll(reconciler.tick(latest));
        return List.copyOf(alerts);
    }

    public long records() {
        return records;
    }

    public long events() {
        return events;
    }

    /** Notifies whose expected transfer is still within its window at the end of input. */
    public int undecidedNotifies() {
        return reconciler.undecided();
    }

    /** Transfer replies that could not be checked against blocks (their ledger's blocks were not given or ended). */
    public long unverifiedReplies() {
        return reconciler.unverifiedReplies();
    }

    public Map<String, Long> unusable() {
        return unusable;
    }

    public static Map<AlertClass, Long> countByClass(List<Alert> alerts) {
        Map<AlertClass, Long> counts = new TreeMap<>();
        alerts.forEach(a -> counts.merge(a.alertClass(), 1L, Long::sum));
        return counts;
    }
}
