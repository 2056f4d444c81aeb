package dev.interlock.detector.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One call context of a monitored canister: who called what, and what it called out to. */
public final class ContextState {
    public String id;
    public String caller;
    public String method;
    public long openedAt;
    public Long closedAt;
    public List<String> eventIds = new ArrayList<>();
    /** Contexts that were open at some moment while this one was open. */
    public Set<String> overlapping = new LinkedHashSet<>();
    public Map<String, OutgoingCall> calls = new LinkedHashMap<>();

    public boolean stillOpen() {
        return closedAt == null;
    }
}
