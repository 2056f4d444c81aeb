package dev.interlock.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.interlock.detector.core.CanisterState;
import dev.interlock.detector.core.DetectorEngine;
import dev.interlock.detector.core.DetectorSettings;
import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;
import dev.interlock.model.Json;
import dev.interlock.model.Transfer;

/**
 * Memory per open call context: N contexts opened, each having read a key, written one and sent
 * an unbounded ledger transfer that is still outstanding (a typical withdraw at its await).
 * Prints heap growth per context (after GC) and the stored (JSON) state per context.
 */
public final class ContextFootprint {
    private ContextFootprint() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int canisters = 10;
        DetectorEngine engine = DetectorEngine.withDefaults(DetectorSettings.defaults());
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = used(memory);
        List<CanisterState> states = new ArrayList<>();
        for (int c = 0; c < canisters; c++) {
            states.add(CanisterState.empty("canister-" + c));
        }
        long seq = 0;
        String caller = "wj67j-q7sgo-cbbk7-y62ca-6zvaj-3g3eq-6ywbw-h2bp6-qt75t-cbnki-dqe";
        for (int i = 0; i < n; i++) {
            CanisterState s = states.get(i % canisters);
            String ctx = "c" + i;
            long t = 1_767_225_600_000_000_000L + i * 1_000_000L;
            engine.process(s, CallEvent.open(s.canister + "/" + seq, s.canister, seq++, t, ctx, caller, "withdraw"));
            engine.process(s, CallEvent.other(s.canister + "/" + seq, s.canister, seq++, t, CallEventKind.STATE_READ, ctx,
                    null, "balance:" + caller, "100000"));
            engine.process(s, CallEvent.other(s.canister + "/" + seq, s.canister, seq++, t, CallEventKind.STATE_WRITE,
                    ctx, null, "balance:" + caller, "40000"));
            engine.process(s, new CallEvent(s.canister + "/" + seq, s.canister, seq++, t, CallEventKind.CALL, ctx, null,
                    null, "k" + i, "mxzaz-hqaaa-aaaar-qaada-cai", "icrc1_transfer",
                    new Transfer(caller, BigInteger.valueOf(60_000), null, t), null, false, null, "u"));
        }
        long after = used(memory);
        long stored = 0;
        for (CanisterState s : states) {
            stored += Json.encode(s).length;
        }
        System.out.printf(Locale.ROOT, "open contexts: %d; heap per open context: %.0f bytes; stored state per open "
                + "context: %.0f bytes%n", n, (after - before) / (double) n, stored / (double) n);
        if (states.size() != canisters) {
            throw new IllegalStateException(); // keeps the states reachable until measured
        }
    }

    private static long used(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
