package dev.interlock.detector.core;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import dev.interlock.model.CallEvent;
import dev.interlock.model.CallOutcome;
import dev.interlock.model.Transfer;

/** Builds a canister's call trace for tests, one event per call, with increasing seq and time. */
public final class Trace {
    public static final String CANISTER = "rrkah-fqaaa-aaaaa-aaaaq-cai";
    public static final String LEDGER = "mxzaz-hqaaa-aaaar-qaada-cai";
    public static final String ALICE = "wj67j-q7sgo-cbbk7-y62ca-6zvaj-3g3eq-6ywbw-h2bp6-qt75t-cbnki-dqe";
    public static final String BOB = "t5cdt-jvtku-fw5qv-gzk4g-wfg2n-4ggsb-rmhh6-iojyc-l73ev-agszo-yae";

    private final List<CallEvent> events = new ArrayList<>();
    private long seq;

    private String nextId() {
        return "e" + (seq + 1);
    }

    private long now() {
        return 1_700_000_000_000_000_000L + seq * 1_000_000L;
    }

    public Trace open(String context, String caller, String method) {
        events.add(CallEvent.open(nextId(), CANISTER, seq, now(), context, caller, method));
        seq++;
        return this;
    }

    public Trace transfer(String context, String call, long amount) {
        events.add(CallEvent.call(nextId(), CANISTER, seq, now(), context, call, LEDGER, "icrc1_transfer",
                new Transfer(ALICE, BigInteger.valueOf(amount), null, null)));
        seq++;
        return this;
    }

    public Trace reply(String context, String call, long blockIndex) {
        events.add(CallEvent.callback(nextId(), CANISTER, seq, now(), context, call, CallOutcome.reply(blockIndex)));
        seq++;
        return this;
    }

    public Trace reject(String context, String call, int code) {
        events.add(CallEvent.callback(nextId(), CANISTER, seq, now(), context, call,
                CallOutcome.reject(code, "rejected")));
        seq++;
        return this;
    }

    public Trace close(String context) {
        events.add(CallEvent.close(nextId(), CANISTER, seq, now(), context));
        seq++;
        return this;
    }

    public List<CallEvent> events() {
        return List.copyOf(events);
    }
}
