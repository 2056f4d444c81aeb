package dev.interlock.detector.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.interlock.ic.Principal;
import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;
import dev.interlock.model.CallEventKind;
import dev.interlock.model.Severity;

/**
 * RATE_ANOMALY: more calls of one caller to one method that the canister served (replied) in a
 * window than the limit. Calls the canister rejected at once (its own rate limit) do not count,
 * so a canister that protects itself is not flagged.
 *
 * Callers: in canister traces every anonymous caller is the same principal ({@code 2vxsx-fae}),
 * so that bucket gets its own, higher limit and stands for all anonymous users together; only
 * boundary-node access logs, with their per-client hashes, can tell anonymous clients apart.
 * Other canisters calling (opaque principals, an integration such as a proxy or an index) get
 * their own limit too: one canister carries many users' calls. Windows are aligned to multiples
 * of their length (like a canister's per-minute counter). Needs the required events only.
 */
public final class RateAnomalyDetector implements Detector {
    public static final String ANONYMOUS = "2vxsx-fae";

    private final long windowNanos;
    private final int limit;
    private final int anonymousLimit;
    private final int canisterLimit;

    public RateAnomalyDetector(long windowNanos, int limit, int anonymousLimit, int canisterLimit) {
        this.windowNanos = windowNanos;
        this.limit = limit;
        this.anonymousLimit = anonymousLimit;
        this.canisterLimit = canisterLimit;
    }

    enum CallerKind { AUTHENTICATED, ANONYMOUS, CANISTER }

    /** Callers recur: their kind is decoded once (bounded: cleared when full). */
    private static final Map<String, CallerKind> KINDS = new ConcurrentHashMap<>();
    private static final int MAX_KINDS = 100_000;

    static CallerKind kind(String caller) {
        if (ANONYMOUS.equals(caller)) {
            return CallerKind.ANONYMOUS;
        }
        CallerKind known = KINDS.get(caller);
        if (known != null) {
            return known;
        }
        if (KINDS.size() >= MAX_KINDS) {
            KINDS.clear();
        }
        CallerKind k = decode(caller);
        KINDS.put(caller, k);
        return k;
    }

    private static CallerKind decode(String caller) {
        try {
            byte[] b = Principal.fromText(caller).bytes();
            return b.length > 0 && b[b.length - 1] == 0x01 ? CallerKind.CANISTER : CallerKind.AUTHENTICATED;
        } catch (IllegalArgumentException e) {
            return CallerKind.AUTHENTICATED;
        }
    }

    @Override
    public AlertClass alertClass() {
        return AlertClass.RATE_ANOMALY;
    }

    @Override
    public String evidenceNeeded() {
        return "none";
    }

    @Override
    public void onEvent(CallEvent event, CanisterState state, List<Alert> out) {
        if (event.kind() != CallEventKind.CONTEXT_CLOSE || !"rep".equals(event.value())) {
            return;
        }
        ContextState ctx = state.context(event.context());
        if (ctx == null || ctx.caller == null || ctx.method == null) {
            return;
        }
        long bucket = event.timeNanos() / windowNanos;
        if (bucket != state.rateBucket) {
            state.rateBucket = bucket; // a new window: events of a canister come in time order
            state.replies.clear();
        }
        String key = ctx.caller + "|" + ctx.method;
        int served = state.replies.merge(key, 1, Integer::sum);
        CallerKind kind = kind(ctx.caller);
        int max = switch (kind) {
            case ANONYMOUS -> anonymousLimit;
            case CANISTER -> canisterLimit;
            case AUTHENTICATED -> limit;
        };
        if (served > max) {
            out.add(Alerts.of(AlertClass.RATE_ANOMALY, Severity.WARNING, state, key + "|" + bucket).context(ctx)
                    .basis(kind.name().toLowerCase(java.util.Locale.ROOT) + "-caller")
                    .explain("%s served %d %s calls of %s within %d s (limit %d)%s. Rate-limit per authenticated "
                            + "caller inside the canister: cycles are drained by every executed call.", state.canister,
                            served, ctx.method, ANONYMOUS.equals(ctx.caller) ? "all anonymous callers" : ctx.caller,
                            windowNanos / 1_000_000_000L, max,
                            ANONYMOUS.equals(ctx.caller) ? " (anonymous callers share one principal in traces)" : "")
                    .build());
        }
    }
}
