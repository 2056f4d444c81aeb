package dev.interlock.model;

/**
 * One ingress request to a monitored canister as an API boundary node logged it (its per-canister access log,
 * streamed over WebSocket; docs/boundary-node-logs.md). Published to {@link Topics#INGRESS}, keyed by canister,
 * in timestamp order per canister as far as the source's reorder window allows.
 *
 * <p>Callers: the boundary node never names the sender's principal. It gives {@link #clientHash}, a salted hash of
 * sender principal and client IP, so this event has no principal field at all: a client hash is never a principal,
 * and must never be compared with the {@code caller} of a {@link CallEvent}. It is the only place where anonymous
 * callers (all {@code 2vxsx-fae} in canister logs) can be told apart.
 *
 * @param id              {@code <boundary node>/<request id>}, or {@code <boundary node>/sha256:<hex>} of the raw line
 *                        when the line has no request id: the same log line read twice has the same id
 * @param canister        the canister the request targeted ({@code ic_canister_id}, principal text)
 * @param timeNanos       when the boundary node logged the request ({@code timestamp}), ns since the epoch
 * @param boundaryNode    the API boundary node whose stream carried it (host[:port] of the configured URL; the log
 *                        line itself does not name it)
 * @param requestId       the boundary node's request id ({@code request_id}), or null
 * @param requestType     {@code request_type} as logged: {@code query}, {@code call}, {@code sync_call},
 *                        {@code read_state}, or, on newer boundary nodes, versioned forms such as {@code query_v3},
 *                        {@code call_v4}, {@code read_state_v2}
 * @param method          the canister method called ({@code ic_method}, at most 50 characters), or null (read_state)
 * @param httpStatus      the HTTP status the boundary node answered ({@code http_status})
 * @param errorCause      the boundary node's error category ({@code error_cause}, e.g. {@code canister_not_found},
 *                        {@code rate_limited_normal}), or null when none
 * @param errorDetails    {@code error_details}, or null
 * @param clientHash      {@code client_id}: salted hash of sender principal and client IP, hex; null when the node
 *                        logged none ({@code N/A}: it had no salt, so clients cannot be told apart). Not a principal.
 * @param clientIpFamily  {@code client_ip_family}: 4, 6, or null when unknown
 * @param durationSeconds request processing time in seconds ({@code duration}), or null
 * @param requestSize     request size in bytes ({@code request_size}), or null
 * @param responseSize    response size in bytes ({@code response_size}), or null
 * @param cacheStatus     {@code cache_status}: HIT, MISS, BYPASS or DISABLED, or null
 * @param cacheBypassReason {@code cache_bypass_reason} (e.g. {@code non_anonymous}), null when none
 * @param subnet          the canister's subnet ({@code ic_subnet_id}), or null
 * @param replicaNode     the replica node that served the request ({@code ic_node_id}), or null (not the boundary node)
 */
public record IngressEvent(
        String id,
        String canister,
        long timeNanos,
        String boundaryNode,
        String requestId,
        String requestType,
        String method,
        int httpStatus,
        String errorCause,
        String errorDetails,
        String clientHash,
        Integer clientIpFamily,
        Double durationSeconds,
        Long requestSize,
        Long responseSize,
        String cacheStatus,
        String cacheBypassReason,
        String subnet,
        String replicaNode) implements IngestRecord {

    @Override
    public String topic() {
        return Topics.INGRESS;
    }

    @Override
    public String key() {
        return canister;
    }

    /** {@link #id}: unique per logged request and boundary node. */
    @Override
    public String dedupKey() {
        return id;
    }

    /** The boundary node or the canister refused or failed the request (an error cause, or HTTP 4xx/5xx). */
    public boolean failed() {
        return errorCause != null || httpStatus >= 400;
    }

    /** An update call ({@code call}, {@code sync_call}, {@code call_v*}) rather than a query or a read_state. */
    public boolean update() {
        return requestType != null && (requestType.startsWith("call") || requestType.equals("sync_call"));
    }
}
