package dev.interlock.detector.ingress;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.Evidence;
import dev.interlock.model.IngressEvent;
import dev.interlock.model.Severity;

/**
 * RATE_ANOMALY from API boundary nodes' access logs ({@code interlock.ingress}): more update calls of one
 * client to one method of a canister within a window than the limit.
 *
 * <p>Why apart from the trace-based RATE_ANOMALY: in canister traces every anonymous caller is the same
 * principal ({@code 2vxsx-fae}), so the trace detector can only treat them as one bucket. A boundary node
 * names each client by a salted hash of its principal and IP address ({@code client_id}); this is the only
 * place where anonymous clients can be told apart. A client hash is never a principal: alerts name it as
 * {@code client-hash:<hex>} in their callers, and it is never compared with a trace's caller.
 *
 * <p>What counts: update calls ({@code call}, {@code sync_call} and their versioned forms), which cost the
 * canister cycles; not queries or {@code read_state}; not requests the boundary node refused by its own rate
 * limiting ({@code error_cause} {@code rate_limited_*}: the protection already worked). Requests logged without
 * a client hash ({@code N/A}: the node had no salt) cannot be attributed: they are counted in {@link Result}
 * for the metrics and never guessed at. Windows are aligned to multiples of their length; an event older than
 * its canister's current window (a boundary node's stream lagging beyond the merge's reorder window) is
 * counted as late, not in a closed window. One alert per client, method and window.
 *
 * <p>False-positive risks: several users behind one NAT with the same principal (anonymous) share a client
 * hash; a legitimate batch job of one client. The limit is per deployment
 * ({@code interlock.detect.ingress-rate-limit}). Needs boundary-node logs only.
 */
public final class IngressRateDetector {
    /** The state of one canister (plain fields: the runtime stores it per canister). */
    public static final class State {
        public String canister;
        public long bucket = Long.MIN_VALUE;
        /** "client hash|method" → update calls counted in the current window. */
        public Map<String, Integer> counts = new HashMap<>();
    }

    /** What one event did, besides the alerts it raised. */
    public enum Outcome { COUNTED, NOT_AN_UPDATE, REFUSED_BY_BOUNDARY_NODE, NO_CLIENT_HASH, LATE, UNTRACKED }

    public record Result(Outcome outcome, List<Alert> alerts) {
    }

    private final long windowNanos;
    private final int limit;
    private final int maxTracked;

    /**
     * @param windowNanos window length (event time)
     * @param limit       update calls per client and method within a window before an alert
     * @param maxTracked  client/method pairs tracked per canister and window (beyond: counted as untracked)
     */
    public IngressRateDetector(long windowNanos, int limit, int maxTracked) {
        if (windowNanos <= 0 || limit < 1 || maxTracked < 1) {
            throw new IllegalArgumentException("need a positive window, limit and tracking cap");
        }
        this.windowNanos = windowNanos;
        this.limit = limit;
        this.maxTracked = maxTracked;
    }

    public static boolean isUpdateCall(String requestType) {
        return requestType != null && (requestType.startsWith("call") || requestType.startsWith("sync_call"));
    }

    public Result accept(State s, IngressEvent e) {
        if (!isUpdateCall(e.requestType())) {
            return new Result(Outcome.NOT_AN_UPDATE, List.of());
        }
        if (e.errorCause() != null && e.errorCause().startsWith("rate_limited")) {
            return new Result(Outcome.REFUSED_BY_BOUNDARY_NODE, List.of());
        }
        if (e.clientHash() == null || e.clientHash().isBlank()) {
            return new Result(Outcome.NO_CLIENT_HASH, List.of());
        }
        long bucket = Math.floorDiv(e.timeNanos(), windowNanos);
        if (bucket < s.bucket) {
            return new Result(Outcome.LATE, List.of());
        }
        if (bucket > s.bucket) {
            s.bucket = bucket;
            s.counts.clear();
        }
        String key = e.clientHash() + "|" + (e.method() == null ? "" : e.method());
        Integer before = s.counts.get(key);
        if (before == null && s.counts.size() >= maxTracked) {
            return new Result(Outcome.UNTRACKED, List.of());
        }
        int n = before == null ? 1 : before + 1;
        s.counts.put(key, n);
        if (n != limit + 1) {
            return new Result(Outcome.COUNTED, List.of());
        }
        List<Alert> out = new ArrayList<>(1);
        String client = "client-hash:" + e.clientHash();
        String explanation = String.format(Locale.ROOT, "Boundary node logs show client %s making %d update calls of %s"
                + " to %s within %d s (limit %d), the last through %s. The client is a salted hash of principal and"
                + " IP, so this holds for anonymous callers too, whom canister traces cannot tell apart. Rate-limit"
                + " per caller inside the canister or at the edge: every executed update call drains cycles.",
                client, n, e.method(), s.canister, windowNanos / 1_000_000_000L, limit, e.boundaryNode());
        out.add(new Alert(Alert.VERSION, AlertClass.RATE_ANOMALY + "/" + s.canister + "/ingress|" + key + "|" + bucket,
                AlertClass.RATE_ANOMALY, Severity.WARNING, s.canister, List.of(client), null, explanation,
                new Evidence(List.of(e.id()), List.of(), List.of(), List.of(), null, List.of("boundary-node-access-log"),
                        List.of()), e.timeNanos()));
        return new Result(Outcome.COUNTED, out);
    }
}
