package dev.interlock.sim.engine;

import java.util.ArrayList;
import java.util.List;

import dev.interlock.ic.Principal;

/** One call context of a canister, from its entry message to its reply or reject. */
public final class ContextRecord {
    public final Principal canister;
    public final String id;
    public final Principal caller;
    public final String method;
    public final String kind;
    public final long openedAt;
    public long closedAt = -1;
    public boolean replied;
    public Integer rejectCode;
    /** Held open by a stalling program: it will never reply. */
    public boolean stalled;
    public int outstanding;
    public final List<CallRecord> calls = new ArrayList<>();
    /** The message-level trap messages in this context, in order. */
    public final List<String> traps = new ArrayList<>();

    ContextRecord(Principal canister, String id, Principal caller, String method, String kind, long openedAt) {
        this.canister = canister;
        this.id = id;
        this.caller = caller;
        this.method = method;
        this.kind = kind;
        this.openedAt = openedAt;
    }

    public boolean open() {
        return closedAt < 0;
    }
}
