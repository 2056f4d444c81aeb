package dev.interlock.detector.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Correlation state of one monitored canister: its call contexts (open, and closed ones still
 * within the horizon), the message in progress, recent writes of each state key, guard owners,
 * and the alerts already raised, so that re-detection raises nothing twice. Plain fields: the
 * runtime stores it per canister in a Kafka Streams state store.
 */
public final class CanisterState {
    public String canister;
    public long lastEventTime;
    /** Wall-clock time (ms) when the runtime last processed an event of this canister. */
    public long lastWallMillis;
    public long lastSeq = -1;
    public Map<String, ContextState> contexts = new LinkedHashMap<>();
    public MessageState message;
    public Map<String, List<StateWrite>> keyWrites = new HashMap<>();
    /** guard → context holding it. */
    public Map<String, String> guardOwners = new HashMap<>();
    /** "caller|method" → close times of replied contexts within the rate window. */
    public Map<String, ArrayDeque<Long>> replies = new HashMap<>();
    public Set<String> raisedAlerts = new LinkedHashSet<>();
    /** Trapped callbacks whose cleanup is still to come. */
    public List<CallbackTrapDetector.PendingTrap> pendingTraps = new ArrayList<>();
    /** Send time of the oldest unbounded call still awaited (a hint; MAX_VALUE when none). */
    public long oldestUnbounded = Long.MAX_VALUE;

    /** Failed calls whose callback trapped, until a cleanup restores (or not). */
    public List<UnhandledRejectDetector.PendingRestore> pendingRestores = new ArrayList<>();
    /** Whether this canister prints optional evidence (state keys, guards, journal) at all. */
    public boolean sawOptionalEvidence;

    public static CanisterState empty(String canister) {
        CanisterState s = new CanisterState();
        s.canister = canister;
        return s;
    }

    public ContextState context(String id) {
        return id == null ? null : contexts.get(id);
    }

    long oldestAwaitingUnbounded() {
        return oldestUnbounded;
    }

    public List<StateWrite> writesOf(String key) {
        return keyWrites.getOrDefault(key, new ArrayList<>());
    }
}
