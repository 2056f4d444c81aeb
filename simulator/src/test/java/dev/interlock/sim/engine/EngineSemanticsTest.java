package dev.interlock.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.interlock.ic.Principal;
import dev.interlock.model.trace.TraceFormat;

/** Pins the IC behaviours the simulator must reproduce. */
class EngineSemanticsTest {
    private static final long START = 1_767_225_600_000_000_000L;
    private static final long ROUND = 500_000_000L;
    private static final Principal USER = Principal.canister(77);

    private final List<LogRecord> written = new ArrayList<>();
    private final Sim sim = new Sim(42, START, ROUND, Evidence.FULL, new SimSink() {
        @Override
        public void logRecord(Principal canister, LogRecord record) {
            written.add(record);
        }
    });

    private Canister canister(long index, String name) {
        return sim.add(new Canister(Principal.canister(index), name, true, Canister.Language.MOTOKO, 4096));
    }

    private List<String> contents(Canister c) {
        return c.log().fetch().stream().map(LogRecord::content).toList();
    }

    @Test
    void aTrapDiscardsTheMessagesWritesAndCallsButKeepsItsPrintedLinesPlusATrapRecord() {
        Canister callee = canister(2, "callee").method("ping", Exec::reply);
        Canister c = canister(1, "app").method("go", ex -> {
            ex.write("x", BigInteger.ONE);
            ex.call(callee.id(), "ping", null, Wait.UNBOUNDED, (cb, o) -> cb.reply(), null);
            ex.print("about to fail");
            ex.trap("boom");
        });
        Sim.IngressRecord r = sim.ingress(START, USER, c.id(), "go", null);
        sim.runUntil(START + 20 * ROUND);

        assertThat(c.get("x")).isNull();
        assertThat(sim.calls()).isEmpty();
        assertThat(callee.log().fetch()).isEmpty();
        assertThat(r.result.rejectCode()).isEqualTo(RejectCode.CANISTER_ERROR);
        List<String> lines = contents(c);
        assertThat(lines.get(0)).startsWith(TraceFormat.PREFIX + "{\"e\":\"in\"");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"e\":\"wr\"", "\"k\":\"x\""));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"e\":\"call\""));
        assertThat(lines).contains("about to fail");
        assertThat(lines.get(lines.size() - 1)).startsWith("[TRAP]: boom");
    }

    @Test
    void aTrappedCallbackRunsCleanupAndKeepsWhatEarlierMessagesCommitted() {
        Canister callee = canister(2, "callee").method("ping", Exec::reply);
        Canister c = canister(1, "app").method("go", ex -> {
            ex.write("before", true);
            ex.acquire("lock");
            ex.call(callee.id(), "ping", null, Wait.UNBOUNDED, (cb, o) -> {
                cb.write("after", true);
                cb.trap("in callback");
            }, cu -> cu.release("lock"));
        });
        sim.ingress(START, USER, c.id(), "go", null);
        sim.runUntil(START + 20 * ROUND);

        assertThat(c.get("before")).isEqualTo(true);
        assertThat(c.get("after")).isNull();
        assertThat(c.get("guard:lock")).isEqualTo(false);
        assertThat(contents(c)).anySatisfy(l -> assertThat(l).contains("\"e\":\"cu\""));
    }

    @Test
    void theLogBufferDropsTheOldestRecordsAtItsSizeAndAReinstallPurgesItWhileIdxGoesOn() {
        CanisterLog log = new CanisterLog(100);
        for (int i = 0; i < 10; i++) {
            log.append(START, "line-" + i + "-xxxxxxxxxx"); // 17 chars + 16 = 33 bytes each
        }
        assertThat(log.fetch()).extracting(LogRecord::idx).containsExactly(7L, 8L, 9L);
        assertThat(log.bytesUsed()).isEqualTo(99);
        assertThat(log.droppedRecords()).isEqualTo(7);

        log.purge();
        assertThat(log.fetch()).isEmpty();
        assertThat(log.append(START, "after reinstall").idx()).isEqualTo(10);
        assertThat(log.fetch(10)).hasSize(1);
    }

    @Test
    void anEarlierRequestCanBeRejectedForAFullQueueWhileALaterOneFromTheSameCanisterRuns() {
        Canister callee = canister(2, "callee").method("work", Exec::reply).queueCapacity(1).maxMessagesPerRound(1);
        List<Outcome> outcomes = new ArrayList<>();
        Canister c = canister(1, "app").method("go", ex -> {
            for (int i = 0; i < 3; i++) {
                ex.call(callee.id(), "work", i, Wait.UNBOUNDED, (cb, o) -> {
                    outcomes.add(o);
                    cb.reply();
                }, null);
            }
        });
        // Fill the callee's queue from app first, then free it: later requests find room again.
        sim.ingress(START, USER, c.id(), "go", null);
        sim.ingress(START + 6 * ROUND, USER, c.id(), "go", null);
        sim.runUntil(START + 40 * ROUND);

        assertThat(outcomes).anySatisfy(o -> assertThat(o.rejectCode()).isEqualTo(RejectCode.SYS_TRANSIENT));
        assertThat(outcomes).anySatisfy(o -> assertThat(o.replied()).isTrue());
        List<String> order = new ArrayList<>();
        for (CallRecord r : sim.calls()) {
            order.add((r.outcome.replied() ? "ran:" : "rejected:") + r.callId);
        }
        int firstRejected = order.indexOf(order.stream().filter(s -> s.startsWith("rejected")).findFirst().orElseThrow());
        assertThat(order.subList(firstRejected + 1, order.size())).anySatisfy(s -> assertThat(s).startsWith("ran:"));
    }

    @Test
    void deliveredRequestsFromOneCanisterStartInSendOrder() {
        List<Integer> started = new ArrayList<>();
        Canister callee = canister(2, "callee").method("work", ex -> {
            started.add(ex.args());
            ex.reply();
        });
        Canister c = canister(1, "app").method("go", ex -> {
            for (int i = 0; i < 20; i++) {
                ex.call(callee.id(), "work", i, Wait.UNBOUNDED, (cb, o) -> cb.reply(), null);
            }
        });
        sim.ingress(START, USER, c.id(), "go", null);
        sim.runUntil(START + 60 * ROUND);

        assertThat(started).hasSize(20).isSorted();
    }

    @Test
    void aSynchronousSendFailureLeavesNoCallbackAndTheMessageGoesOn() {
        Canister callee = canister(2, "callee").method("ping", Exec::reply);
        List<String> callbacks = new ArrayList<>();
        Canister c = canister(1, "app").syncFail(1.0).method("go", ex -> {
            Exec.CallStart s = ex.call(callee.id(), "ping", null, Wait.UNBOUNDED, (cb, o) -> callbacks.add("ran"), null);
            ex.write("sent", s.sent());
            ex.write("code", s.rejectCode());
            ex.reply();
        });
        Sim.IngressRecord r = sim.ingress(START, USER, c.id(), "go", null);
        sim.runUntil(START + 20 * ROUND);

        assertThat(callbacks).isEmpty();
        assertThat(c.get("sent")).isEqualTo(false);
        assertThat(c.get("code")).isEqualTo(RejectCode.SYS_TRANSIENT);
        assertThat(r.result.replied()).isTrue();
        assertThat(sim.calls()).singleElement().satisfies(call -> assertThat(call.syncFailed).isTrue());
        assertThat(contents(c)).anySatisfy(l -> assertThat(l).contains("\"e\":\"sf\"", "\"rc\":2"));
        assertThat(callee.log().fetch()).isEmpty();
    }

    @Test
    void aBoundedWaitCallPastItsDeadlineGetsSysUnknownEvenThoughTheCalleeRan() {
        Canister callee = canister(2, "callee").method("work", ex -> {
            ex.write("done", true);
            ex.reply();
        });
        List<Outcome> seen = new ArrayList<>();
        Canister c = canister(1, "app").method("go", ex -> ex.call(callee.id(), "work", null, Wait.BOUNDED, 1,
                (cb, o) -> {
                    seen.add(o);
                    cb.reply();
                }, null));
        sim.ingress(START, USER, c.id(), "go", null);
        sim.runUntil(START + 20 * ROUND);

        assertThat(seen).singleElement().satisfies(o -> assertThat(o.rejectCode()).isEqualTo(RejectCode.SYS_UNKNOWN));
        assertThat(callee.get("done")).isEqualTo(true);
        assertThat(sim.calls().get(0).executedByCallee).isTrue();
    }

    @Test
    void aMotokoUncaughtThrowCommitsTheStateUnlikeATrap() {
        Canister c = canister(1, "app").method("go", ex -> {
            ex.write("debited", true);
            ex.throwUncaught("call_error");
        });
        Sim.IngressRecord r = sim.ingress(START, USER, c.id(), "go", null);
        sim.runUntil(START + 10 * ROUND);

        assertThat(c.get("debited")).isEqualTo(true);
        assertThat(r.result.rejectCode()).isEqualTo(RejectCode.CANISTER_REJECT);
    }

    @Test
    void messagesOfOneRoundShareTheRoundsTimestamp() {
        Canister c = canister(1, "app").method("go", Exec::reply).maxMessagesPerRound(10);
        for (int i = 0; i < 5; i++) {
            sim.ingress(START + ROUND, Principal.canister(100 + i), c.id(), "go", null);
        }
        sim.runUntil(START + 4 * ROUND);

        assertThat(written).hasSize(10); // in + rep for each of the five calls
        assertThat(written).allSatisfy(r -> assertThat((r.timestampNanos() - START) % ROUND).isZero());
        assertThat(written.stream().map(LogRecord::timestampNanos).distinct().count()).isLessThan(5);
    }

    @Test
    void aReinstallWipesStateAndLogButIdxGoesOn() {
        Canister c = canister(1, "app").method("go", ex -> {
            ex.write("n", BigInteger.ONE);
            ex.reply();
        });
        sim.ingress(START, USER, c.id(), "go", null);
        sim.runUntil(START + 4 * ROUND);
        long idxBefore = c.log().nextIdx();
        sim.reinstall(sim.now() + ROUND, c.id(), Map.of());
        sim.ingress(sim.now() + 2 * ROUND, USER, c.id(), "go", null);
        sim.runUntil(START + 20 * ROUND);

        assertThat(c.log().fetch()).isNotEmpty().allSatisfy(r -> assertThat(r.idx()).isGreaterThanOrEqualTo(idxBefore));
        assertThat(contents(c).get(0)).contains("\"x\":\"1.c1\"");
    }
}
