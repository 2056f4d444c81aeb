package dev.interlock.ic.agent;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import dev.interlock.ic.Principal;
import dev.interlock.ic.candid.CandidDecoder;
import dev.interlock.ic.candid.CandidEncoder;
import dev.interlock.ic.candid.CandidException;
import dev.interlock.ic.candid.CandidType;
import dev.interlock.ic.candid.CandidValue;

/**
 * A canister's status through the management canister's {@code canister_status}, sent as an update call (certified
 * reply; the effective canister id is the canister asked about). Only the canister's controllers may call it, unless
 * its {@code status_visibility} setting (interface specification 0.65.0) is {@code public} or names the caller as
 * an allowed viewer; anyone else is refused with reject code 5, {@code IC0512}.
 *
 * <p>Of the reply, this reads the status, the controllers and {@code settings.log_memory_limit}: the canister log's
 * ring-buffer size, which DFINITY's replica returns in {@code definite_canister_settings} although the interface
 * specification's {@code ic.did} does not list it yet; a reply without it reads as empty.
 */
public final class CanisterStatusClient {
    private static final long CANISTER_ID = CandidType.idOf("canister_id");
    private static final long STATUS = CandidType.idOf("status");
    private static final long SETTINGS = CandidType.idOf("settings");
    private static final long CONTROLLERS = CandidType.idOf("controllers");
    private static final long LOG_MEMORY_LIMIT = CandidType.idOf("log_memory_limit");
    private static final List<String> STATUSES = List.of("running", "stopping", "stopped");

    /** What Interlock reads of {@code canister_status}. */
    public record CanisterStatus(String status, List<Principal> controllers, OptionalLong logMemoryLimit) {
    }

    private final UpdateClient client;
    private final CandidDecoder.Limits limits;

    public CanisterStatusClient(UpdateClient client, CandidDecoder.Limits limits) {
        this.client = client;
        this.limits = limits;
    }

    public CanisterStatus status(Principal canister) {
        byte[] reply = client.call(canister, Principal.MANAGEMENT, "canister_status", encodeArgs(canister));
        try {
            return readReply(reply, limits);
        } catch (CandidException | ArithmeticException e) {
            throw new IcException.Transport("canister_status of " + canister + ": undecodable reply: " + e.getMessage(), 200, false, e);
        }
    }

    public static byte[] encodeArgs(Principal canister) {
        return CandidEncoder.encode(List.of(CandidType.Record.of(new CandidType.Field(CANISTER_ID, CandidType.PRINCIPAL))),
                List.of(new CandidValue.Record(Map.of(CANISTER_ID, new CandidValue.Principal(canister.bytes())))));
    }

    /** The canister a {@code canister_status} argument names (for the fake replica). */
    public static Principal readArgs(byte[] arg) {
        if (CandidDecoder.decode(arg).values().get(0) instanceof CandidValue.Record r
                && r.fields().get(CANISTER_ID) instanceof CandidValue.Principal p) {
            return Principal.of(p.bytes());
        }
        throw new CandidException("canister_status: expected record { canister_id : principal }");
    }

    public static CanisterStatus readReply(byte[] reply, CandidDecoder.Limits limits) {
        CandidDecoder.Message m = CandidDecoder.decode(reply, limits);
        if (m.values().isEmpty() || !(m.values().get(0) instanceof CandidValue.Record r)
                || !(r.fields().get(STATUS) instanceof CandidValue.Variant status)
                || !(r.fields().get(SETTINGS) instanceof CandidValue.Record settings)
                || !(settings.fields().get(CONTROLLERS) instanceof CandidValue.Vec controllers)) {
            throw new CandidException("canister_status: expected record { status : variant; settings : record { controllers; … }; … }");
        }
        List<Principal> owners = new ArrayList<>();
        for (CandidValue c : controllers.items()) {
            if (!(c instanceof CandidValue.Principal p)) {
                throw new CandidException("canister_status: settings.controllers holds a non-principal");
            }
            owners.add(Principal.of(p.bytes()));
        }
        String name = STATUSES.stream().filter(status::is).findFirst().orElse("unknown");
        OptionalLong limit = OptionalLong.empty();
        CandidValue l = settings.fields().get(LOG_MEMORY_LIMIT);
        if (l instanceof CandidValue.Big b) {
            limit = OptionalLong.of(b.value().longValueExact());
        } else if (l instanceof CandidValue.Fixed f) {
            limit = OptionalLong.of(f.bits());
        }
        return new CanisterStatus(name, List.copyOf(owners), limit);
    }

