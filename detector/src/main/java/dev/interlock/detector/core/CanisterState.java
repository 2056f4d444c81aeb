package dev.interlock.detector.core;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Correlation state of one monitored canister: its call contexts (open, and closed ones still
 * within the horizon) and the alerts already raised, so re-detection raises nothing twice.
 * Plain fields: the runtime stores it per canister in a Kafka Streams state store.
 */
public final class CanisterState {
    public String canister;
    public long lastEventTime;
    public Map<String, ContextState> contexts = new LinkedHashMap<>();
    public Set<String> raisedAlerts = new LinkedHashSet<>();

    public static CanisterState empty(String canister) {
        CanisterState s = new CanisterState();
        s.canister = canister;
        return s;
    }

    public ContextState context(String id) {
        return contexts.get(id);
    }
}
