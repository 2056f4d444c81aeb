package dev.interlock.detector.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One call context of a monitored canister: who called what, what it did, what it called. */
public final class ContextState {
    public String id;
    public String caller;
    public String method;
    public long openedAt;
    public Long closedAt;
    /** rep, rej:code, or trap (rejected by the system after a trap). */
    public String closedBy;
    public List<String> eventIds = new ArrayList<>();
    /** Contexts that were open at some moment while this one was open. */
    public Set<String> overlapping = new LinkedHashSet<>();
    public Map<String, OutgoingCall> calls = new LinkedHashMap<>();
    /** Committed writes, in order. */
    public List<StateWrite> writes = new ArrayList<>();
    /** Last committed read of each key (seq). */
    public Map<String, Long> lastRead = new HashMap<>();
    /** Guards this context holds. */
    public Set<String> guards = new LinkedHashSet<>();
    public int traps;

    public boolean stillOpen() {
        return closedAt == null;
    }

    public boolean awaitingAnyCall() {
        return calls.values().stream().anyMatch(OutgoingCall::awaiting);
    }
}