    /**
     * The reply as DFINITY's replica encodes it ({@code CanisterStatusResultV2}: the specification's fields plus the
     * legacy {@code controller}, {@code balance} and {@code freezing_threshold}, and {@code settings.log_memory_limit}
     * unless {@code logMemoryLimit} is empty), for the fake replica and tests.
     */
    public static byte[] encodeReply(CanisterStatus s, List<Principal> logViewers) {
        CandidType nat = CandidType.NAT;
        CandidType principals = new CandidType.Vec(CandidType.PRINCIPAL);
        CandidType logVisibility = CandidType.Variant.of(f("controllers", CandidType.NULL), f("public", CandidType.NULL),
                f("allowed_viewers", principals));
        List<CandidType.Field> settingsFields = new ArrayList<>(List.of(f("controller", CandidType.PRINCIPAL),
                f("controllers", principals), f("compute_allocation", nat), f("memory_allocation", nat),
                f("freezing_threshold", nat), f("reserved_cycles_limit", nat), f("log_visibility", logVisibility),
                f("wasm_memory_limit", nat), f("wasm_memory_threshold", nat), f("environment_variables",
                        new CandidType.Vec(CandidType.Record.of(f("name", CandidType.TEXT), f("value", CandidType.TEXT))))));
        if (s.logMemoryLimit().isPresent()) {
            settingsFields.add(f("log_memory_limit", nat));
        }
        CandidType settings = CandidType.Record.of(settingsFields.toArray(CandidType.Field[]::new));
        CandidType memoryMetrics = CandidType.Record.of(f("wasm_memory_size", nat), f("stable_memory_size", nat),
                f("global_memory_size", nat), f("wasm_binary_size", nat), f("custom_sections_size", nat),
                f("canister_history_size", nat), f("wasm_chunk_store_size", nat), f("snapshots_size", nat));
        CandidType queryStats = CandidType.Record.of(f("num_calls_total", nat), f("num_instructions_total", nat),
                f("request_payload_bytes_total", nat), f("response_payload_bytes_total", nat));
        CandidType result = CandidType.Record.of(
                f("status", CandidType.Variant.of(f("running", CandidType.NULL), f("stopping", CandidType.NULL),
                        f("stopped", CandidType.NULL))),
                f("ready_for_migration", CandidType.BOOL), f("version", CandidType.NAT64), f("settings", settings),
                f("module_hash", new CandidType.Opt(new CandidType.Vec(CandidType.NAT8))), f("controller", CandidType.PRINCIPAL),
                f("memory_size", nat), f("memory_metrics", memoryMetrics), f("cycles", nat),
                f("balance", new CandidType.Vec(CandidType.Record.of(new CandidType.Field(0, new CandidType.Vec(CandidType.NAT8)),
                        new CandidType.Field(1, nat)))),
                f("freezing_threshold", nat), f("idle_cycles_burned_per_day", nat), f("reserved_cycles", nat),
                f("query_stats", queryStats));

        CandidValue zero = new CandidValue.Big(BigInteger.ZERO);
        CandidValue first = new CandidValue.Principal(s.controllers().isEmpty() ? Principal.MANAGEMENT.bytes()
                : s.controllers().get(0).bytes());
        Map<String, CandidValue> sv = new LinkedHashMap<>();
        sv.put("controller", first);
        sv.put("controllers", principalVec(s.controllers()));
        for (String n : List.of("compute_allocation", "memory_allocation", "reserved_cycles_limit", "wasm_memory_limit",
                "wasm_memory_threshold")) {
            sv.put(n, zero);
        }
        sv.put("freezing_threshold", new CandidValue.Big(BigInteger.valueOf(2_592_000)));
        sv.put("log_visibility", logViewers.isEmpty() ? new CandidValue.Variant(CandidType.idOf("public"), new CandidValue.Null())
                : new CandidValue.Variant(CandidType.idOf("allowed_viewers"), principalVec(logViewers)));
        sv.put("environment_variables", new CandidValue.Vec(List.of()));
        s.logMemoryLimit().ifPresent(l -> sv.put("log_memory_limit", new CandidValue.Big(BigInteger.valueOf(l))));
        Map<String, CandidValue> metrics = new LinkedHashMap<>();
        for (String n : List.of("wasm_memory_size", "stable_memory_size", "global_memory_size", "wasm_binary_size",
                "custom_sections_size", "canister_history_size", "wasm_chunk_store_size", "snapshots_size")) {
            metrics.put(n, zero);
        }
        Map<String, CandidValue> stats = new LinkedHashMap<>();
        for (String n : List.of("num_calls_total", "num_instructions_total", "request_payload_bytes_total",
                "response_payload_bytes_total")) {
            stats.put(n, zero);
        }
        Map<String, CandidValue> rv = new LinkedHashMap<>();
        rv.put("status", new CandidValue.Variant(CandidType.idOf(STATUSES.contains(s.status()) ? s.status() : "running"),
                new CandidValue.Null()));
        rv.put("ready_for_migration", new CandidValue.Bool(false));
        rv.put("version", new CandidValue.Fixed(CandidType.Prim.NAT64, 1));
        rv.put("settings", record(sv));
        rv.put("module_hash", new CandidValue.Opt(new CandidValue.Blob(new byte[32])));
        rv.put("controller", first);
        rv.put("memory_size", zero);
        rv.put("memory_metrics", record(metrics));
        rv.put("cycles", new CandidValue.Big(BigInteger.TEN.pow(12)));
        rv.put("balance", new CandidValue.Vec(List.of(new CandidValue.Record(Map.of(0L, new CandidValue.Blob(new byte[] {0}), 1L,
                new CandidValue.Big(BigInteger.TEN.pow(12)))))));
        rv.put("freezing_threshold", new CandidValue.Big(BigInteger.valueOf(2_592_000)));
        rv.put("idle_cycles_burned_per_day", zero);
        rv.put("reserved_cycles", zero);
        rv.put("query_stats", record(stats));
        return CandidEncoder.encode(List.of(result), List.of(record(rv)));
    }

    private static CandidType.Field f(String name, CandidType type) {
        return new CandidType.Field(CandidType.idOf(name), type);
    }

    private static CandidValue.Record record(Map<String, CandidValue> byName) {
        Map<Long, CandidValue> out = new LinkedHashMap<>();
        byName.forEach((k, v) -> out.put(CandidType.idOf(k), v));
        return new CandidValue.Record(out);
    }

    private static CandidValue.Vec principalVec(List<Principal> ps) {
        return new CandidValue.Vec(ps.stream().map(p -> (CandidValue) new CandidValue.Principal(p.bytes())).toList());
    }
}
