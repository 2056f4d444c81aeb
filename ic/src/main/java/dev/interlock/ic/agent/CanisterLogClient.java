package dev.interlock.ic.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.interlock.ic.Principal;
import dev.interlock.ic.candid.CandidDecoder;
import dev.interlock.ic.candid.CandidEncoder;
import dev.interlock.ic.candid.CandidException;
import dev.interlock.ic.candid.CandidType;
import dev.interlock.ic.candid.CandidValue;

/**
 * A canister's log through the management canister's {@code fetch_canister_logs} (a query; the effective
 * canister id is the canister whose log is read). The request asks only for records from an index on
 * ({@code filter = opt variant { by_idx = record { start; end } }}); a replica that predates the filter
 * ignores the extra field (record subtyping) and returns the whole buffer, so callers drop what they
 * already have either way. Canisters whose log visibility is {@code controllers} or
 * {@code allowed_viewers} need a {@link QueryClient} with a signing identity.
 */
public final class CanisterLogClient {
    private static final long CANISTER_ID = CandidType.idOf("canister_id");
    private static final long FILTER = CandidType.idOf("filter");
    private static final long BY_IDX = CandidType.idOf("by_idx");
    private static final long START = CandidType.idOf("start");
    private static final long END = CandidType.idOf("end");
    private static final long RECORDS = CandidType.idOf("canister_log_records");
    private static final long IDX = CandidType.idOf("idx");
    private static final long TIMESTAMP = CandidType.idOf("timestamp_nanos");
    private static final long CONTENT = CandidType.idOf("content");

    /** One log record: its index (counting on across reinstalls), time, and the printed bytes. */
    public record LogRecord(long idx, long timestampNanos, byte[] content) {
        /** Bytes the record takes in the canister's log buffer: content, index and timestamp. */
        public int size() {
            return content.length + 16;
        }
    }

    private final QueryClient client;
    private final CandidDecoder.Limits limits;

    public CanisterLogClient(QueryClient client, CandidDecoder.Limits limits) {
        this.client = client;
        this.limits = limits;
    }

    /** Records of {@code canister} with idx at or after {@code fromIdx}, in idx order. */
    public List<LogRecord> fetch(Principal canister, long fromIdx) {
        byte[] reply = client.query(canister, Principal.MANAGEMENT, "fetch_canister_logs", encodeArgs(canister, fromIdx));
        try {
            return readReply(reply, limits).stream().filter(r -> Long.compareUnsigned(r.idx(), fromIdx) >= 0).toList();
        } catch (CandidException e) {
            throw new IcException.Transport("fetch_canister_logs of " + canister + ": undecodable reply: " + e.getMessage(), 200, false,
                    e);
        }
    }

