package dev.interlock.detector.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;

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
    /** Event time up to which eviction last ran (it runs in steps, not on every event). */
    public long lastEvictionTime = Long.MIN_VALUE;
    public Map<String, ContextState> contexts = new LinkedHashMap<>();
    public MessageState message;
    public Map<String, List<StateWrite>> keyWrites = new HashMap<>();
    /** guard → context holding it. */
    public Map<String, String> guardOwners = new HashMap<>();
    /** RATE_ANOMALY: the current (aligned) window and "caller|method" → replied contexts in it. */
    public long rateBucket = Long.MIN_VALUE;
    public Map<String, Integer> replies = new HashMap<>();
    public Set<String> raisedAlerts = new LinkedHashSet<>();
    /** Trapped callbacks whose cleanup is still to come. */
    public List<CallbackTrapDetector.PendingTrap> pendingTraps = new ArrayList<>();
    /** Unbounded-wait calls still awaiting a response, as context/call pairs (what STALLED_CALL watches). */
    public List<String[]> unboundedAwaiting = new ArrayList<>();

    /** Contexts in {@link #contexts} that are still open (kept at most {@link DetectorSettings#maxOpenContexts()}). */
    public int openContexts;
    /** Open contexts dropped to keep that bound, until {@link OpenContextLimitDetector} reports them (not stored). */
    public transient List<ContextState> droppedOpen = new ArrayList<>();

    /** Failed calls whose callback trapped, until a cleanup restores (or not). */
    public List<UnhandledRejectDetector.PendingRestore> pendingRestores = new ArrayList<>();
    /**
     * True while {@link DetectorEngine#tick} reports the end of input (offline: the files ended; service: the
     * canister fell quiet): what waited for a next message (a trapped callback's cleanup, a restore) is decided.
     * Between two messages of a busy canister it is false, though no message is in progress then either.
     */
    public transient boolean inputEnded;
    /** Wall-clock time (ms) of the last event for which the runtime already reported the canister quiet. */
    public long quietReportedFor;

    /**
     * Records of the canister's log lost unread (LOG_GAP events) within the horizon, newest last, as {from idx, to idx,
     * event time of the next record read}; null while there were none (the common case).
     */
    public List<long[]> logGaps;

    /** Whether this canister prints optional evidence (state keys, guards, journal) at all. */
    public boolean sawOptionalEvidence;

    /**
     * Ids of contexts evicted since the owner last looked (transient, not stored): a store that keeps each context
     * apart deletes them and clears this list.
     */
    public transient List<String> evicted = new ArrayList<>();

    /** State-key writes added and dropped since the owner last looked (transient, not stored). */
    public transient List<StateWrite> addedWrites = new ArrayList<>();
    public transient List<StateWrite> droppedWrites = new ArrayList<>();

    /**
     * Paid transfers by the logical request they pay (journal id; memo with recipient and ledger) → "context NUL call";
     * derived from {@link #contexts}, not stored (transient), rebuilt on demand.
     */
    private transient Map<String, List<String>> paidByRequest;

    /** The keys of the logical request a transfer pays: its journal entry, and its memo to its recipient. */
    static List<String> requestKeys(OutgoingCall c) {
        List<String> keys = new ArrayList<>(2);
        if (c.journal != null) {
            keys.add("j\u0000" + c.journal);
        }
        if (c.transfer != null && c.transfer.memo() != null) {
            keys.add("m\u0000" + c.transfer.memo() + "\u0000" + c.transfer.to() + "\u0000" + c.callee);
        }
        return keys;
    }

    /** Earlier paid transfers of the same logical request as {@code c} (as "context NUL call"), then records {@code c}. */
    public List<String> paidForSameRequest(ContextState ctx, OutgoingCall c) {
        if (paidByRequest == null) {
            paidByRequest = new HashMap<>();
            for (ContextState x : contexts.values()) {
                for (OutgoingCall o : x.calls.values()) {
                    if (o != c && o.paidOut()) {
                        for (String k : requestKeys(o)) {
                            paidByRequest.computeIfAbsent(k, y -> new ArrayList<>(1)).add(x.id + '\u0000' + o.id);
                        }
                    }
                }
            }
        }
        List<String> earlier = new ArrayList<>(0);
        String self = ctx.id + '\u0000' + c.id;
        for (String k : requestKeys(c)) {
            List<String> list = paidByRequest.computeIfAbsent(k, y -> new ArrayList<>(1));
            for (String p : list) {
                if (!p.equals(self) && !earlier.contains(p)) {
                    earlier.add(p);
                }
            }
            if (!list.contains(self)) {
                list.add(self);
            }
        }
        return earlier;
    }

    /** caller|method → contexts; derived from {@link #contexts}, not stored (transient), rebuilt on demand. */
    private transient Map<String, List<ContextState>> byCallerMethod;

    /** Contexts of one caller on one method, oldest first. */
    public List<ContextState> contextsOf(String caller, String method) {
        if (byCallerMethod == null) {
            byCallerMethod = new HashMap<>();
            for (ContextState c : contexts.values()) {
                if (c.caller != null && c.method != null) {
                    byCallerMethod.computeIfAbsent(c.caller + "|" + c.method, k -> new ArrayList<>()).add(c);
                }
            }
        }
        return byCallerMethod.getOrDefault(caller + "|" + method, List.of());
    }

    /** The index changes with contexts: opened ones are added, evicted ones dropped. */
    void indexed(ContextState c) {
        if (byCallerMethod != null && c.caller != null && c.method != null) {
            byCallerMethod.computeIfAbsent(c.caller + "|" + c.method, k -> new ArrayList<>()).add(c);
        }
    }

    /** An evicted context leaves the indexes too (it sits near the front of its list: lists are in open order). */
    void unindex(ContextState c) {
        if (paidByRequest != null) {
            for (OutgoingCall o : c.calls.values()) {
                if (o.paidOut()) {
                    for (String k : requestKeys(o)) {
                        List<String> list = paidByRequest.get(k);
                        if (list != null && list.remove(c.id + '\u0000' + o.id) && list.isEmpty()) {
                            paidByRequest.remove(k);
                        }
                    }
                }
            }
        }
        if (byCallerMethod != null && c.caller != null && c.method != null) {
            List<ContextState> list = byCallerMethod.get(c.caller + "|" + c.method);
            if (list != null) {
                list.remove(c);
                if (list.isEmpty()) {
                    byCallerMethod.remove(c.caller + "|" + c.method);
                }
            }
        }
    }

    public static CanisterState empty(String canister) {
        CanisterState s = new CanisterState();
        s.canister = canister;
        return s;
    }

    public ContextState context(String id) {
        return id == null ? null : contexts.get(id);
    }

    /** For a CALLBACK event: the transfer it answered, if the ledger may have executed it (else null). */
    public OutgoingCall answeredTransfer(CallEvent e) {
        if (e.kind() != CallEventKind.CALLBACK) {
            return null;
        }
        ContextState ctx = context(e.context());
        OutgoingCall call = ctx == null ? null : ctx.calls.get(e.call());
        return call != null && call.mayHavePaid() ? call : null;
    }

    /** The outgoing calls of its contexts still awaiting a response (sent, neither answered nor failed). */
    public List<OutgoingCall> awaitingCalls() {
        List<OutgoingCall> out = new ArrayList<>(0);
        for (ContextState c : contexts.values()) {
            for (OutgoingCall o : c.calls.values()) {
                if (o.awaiting()) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    public List<StateWrite> writesOf(String key) {
        return keyWrites.getOrDefault(key, new ArrayList<>());
    }
}
