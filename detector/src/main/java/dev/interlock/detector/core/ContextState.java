package dev.interlock.detector.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One call context of a monitored canister: who called what, what it did, what it called.
 * Collections start small: most contexts make one or two calls and touch a key or two, and an
 * open context must cost under 1 KiB (measured by the bench module's ContextFootprint).
 */
public final class ContextState {
    public String id;
    public String caller;
    public String method;
    public long openedAt;
    public Long closedAt;
    /** rep, rej:code, or trap (rejected by the system after a trap). */
    public String closedBy;
    /**
     * The context's first events (at most {@link #MAX_EVENT_IDS}), cited as evidence: the seqs of those whose id is
     * {@code <canister>/<seq>} (what every log source writes), as numbers, which cost a tenth of their text ...
     */
    public long[] eventSeqs;
    public int eventSeqCount;
    /** ... and the other ids as they came. */
    public List<String> eventIds = new ArrayList<>(0);
    public static final int MAX_EVENT_IDS = 32;
    public Map<String, OutgoingCall> calls = new LinkedHashMap<>(2);
    /** Committed writes, in order. */
    public List<StateWrite> writes = new ArrayList<>(2);
    /** Last committed read of each key (seq). */
    /** Last committed read of each key: key and seq, in a small list (contexts read few keys). */
    public List<KeyRead> reads = new ArrayList<>(2);
    /** Guards this context holds. */
    /** Guards this context holds; null while it holds none (most contexts never take one). */
    public Set<String> guards;
    public int traps;

    public boolean stillOpen() {
        return closedAt == null;
    }

    /** Whether the two contexts were open at the same moment (a context still open is open now). */
    public boolean overlaps(ContextState o) {
        return openedAt <= (o.closedAt == null ? Long.MAX_VALUE : o.closedAt)
                && o.openedAt <= (closedAt == null ? Long.MAX_VALUE : closedAt);
    }

    void recordEvent(String canister, String id, long seq) {
        if (eventSeqCount + eventIds.size() >= MAX_EVENT_IDS) {
            return;
        }
        if (seq >= 0 && isSeqId(canister, id, seq)) {
            if (eventSeqs == null || eventSeqs.length == eventSeqCount) {
                eventSeqs = java.util.Arrays.copyOf(eventSeqs == null ? new long[0] : eventSeqs,
                        Math.min(MAX_EVENT_IDS, Math.max(4, eventSeqCount * 2)));
            }
            eventSeqs[eventSeqCount++] = seq;
        } else {
            eventIds.add(id);
        }
    }

    /** The ids of the context's first events, in the order they came (ids of the seq form first). */
    public List<String> eventIds(String canister) {
        List<String> all = new ArrayList<>(eventSeqCount + eventIds.size());
        for (int i = 0; i < eventSeqCount; i++) {
            all.add(canister + "/" + eventSeqs[i]);
        }
        all.addAll(eventIds);
        return all;
    }

    /** Whether {@code id} is {@code <canister>/<seq>}. */
    static boolean isSeqId(String canister, String id, long seq) {
        int n = canister.length();
        if (id.length() <= n + 1 || id.charAt(n) != '/' || !id.startsWith(canister)) {
            return false;
        }
        long v = 0;
        for (int i = n + 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9' || (i == n + 1 && c == '0' && id.length() > n + 2) || v > (Long.MAX_VALUE - 9) / 10) {
                return false;
            }
            v = v * 10 + (c - '0');
        }
        return v == seq;
    }

    /** Seq of the last committed read of {@code key} by this context, or null. */
    public Long lastRead(String key) {
        for (int i = reads.size() - 1; i >= 0; i--) {
            if (reads.get(i).key.equals(key)) {
                return reads.get(i).seq;
            }
        }
        return null;
    }

    void read(String key, long seq) {
        for (KeyRead r : reads) {
            if (r.key.equals(key)) {
                r.seq = seq;
                return;
            }
        }
        KeyRead r = new KeyRead();
        r.key = key;
        r.seq = seq;
        reads.add(r);
    }

    public boolean holdsGuards() {
        return guards != null && !guards.isEmpty();
    }

    void take(String guard) {
        if (guards == null) {
            guards = new LinkedHashSet<>(2);
        }
        guards.add(guard);
    }

    void giveBack(String guard) {
        if (guards != null) {
            guards.remove(guard);
        }
    }

    /** A key and when this context last read it. */
    public static final class KeyRead {
        public String key;
        public long seq;
    }

    public boolean awaitingAnyCall() {
        return calls.values().stream().anyMatch(OutgoingCall::awaiting);
    }
}
