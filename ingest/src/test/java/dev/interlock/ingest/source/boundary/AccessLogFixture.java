package dev.interlock.ingest.source.boundary;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Access-log lines as an API boundary node streams them on {@code /logs/canister/<id>}: recorded ones (written after
 * the format {@code ic-boundary} emits, docs/boundary-node-logs.md: keys in serde_json's sorted order, {@code null}
 * for an absent error cause, {@code "none"} for no bypass reason, {@code ""} for an unknown replica node) and
 * generated ones.
 */
final class AccessLogFixture {
    static final String CANISTER = "qoctq-giaaa-aaaaa-aaaea-cai";
    static final String SUBNET = "tdb26-jop6k-aogll-7ltgs-eruif-6kk7m-qpktf-gdiqx-mxtrf-vb5e6-eqe";
    static final String REPLICA = "zatyv-4l26n-3lecc-xpeme-ul34o-yiye2-3d447-aiiz4-5pxtm-v44nh-cqe";

    /**
     * Twelve requests in 2.1 s to one canister, as one node streamed them: queries (cached and not), update calls
     * (v2 {@code call} answered 202, v3 {@code sync_call} answered 200), a read_state, a rate-limited call, a replica
     * timeout, and a request from a node without an anonymisation salt ({@code client_id} N/A).
     */
    static final String RECORDED = """
            {"cache_bypass_reason":"none","cache_status":"MISS","client_country_code":"N/A","client_id":"ab6e7b821eb97295e3d20cec94160288","client_ip_family":4,"duration":0.028693668,"error_cause":null,"error_details":null,"http_status":200,"http_version":"2.0","ic_canister_id":"qoctq-giaaa-aaaaa-aaaea-cai","ic_method":"http_request","ic_node_id":"zatyv-4l26n-3lecc-xpeme-ul34o-yiye2-3d447-aiiz4-5pxtm-v44nh-cqe","ic_subnet_id":"tdb26-jop6k-aogll-7ltgs-eruif-6kk7m-qpktf-gdiqx-mxtrf-vb5e6-eqe","request_id":"01981771-547c-7ea3-9d72-05b2ddbdda3d","request_size":694,"request_type":"query","response_size":2818,"timestamp":"2025-07-17T08:12:39.964131788Z"}
            {"cache_bypass_reason":"none","cache_status":"HIT","client_country_code":"N/A","client_id":"ab6e7b821eb97295e3d20cec94160288","client_ip_family":4,"duration":0.000412207,"error_cause":null,"error_details":null,"http_status":200,"http_version":"2.0","ic_canister_id":"qoctq-giaaa-aaaaa-aaaea-cai","ic_method":"http_request","ic_node_id":"","ic_subnet_id":"tdb26-jop6k-aogll-7ltgs-eruif-6kk7m-qpktf-gdiqx-mxtrf-vb5e6-eqe","request_id":"01981771-5581-7b30-8a4e-1f0d6c2be7a1","request_size":694,"request_type":"query","response_size":2818,"timestamp":"2025-07-17T08:12:40.225560113Z"}
            {"cache_bypass_reason":"non_anonymous","cache_status":"BYPASS","client_country_code":"N/A","client_id":"3f9d02c41a7e58b6c0e2d94ab1f07c55","client_ip_family":6,"duration":0.041027934,"error_cause":null,"error_details":null,"http_status":200,"http_version":"2.0","ic_canister_id":"qoctq-giaaa-aaaaa-aaaea-cai","ic_method":"icrc1_balance_of","ic_node_id":"zatyv-4l26n-3lecc-xpeme-ul34o-yiye2-3d447-aiiz4-5pxtm-v44nh-cqe","ic_subnet_id":"tdb26-jop6k-aogll-7ltgs-eruif-6kk7m-qpktf-gdiqx-mxtrf-vb5e6-eqe","request_id":"01981771-5603-74d1-b5c9-0c77e8a3f214","request_size":1187,"request_type":"query","response_size":412,"timestamp":"2025-07-17T08:12:40.356981402Z"}
            {"cache_bypass_reason":"none","cache_status":"DISABLED","client_country_code":"N/A","client_id":"3f9d02c41a7e58b6c0e2d94ab1f07c55","client_ip_family":6,"duration":0.018330412,"error_cause":null,"error_details":null,"http_status":202,"http_version":"2.0","ic_canister_id":"qoctq-giaaa-aaaaa-aaaea-cai","ic_method":"icrc1_transfer","ic_node_id":"zatyv-4l26n-3lecc-xpeme-ul34o-yiye2-3d447-aiiz4-5pxtm-v44nh-cqe","ic_subnet_id":"tdb26-jop6k-aogll-7ltgs-eruif-6kk7m-qpktf-gdiqx-mxtrf-vb5e6-eqe","request_id":"01981771-5690-7c1e-9a02-6d4b1e93c0aa","request_size":1302,"request_type":"call","response_size":0,"timestamp":"2025-07-17T08:12:40.498114567Z"}
            {"cache_bypass_reason":"none","cache_status":"DISABLED","client_country_code":"N/A","client_id":"3f9d02c41a7e58b6c0e2d94ab1f07c55","client_ip_family":6,"duration":0.012004871,"error_cause":null,"error_details":null,"http_status":200,"http_version":"2.0","ic_canister_id":"qoctq-giaaa-aaaaa-aaaea-cai","ic_method":null,"ic_node_id":"zatyv-4l26n-3lecc-xpeme-ul34o-yiye2-3d447-aiiz4-5pxtm-v44nh-cqe","ic_subnet_id":"tdb26-jop6k-aogll-7ltgs-eruif-6kk7m-qpktf-gdiqx-mxtrf-vb5e6-eqe","request_id":"01981771-56f2-7e88-a1d3-47c0b2f9e615","request_size":988,"request_type":"read_state","response_size":1675,"timestamp":"2025-07-17T08:12:40.735209988Z"}
            {"cache_bypass_reason":"none","cache_status":"DISABLED","client_country_code":"N/A","client_id":"c07e1d9b4a2f6e8153d09ab7e4c21f68","client_ip_family":4,"duration":2.118340276,"error_cause":null,"error_details":null,"http_status":200,"http_version":"2.0","ic_canister_id":"qoctq-giaaa-aaaaa-aaaea-cai","ic_method":"icrc2_approve","ic_node_id":"zatyv-4l26n-3lecc-xpeme-ul34o-yiye2-3d447-aiiz4-5pxtm-v44nh-cqe","ic_subnet_id":"tdb26-jop6k-aogll-7ltgs-eruif-6kk7m-qpktf-gdiqx-mxtrf-vb5e6-eqe","request_id":"01981771-5744-71a5-8e6d-93f1a07bc482","request_size":1410,"request_type":"sync_call","response_size":3021,"timestamp":"2025-07-17T08:12:41.002661930Z"}
            {"cache_bypass_reason":"none","cache_status":"DISABLED","client_country_code":"N/A","client_id":"e5a8134f0b6c2d97a1f3e0c4b89d7266","client_ip_family":4,"duration":0.000058114,"error_cause":"rate_limited_normal","error_details":null,"http_status":429,"http_version":"2.0","ic_canister_id":"qoctq-giaaa-aaaaa-aaaea-cai","ic_method":"icrc1_transfer","ic_node_id":"","ic_subnet_id":"tdb26-jop6k-aogll-7ltgs-eruif-6kk7m-qpktf-gdiqx-mxtrf-vb5e6-eqe","request_id":"01981771-57a0-7d2b-b7e4-2a6c9f18d350","request_size":1299,"request_type":"call","response_size":92,"timestamp":"2025-07-17T08:12:41.184903315Z"}
            {"cache_bypass_reason":"none","cache_status":"DISABLED","client_country_code":"N/A","client_id":"e5a8134f0b6c2d97a1f3e0c4b89d7266","client_ip_family":4,"duration":0.000049660,"error_cause":"rate_limited_normal","error_details":null,"http_status":429,"http_version":"2.0","ic_canister_id":"qoctq-giaaa-aaaaa-aaaea-cai","ic_method":"icrc1_transfer","ic_node_id":"","ic_subnet_id":"tdb26-jop6k-aogll-7ltgs-eruif-6kk7m-qpktf-gdiqx-mxtrf-vb5e6-eqe","request_id":"01981771-57a3-7f40-86c1-d0e5b3a7942c","request_size":1299,"request_type":"call","response_size":92,"timestamp":"2025-07-17T08:12:41.187220046Z"}
            {"cache_bypass_reason":"none","cache_status":"DISABLED","client_country_code":"N/A","client_id":"ab6e7b821eb97295e3d20cec94160288","client_ip_family":4,"duration":10.000912533,"error_cause":"replica_timeout","error_details":null,"http_status":503,"http_version":"2.0","ic_canister_id":"qoctq-giaaa-aaaaa-aaaea-cai","ic_method":"icrc1_transfer","ic_node_id":"zatyv-4l26n-3lecc-xpeme-ul34o-yiye2-3d447-aiiz4-5pxtm-v44nh-cqe","ic_subnet_id":"tdb26-jop6k-aogll-7ltgs-eruif-6kk7m-qpktf-gdiqx-mxtrf-vb5e6-eqe","request_id":"01981771-5812-7a99-95f0-b8d2c64e1e07","request_size":1305,"request_type":"call","response_size":141,"timestamp":"2025-07-17T08:12:41.299764001Z"}
            {"cache_bypass_reason":"none","cache_status":"MISS","client_country_code":"N/A","client_id":"N/A","client_ip_family":4,"duration":0.031876540,"error_cause":null,"error_details":null,"http_status":200,"http_version":"1.1","ic_canister_id":"qoctq-giaaa-aaaaa-aaaea-cai","ic_method":"http_request","ic_node_id":"zatyv-4l26n-3lecc-xpeme-ul34o-yiye2-3d447-aiiz4-5pxtm-v44nh-cqe","ic_subnet_id":"tdb26-jop6k-aogll-7ltgs-eruif-6kk7m-qpktf-gdiqx-mxtrf-vb5e6-eqe","request_id":"01981771-5877-7c05-a3b8-5e1f90d7c6b3","request_size":702,"request_type":"query","response_size":2818,"timestamp":"2025-07-17T08:12:41.512390777Z"}
            {"cache_bypass_reason":"none","cache_status":"DISABLED","client_country_code":"N/A","client_id":"c07e1d9b4a2f6e8153d09ab7e4c21f68","client_ip_family":4,"duration":0.000731245,"error_cause":"no_healthy_nodes","error_details":null,"http_status":503,"http_version":"2.0","ic_canister_id":"qoctq-giaaa-aaaaa-aaaea-cai","ic_method":"icrc1_transfer","ic_node_id":"","ic_subnet_id":"tdb26-jop6k-aogll-7ltgs-eruif-6kk7m-qpktf-gdiqx-mxtrf-vb5e6-eqe","request_id":"01981771-58e1-7b6f-9c24-71a3e0d5b8f9","request_size":1302,"request_type":"call","response_size":248,"timestamp":"2025-07-17T08:12:41.902117406Z"}
            {"cache_bypass_reason":"none","cache_status":"HIT","client_country_code":"N/A","client_id":"ab6e7b821eb97295e3d20cec94160288","client_ip_family":4,"duration":0.000390016,"error_cause":null,"error_details":null,"http_status":200,"http_version":"2.0","ic_canister_id":"qoctq-giaaa-aaaaa-aaaea-cai","ic_method":"http_request","ic_node_id":"","ic_subnet_id":"tdb26-jop6k-aogll-7ltgs-eruif-6kk7m-qpktf-gdiqx-mxtrf-vb5e6-eqe","request_id":"01981771-5943-7e12-8d75-c4b0a96f2e31","request_size":694,"request_type":"query","response_size":2818,"timestamp":"2025-07-17T08:12:42.071553260Z"}
            """;

