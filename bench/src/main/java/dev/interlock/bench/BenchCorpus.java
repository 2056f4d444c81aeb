package dev.interlock.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.interlock.ic.Principal;
import dev.interlock.ingest.normalise.Icrc3BlockDecoder;
import dev.interlock.model.CallEvent;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.trace.TraceReader;
import dev.interlock.sim.SimOptions;
import dev.interlock.sim.Simulation;
import dev.interlock.sim.engine.LogRecord;
import dev.interlock.sim.engine.SimSink;
import dev.interlock.sim.scenario.Scenarios;
import dev.interlock.sim.scenario.Variant;

/**
 * A realistic mix of call events (every scenario in honest traffic, read as ingestion reads logs) and, when asked,
 * the blocks of the ledger they paid on.
 */
final class BenchCorpus {
    private BenchCorpus() {
    }

    static List<CallEvent> events(long seed, Duration duration, double rate, int instances) {
        return generated(seed, duration, rate, instances, false).events();
    }

    static Generated generated(long seed, Duration duration, double rate, int instances, boolean withBlocks) {
        List<CallEvent> events = new ArrayList<>();
        Simulation.Result result = generate(seed, duration, rate, instances, events::add);
        List<LedgerBlock> blocks = new ArrayList<>();
        if (withBlocks) {
            var ledger = result.world().ledger;
            for (int b = 0; b < ledger.length(); b++) {
                blocks.add(Icrc3BlockDecoder.decode(ledger.id().toString(), b, ledger.hash(b), ledger.blocks().get(b)));
            }
        }
        return new Generated(events, blocks);
    }

    /**
     * Records as published, in order: key (the canister, or the ledger for a block) and JSON value; {@code blocks[i]}
     * tells a ledger block (for {@code interlock.ledger-blocks}) from a call event (for {@code interlock.calls}).
     */
    record Encoded(String[] keys, byte[][] values, boolean[] blocks, long bytes) {
        int size() {
            return keys.length;
        }

        long blockCount() {
            long n = 0;
            for (boolean b : blocks) {
                n += b ? 1 : 0;
            }
            return n;
        }
    }

    /** Call events and, when asked, the simulated ledger's blocks, each list in order. */
    record Generated(List<CallEvent> events, List<LedgerBlock> blocks) {
    }

    /**
     * Quiet time between two laps: longer than the detector's default horizon (10 minutes), so that a lap's equal
     * transfers and overlapping contexts do not meet the previous lap's (what is still open then stays open).
     */
    static final Duration LAP_GAP = Duration.ofMinutes(15);

    /**
     * The same mix, encoded, repeated {@code laps} times, each lap later in time than the one before (by the
     * corpus' duration and {@link #LAP_GAP} of quiet): the same canisters keep running, so a run can be long enough for the
     * JIT to finish with the hot paths without the corpus' generation (which slows down on long simulations)
     * taking longer than the run. Each lap renames what must not repeat: sequence numbers and event ids (after
     * the previous lap's), context, call, correlation and journal ids (prefixed with the lap), and times.
     */
    static Encoded encodedLaps(long seed, Duration duration, double rate, int instances, int laps) {
        return encodedLaps(seed, duration, rate, instances, laps, false);
    }

    /**
     * With {@code withBlocks}, the ledger's blocks come too, each where its time falls among the call events, and
     * renamed per lap like them (indexes after the previous lap's, times later).
     */
    static Encoded encodedLaps(long seed, Duration duration, double rate, int instances, int laps, boolean withBlocks) {
        Generated g = generated(seed, duration, rate, instances, withBlocks);
        List<CallEvent> base = g.events();
        List<LedgerBlock> blocks = g.blocks();
        long seqStep = base.stream().mapToLong(CallEvent::seq).max().orElse(0) + 1;
        long timeStep = duration.toNanos() + LAP_GAP.toNanos();
        int perLap = base.size() + blocks.size();
        String[] keys = new String[perLap * laps];
        byte[][] values = new byte[keys.length][];
        boolean[] isBlock = new boolean[keys.length];
        long bytes = 0;
        int i = 0;
        for (int lap = 0; lap < laps; lap++) {
            int b = 0;
            for (int k = 0; k <= base.size(); k++) {
                CallEvent e = k < base.size() ? base.get(k) : null;
                while (b < blocks.size() && (e == null || blocks.get(b).timestampNanos() <= e.timeNanos())) {
                    LedgerBlock x = blocks.get(b++);
                    byte[] v = dev.interlock.model.Json.encode(lap == 0 ? x : relabel(x, lap * blocks.size(), lap * timeStep));
                    keys[i] = x.ledger();
                    isBlock[i] = true;
                    values[i++] = v;
                    bytes += v.length;
                }
                if (e != null) {
                    byte[] v = dev.interlock.model.Json.encode(lap == 0 ? e : relabel(e, lap, lap * seqStep, lap * timeStep));
                    keys[i] = e.canister();
                    values[i++] = v;
                    bytes += v.length;
                }
            }
        }
        return new Encoded(keys, values, isBlock, bytes);
    }

    private static LedgerBlock relabel(LedgerBlock b, long indexOffset, long timeOffset) {
        return new LedgerBlock(b.ledger(), b.index() + indexOffset, b.hash(), b.parentHash(), b.timestampNanos() + timeOffset,
                b.op(), b.from(), b.to(), b.amount(), b.fee(), b.memo(), b.createdAtTime(), b.verification(), b.raw(),
                b.spender());
    }

    private static CallEvent relabel(CallEvent e, int lap, long seqOffset, long timeOffset) {
        String prefix = "L" + lap + ".";
        long seq = e.seq() < 0 ? e.seq() : e.seq() + seqOffset;
        String subject = switch (e.kind()) {
            // correlation ids (a call's and the context it opens) and journal ids
            case CONTEXT_OPEN, CALL, JOURNAL_INTENT, JOURNAL_RESULT -> e.subject() == null ? null : prefix + e.subject();
            default -> e.subject();
        };
        return new CallEvent(e.canister() + "/" + seq, e.canister(), seq, e.timeNanos() + timeOffset, e.kind(),
                e.context() == null ? null : prefix + e.context(), e.caller(), e.method(),
                e.call() == null ? null : prefix + e.call(), e.callee(), e.calleeMethod(), e.transfer(), e.outcome(),
                e.rolledBack(), subject, e.value(), e.endsMessage());
    }

    private static Simulation.Result generate(long seed, Duration duration, double rate, int instances,
            java.util.function.Consumer<CallEvent> sink) {
        List<SimOptions.Choice> all = new ArrayList<>();
        for (String s : Scenarios.all().keySet()) {
            all.add(new SimOptions.Choice(s, Variant.VULNERABLE));
            all.add(new SimOptions.Choice(s, Variant.FIXED));
        }
        java.util.Map<String, TraceReader> readers = new java.util.HashMap<>();
        TraceReader.Output out = new TraceReader.Output() {
            @Override
            public void event(CallEvent e) {
                sink.accept(e);
            }

            @Override
            public void unusable(long idx, String content, String reason) {
            }
        };
        Simulation.Result result = Simulation.run(SimOptions.defaults(seed).withScenarios(all).withDuration(duration).withRate(rate)
                .withInstances(instances), new SimSink() {
                    @Override
                    public void logRecord(Principal canister, LogRecord r) {
                        readers.computeIfAbsent(canister.toString(), c -> new TraceReader(c, out))
                                .accept(r.idx(), r.timestampNanos(), r.content());
                    }
                });
        readers.values().forEach(TraceReader::flush);
        return result;
    }
}