    /**
     * When {@code canister} was last installed, read anonymously with {@code read_state} of
     * {@code /canister/<id>/last_install_timestamp} (interface specification 0.66.0); empty where the replica
     * does not serve the path. The certificate's signature is not verified.
     */
    public java.util.Optional<java.math.BigInteger> lastInstallTimestamp(Principal canister) {
        byte[] cert = client.readState(canister, List.of(List.of("canister".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                canister.bytes(), "last_install_timestamp".getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
        dev.interlock.ic.cert.Certificate c = dev.interlock.ic.cert.Certificate.fromCbor(cert);
        c.checkDelegationCovers(canister);
        return c.lastInstallTimestamp(canister);
    }

    /**
     * {@code canister}'s status through {@code canister_status}, an update call with this client's identity (see
     * {@link CanisterStatusClient}: controllers and allowed status viewers only); its {@code logMemoryLimit} is the log
     * buffer's size where the replica reports it.
     */
    public CanisterStatusClient.CanisterStatus status(Principal canister) {
        return new CanisterStatusClient(new UpdateClient(client, java.time.Duration.ofSeconds(60)), limits).status(canister);
    }

    /** 0 args record, 1 opt filter, 2 filter variant, 3 range. */
    private static List<CandidType> argTable() {
        return List.of(CandidType.Record.of(new CandidType.Field(CANISTER_ID, CandidType.PRINCIPAL),
                        new CandidType.Field(FILTER, new CandidType.Ref(1))),
                new CandidType.Opt(new CandidType.Ref(2)),
                CandidType.Variant.of(new CandidType.Field(BY_IDX, new CandidType.Ref(3))),
                CandidType.Record.of(new CandidType.Field(START, CandidType.NAT64), new CandidType.Field(END, CandidType.NAT64)));
    }

    public static byte[] encodeArgs(Principal canister, long fromIdx) {
        Map<Long, CandidValue> range = new LinkedHashMap<>();
        range.put(START, new CandidValue.Fixed(CandidType.Prim.NAT64, fromIdx));
        range.put(END, new CandidValue.Fixed(CandidType.Prim.NAT64, -1L)); // 2^64 - 1
        Map<Long, CandidValue> args = new LinkedHashMap<>();
        args.put(CANISTER_ID, new CandidValue.Principal(canister.bytes()));
        args.put(FILTER, new CandidValue.Opt(new CandidValue.Variant(BY_IDX, new CandidValue.Record(range))));
        return CandidEncoder.encode(argTable(), List.of(new CandidType.Ref(0)), List.of(new CandidValue.Record(args)));
    }

    /** 0 result record, 1 vec record, 2 log record, 3 blob. */
    private static List<CandidType> replyTable() {
        return List.of(CandidType.Record.of(new CandidType.Field(RECORDS, new CandidType.Ref(1))),
                new CandidType.Vec(new CandidType.Ref(2)),
                CandidType.Record.of(new CandidType.Field(IDX, CandidType.NAT64), new CandidType.Field(TIMESTAMP, CandidType.NAT64),
                        new CandidType.Field(CONTENT, new CandidType.Ref(3))),
                new CandidType.Vec(CandidType.NAT8));
    }

    /** The reply the management canister sends (for the fake replica and tests). */
    public static byte[] encodeReply(List<LogRecord> records) {
        List<CandidValue> items = new ArrayList<>();
        for (LogRecord r : records) {
            Map<Long, CandidValue> m = new LinkedHashMap<>();
            m.put(IDX, new CandidValue.Fixed(CandidType.Prim.NAT64, r.idx()));
            m.put(TIMESTAMP, new CandidValue.Fixed(CandidType.Prim.NAT64, r.timestampNanos()));
            m.put(CONTENT, new CandidValue.Blob(r.content()));
            items.add(new CandidValue.Record(m));
        }
        Map<Long, CandidValue> result = new LinkedHashMap<>();
        result.put(RECORDS, new CandidValue.Vec(items));
        return CandidEncoder.encode(replyTable(), List.of(new CandidType.Ref(0)), List.of(new CandidValue.Record(result)));
    }

    /** Reads the args a caller sent: the canister and the first idx asked for (0 without a filter). */
    public static long[] readArgsFromIdx(byte[] arg) {
        CandidValue.Record r = (CandidValue.Record) CandidDecoder.decode(arg).values().get(0);
        long from = 0;
        if (r.fields().get(FILTER) instanceof CandidValue.Opt o && o.value() instanceof CandidValue.Variant v && v.id() == BY_IDX
                && v.value() instanceof CandidValue.Record range && range.fields().get(START) instanceof CandidValue.Fixed f) {
            from = f.bits();
        }
        return new long[] {from};
    }

    public static List<LogRecord> readReply(byte[] reply, CandidDecoder.Limits limits) {
        CandidDecoder.Message m = CandidDecoder.decode(reply, limits);
        if (m.values().isEmpty() || !(m.values().get(0) instanceof CandidValue.Record r)
                || !(r.fields().get(RECORDS) instanceof CandidValue.Vec items)) {
            throw new CandidException("fetch_canister_logs: expected record { canister_log_records : vec canister_log_record }");
        }
        List<LogRecord> out = new ArrayList<>(items.items().size());
        for (int i = 0; i < items.items().size(); i++) {
            String where = "canister_log_records[" + i + "]";
            if (!(items.items().get(i) instanceof CandidValue.Record rec)
                    || !(rec.fields().get(IDX) instanceof CandidValue.Fixed idx)
                    || !(rec.fields().get(TIMESTAMP) instanceof CandidValue.Fixed ts)
                    || !(rec.fields().get(CONTENT) instanceof CandidValue.Blob content)) {
                throw new CandidException("fetch_canister_logs: " + where + " lacks idx, timestamp_nanos or content");
            }
            out.add(new LogRecord(idx.bits(), ts.bits(), content.bytes()));
        }
        return out;
    }
}