    static List<String> recorded() {
        return RECORDED.lines().filter(l -> !l.isBlank()).toList();
    }

    /** A generated line in the same format: request {@code n} of a client at {@code ts}. */
    static String line(String canister, String requestId, Instant ts, String requestType, String method, int status,
            String errorCause, String clientId) {
        return String.format(Locale.ROOT, "{\"cache_bypass_reason\":\"none\",\"cache_status\":\"DISABLED\",\"client_country_code\":\"N/A\","
                + "\"client_id\":\"%s\",\"client_ip_family\":4,\"duration\":0.0%05d,\"error_cause\":%s,\"error_details\":null,"
                + "\"http_status\":%d,\"http_version\":\"2.0\",\"ic_canister_id\":\"%s\",\"ic_method\":\"%s\",\"ic_node_id\":\"%s\","
                + "\"ic_subnet_id\":\"%s\",\"request_id\":\"%s\",\"request_size\":812,\"request_type\":\"%s\",\"response_size\":96,"
                + "\"timestamp\":\"%s\"}", clientId, Math.floorMod(requestId.hashCode(), 99_999), errorCause == null ? "null"
                        : "\"" + errorCause + "\"", status, canister, method, REPLICA, SUBNET, requestId, requestType, ts);
    }

    /** A generated successful query by a fixed client. */
    static String line(String requestId, Instant ts) {
        return line(CANISTER, requestId, ts, "query", "icrc1_balance_of", 200, null, "77aa01c3e5f90b2d4c6e8a1f3b5d7092");
    }

    private AccessLogFixture() {
    }
}
