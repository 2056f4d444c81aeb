package dev.interlock.sim.replica;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.interlock.ic.Leb128;
import dev.interlock.ic.Principal;
import dev.interlock.ic.candid.CandidDecoder;
import dev.interlock.ic.candid.CandidEncoder;
import dev.interlock.ic.candid.CandidException;
import dev.interlock.ic.candid.CandidType;
import dev.interlock.ic.candid.CandidValue;
import dev.interlock.ic.candid.IcpCandid;
import dev.interlock.ic.candid.Icrc3Candid;
import dev.interlock.ic.cert.HashTree;
import dev.interlock.ic.cert.TipCertificate;
import dev.interlock.sim.ledger.IcpEncoding;
import dev.interlock.sim.ledger.IcrcLedger;

/**
 * An in-process stand-in for an IC boundary node: a real HTTP server that reads query envelopes
 * (CBOR, as on {@code /api/v3} and {@code /api/v2}) and answers from simulator ledgers in the wire formats
 * of the real ones. ICRC ledgers answer {@code icrc3_get_blocks} (at most {@link #PAGE} blocks per call,
 * archived ranges as callbacks to their archive canisters, which answer too) and
 * {@code icrc3_get_tip_certificate} (a hash tree as the ledger builds it, in a certificate as the IC
 * builds it; the BLS signature is zeros, since Interlock does not verify signatures yet). Ledgers served
 * with {@link #serveIcp} answer as the ICP ledger does instead ({@code query_encoded_blocks}, archives'
 * {@code get_encoded_blocks}).
 * Canister logs served with {@link #serveLogs} answer {@code fetch_canister_logs} (a query) and, as update calls,
 * {@code canister_status} (see {@link #controllers}).
 * Faults are injected by {@link #inject}.
 */
public final class FakeReplica implements AutoCloseable {
    /** Blocks per {@code icrc3_get_blocks} reply, as real ICRC ledgers and archives cap them. */
    public static final int PAGE = 100;
    /** Blocks per {@code query_encoded_blocks} / {@code get_encoded_blocks} reply, as the ICP ledger caps them. */
    public static final int ICP_PAGE = 2000;
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    private static final Pattern PATH = Pattern.compile("/api/v[23]/canister/([a-z0-9-]+)/query");
    private static final Pattern READ_STATE = Pattern.compile("/api/v[23]/canister/([a-z0-9-]+)/read_state");
    private static final Pattern CALL = Pattern.compile("/api/v([234])/canister/([a-z0-9-]+)/call");

    /** What a request looked like, for fault rules. */
    public record Request(Principal canister, String method) {
    }

    /** A fault to apply instead of (or to) the normal answer. */
    public sealed interface Fault {
        /** Answer with this HTTP status and body. */
        record Http(int status, byte[] body) implements Fault {
        }

        /** Hold the answer this long (past a client's timeout). */
        record Delay(long millis) implements Fault {
        }

        /** Send only the first bytes of the real answer. */
        record Truncate(int bytes) implements Fault {
        }
    }

    /** Decides per request whether to inject a fault; null means answer normally. */
    public interface FaultRule {
        Fault apply(Request request, long requestNumber);
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Map<Principal, IcrcLedger> ledgers = new ConcurrentHashMap<>();
    private final Map<Principal, IcrcLedger> archiveOwners = new ConcurrentHashMap<>();
    private final Map<Principal, IcpEncoding> icp = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private volatile FaultRule faults = (r, n) -> null;
    private volatile long timeNanos = 1_764_000_000_000_000_000L;

    public FakeReplica() throws IOException {
        // without TCP_NODELAY, Nagle's algorithm and the client's delayed ACKs hold every reply ~40 ms
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/api/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Serves an ICRC ledger and its archives (reads the ledger as it grows; do not mutate it concurrently). */
    public synchronized void serve(IcrcLedger ledger) {
        ledgers.put(ledger.id(), ledger);
        refreshArchives();
    }

    /**
     * Serves a simulator ledger as the ICP ledger would: {@code query_encoded_blocks} (at most
     * {@link #ICP_PAGE} protobuf-encoded blocks, archived ranges as callbacks to {@code get_encoded_blocks}
     * of the archives, the certificate of the raw tip hash) on the ledger's canister id.
     */
    public synchronized IcpEncoding serveIcp(IcrcLedger ledger) {
        IcpEncoding e = new IcpEncoding(ledger);
        icp.put(ledger.id(), e);
        ledgers.put(ledger.id(), ledger);
        refreshArchives();
        return e;
    }

    private void refreshArchives() {
        for (IcrcLedger l : ledgers.values()) {
            for (IcrcLedger.Archive a : l.archives()) {
                archiveOwners.put(a.canister(), l);
            }
        }
    }

    private final Map<Principal, java.util.Set<Long>> tampered = new ConcurrentHashMap<>();

    /** Serves block {@code index} of {@code ledger} altered (an extra field), as a compromised node might. */
    public void tamper(Principal ledger, long index) {
        tampered.computeIfAbsent(ledger, k -> ConcurrentHashMap.newKeySet()).add(index);
    }

    private final Map<Principal, java.util.Set<Long>> hidden = new ConcurrentHashMap<>();
    private final java.util.Set<Principal> forgedTrees = ConcurrentHashMap.newKeySet();

    /**
     * Leaves block {@code index} of {@code ledger} out of every reply, as an archive that lost a range would:
     * ICRC replies skip it, ICP replies end before it.
     */
    public void hide(Principal ledger, long index) {
        hidden.computeIfAbsent(ledger, k -> ConcurrentHashMap.newKeySet()).add(index);
    }

    /** Serves the tip certificate of {@code ledger} with a hash tree that names another tip than the certified one. */
    public void forgeTipTree(Principal ledger) {
        forgedTrees.add(ledger);
    }

    /** Serves every block and certificate as the ledger holds it again. */
    public void untamper() {
        tampered.clear();
        hidden.clear();
        forgedTrees.clear();
    }

    private boolean isHidden(IcrcLedger ledger, long i) {
        return hidden.getOrDefault(ledger.id(), java.util.Set.of()).contains(i);
    }

    private dev.interlock.ic.Value served(IcrcLedger ledger, long i) {
        dev.interlock.ic.Value.Map block = ledger.blocks().get((int) i);
        if (!tampered.getOrDefault(ledger.id(), java.util.Set.of()).contains(i)) {
            return block;
        }
        List<dev.interlock.ic.Value.Entry> entries = new ArrayList<>(block.entries());
        entries.add(new dev.interlock.ic.Value.Entry("zz_tampered", dev.interlock.ic.Value.nat(1)));
        return new dev.interlock.ic.Value.Map(entries);
    }

    public void inject(FaultRule rule) {
        this.faults = rule == null ? (r, n) -> null : rule;
    }

    public long requests() {
        return requests.get();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            try {
                handleSafely(x);
            } catch (RuntimeException e) {
                // a bug in the fake must show up as such, not as a silently dropped connection
                send(x, 500, ("fake replica failed: " + e).getBytes());
            }
        }
    }

    private void handleSafely(HttpExchange x) throws IOException {
        {
            long n = requests.incrementAndGet();
            Matcher rs = READ_STATE.matcher(x.getRequestURI().getPath());
            if ("POST".equals(x.getRequestMethod()) && rs.matches()) {
                readState(x, Principal.fromText(rs.group(1)));
                return;
            }
            Matcher call = CALL.matcher(x.getRequestURI().getPath());
            if ("POST".equals(x.getRequestMethod()) && call.matches()) {
                call(x, Integer.parseInt(call.group(1)), Principal.fromText(call.group(2)), n);
                return;
            }
            Matcher m = PATH.matcher(x.getRequestURI().getPath());
            if (!"POST".equals(x.getRequestMethod()) || !m.matches()) {
                send(x, 404, "not found".getBytes());
                return;
            }
            JsonNode content;
            JsonNode envelope;
            try {
                envelope = CBOR.readTree(x.getRequestBody().readAllBytes());
                content = envelope.get("content");
            } catch (IOException e) {
                send(x, 400, ("malformed CBOR: " + e.getMessage()).getBytes());
                return;
            }
            if (content == null || !"query".equals(content.path("request_type").asText())) {
                send(x, 400, "expected a query envelope".getBytes());
                return;
            }
            Principal canister = Principal.of(content.get("canister_id").binaryValue());
            String method = content.get("method_name").asText();
            byte[] arg = content.get("arg").binaryValue();
            Principal sender;
            try {
                sender = authenticate(envelope, content);
            } catch (IllegalArgumentException e) {
                send(x, 400, ("invalid signature: " + e.getMessage()).getBytes());
                return;
            }
            if (canister.equals(Principal.MANAGEMENT)) {
                Principal effective = Principal.fromText(m.group(1));
                Fault fault = faults.apply(new Request(effective, method), n);
                if (fault instanceof Fault.Http h) {
                    send(x, h.status(), h.body());
                    return;
                }
                if (fault instanceof Fault.Delay d) {
                    sleep(d.millis());
                }
                send(x, 200, management(effective, sender, method, arg));
                return;
            }
            Fault fault = faults.apply(new Request(canister, method), n);
            if (fault instanceof Fault.Http h) {
                send(x, h.status(), h.body());
                return;
            }
            if (fault instanceof Fault.Delay d) {
                sleep(d.millis());
            }
            byte[] answer = answer(canister, method, arg);
            if (fault instanceof Fault.Truncate t) {
                answer = java.util.Arrays.copyOf(answer, Math.min(t.bytes(), answer.length));
            }
            send(x, 200, answer);
        }
    }

    /**
     * The sender, checked as the replica checks it: anonymous without a key; otherwise the sender must be the
     * self-authenticating principal of {@code sender_pubkey} and {@code sender_sig} its signature of the
     * request id (secp256k1 and Ed25519).
     */
    private static Principal authenticate(JsonNode envelope, JsonNode content) throws IOException {
        JsonNode senderField = content.get("sender");
        if (senderField == null || !senderField.isBinary()) {
            throw new IllegalArgumentException("the request content has no sender");
        }
        Principal sender = Principal.of(senderField.binaryValue());
        JsonNode pub = envelope.get("sender_pubkey");
        if (pub == null) {
            if (!sender.equals(Principal.ANONYMOUS)) {
                throw new IllegalArgumentException("sender " + sender + " without sender_pubkey");
            }
            return sender;
        }
        byte[] der = pub.binaryValue();
        if (!sender.equals(Principal.selfAuthenticating(der))) {
            throw new IllegalArgumentException("sender " + sender + " is not the principal of sender_pubkey");
        }
        byte[] signed = dev.interlock.ic.RequestId.signedBytes(requestId(content));
        if (!Signatures.verify(der, signed, envelope.path("sender_sig").binaryValue())) {
            throw new IllegalArgumentException("sender_sig does not verify");
        }
        return sender;
    }

    /** The request id of an envelope's content: every field, as the interface specification hashes it. */
    private static byte[] requestId(JsonNode content) throws IOException {
        return dev.interlock.ic.RequestId.of(fields(content));
    }

    private static Map<String, Object> fields(JsonNode map) throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        var it = map.fields();
        while (it.hasNext()) {
            var f = it.next();
            fields.put(f.getKey(), value(f.getValue()));
        }
        return fields;
    }

    /** blob → bytes, text → String, nat → BigInteger (up to 2^64 - 1 and beyond), array → list, map → map. */
    private static Object value(JsonNode v) throws IOException {
        if (v.isBinary()) {
            return v.binaryValue();
        }
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isIntegralNumber()) {
            if (v.bigIntegerValue().signum() < 0) {
                throw new IllegalArgumentException("a negative number in the request content");
            }
            return v.bigIntegerValue();
        }
        if (v.isArray()) {
            List<Object> items = new java.util.ArrayList<>();
            for (JsonNode item : v) {
                items.add(value(item));
            }
            return items;
        }
        if (v.isObject()) {
            return fields(v);
        }
        throw new IllegalArgumentException("a " + v.getNodeType() + " in the request content");
    }

    private final Map<Principal, LogView> logs = new ConcurrentHashMap<>();
    private final Map<Principal, Long> installedAt = new ConcurrentHashMap<>();

    /**
     * Records that {@code canister}'s module was (re)installed at {@code nanos}: {@code read_state} of
     * {@code /canister/<id>/last_install_timestamp} answers it from then on (unset: the path is absent, as on
     * replicas that predate it).
     */
    public void installed(Principal canister, long nanos) {
        installedAt.put(canister, nanos);
    }

    /**
     * Answers {@code read_state} with a certificate holding the canister's last install time, if known, and the status
     * of the calls whose {@code /request_status/<id>} the request asks for (those of asynchronous v2 calls).
     */
    private void readState(HttpExchange x, Principal canister) throws IOException {
        JsonNode envelope = CBOR.readTree(x.getRequestBody().readAllBytes());
        try {
            authenticate(envelope, envelope.path("content"));
        } catch (IllegalArgumentException e) {
            send(x, 400, ("invalid signature: " + e.getMessage()).getBytes());
            return;
        }
        HashTree own = installedAt.containsKey(canister)
                ? new HashTree.Labeled(ascii("last_install_timestamp"), new HashTree.Leaf(Leb128.unsigned(installedAt.get(canister))))
                : new HashTree.Empty();
        HashTree statuses = new HashTree.Empty();
        for (JsonNode path : envelope.path("content").path("paths")) {
            if (path.size() == 2 && java.util.Arrays.equals(path.get(0).binaryValue(), ascii("request_status"))) {
                HashTree status = callStatus.get(java.util.HexFormat.of().formatHex(path.get(1).binaryValue()));
                if (status != null) {
                    statuses = new HashTree.Fork(statuses, new HashTree.Labeled(path.get(1).binaryValue(), status));
                }
            }
        }
        HashTree tree = new HashTree.Fork(new HashTree.Fork(new HashTree.Labeled(ascii("canister"),
                new HashTree.Labeled(canister.bytes(), own)), new HashTree.Labeled(ascii("request_status"), statuses)),
                new HashTree.Labeled(ascii("time"), new HashTree.Leaf(Leb128.unsigned(timeNanos))));
        ObjectNode cert = CBOR.createObjectNode();
        cert.set("tree", tree.toNode());
        cert.put("signature", new byte[48]);
        ObjectNode reply = CBOR.createObjectNode();
        reply.put("certificate", selfDescribed(cert));
        send(x, 200, selfDescribed(reply));
    }

    /** A canister's log as the management canister serves it, and who may read it (empty: public). */
    private record LogView(dev.interlock.sim.engine.CanisterLog log, java.util.Set<Principal> viewers) {
    }

    /**
     * Serves {@code log} through the management canister's {@code fetch_canister_logs} for {@code canister}:
     * readable by anyone when {@code viewers} is empty ({@code public} visibility), otherwise only by those
     * principals (controllers and allowed viewers), with signed requests.
     */
    public void serveLogs(Principal canister, dev.interlock.sim.engine.CanisterLog log, java.util.Set<Principal> viewers) {
        logs.put(canister, new LogView(log, java.util.Set.copyOf(viewers)));
    }

    private final Map<Principal, java.util.Set<Principal>> controllers = new ConcurrentHashMap<>();
    private final Map<Principal, java.util.Set<Principal>> statusViewers = new ConcurrentHashMap<>();
    private volatile boolean logMemoryLimitInStatus = true;
    /** Final statuses of calls by request id (hex), as {@code /request_status/<id>} subtrees, for {@code read_state}. */
    private final Map<String, HashTree> callStatus = new ConcurrentHashMap<>();

    /**
     * Makes {@code owners} the controllers of {@code canister} (whose log {@link #serveLogs} serves): they may call
     * {@code canister_status}, which reports the log buffer's limit as {@code settings.log_memory_limit}; so may
     * {@code statusViewers} (the {@code status_visibility} setting's allowed viewers). Anyone else is refused before
     * execution, as the replica refuses a non-controller.
     */
    public void controllers(Principal canister, java.util.Set<Principal> owners, java.util.Set<Principal> statusViewers) {
        controllers.put(canister, java.util.Set.copyOf(owners));
        this.statusViewers.put(canister, java.util.Set.copyOf(statusViewers));
    }

    /** Whether {@code canister_status} replies carry {@code settings.log_memory_limit} (the interface spec's ic.did lacks it). */
    public void logMemoryLimitInStatus(boolean present) {
        logMemoryLimitInStatus = present;
    }

    /**
     * An update call: on v4 and v3 answered synchronously (a certificate of {@code /request_status/<id>}, or a
     * {@code non_replicated_rejection} when the sender may not call the method), on v2 with 202 and the status left
     * for {@code read_state}. Only the management canister's {@code canister_status} is served.
     */
    private void call(HttpExchange x, int version, Principal effective, long n) throws IOException {
        JsonNode envelope;
        JsonNode content;
        try {
            envelope = CBOR.readTree(x.getRequestBody().readAllBytes());
            content = envelope.get("content");
        } catch (IOException e) {
            send(x, 400, ("malformed CBOR: " + e.getMessage()).getBytes());
            return;
        }
        if (content == null || !"call".equals(content.path("request_type").asText())) {
            send(x, 400, "expected a call envelope".getBytes());
            return;
        }
        Principal sender;
        try {
            sender = authenticate(envelope, content);
        } catch (IllegalArgumentException e) {
            send(x, 400, ("invalid signature: " + e.getMessage()).getBytes());
            return;
        }
        Principal canister = Principal.of(content.get("canister_id").binaryValue());
        String method = content.get("method_name").asText();
        Fault fault = faults.apply(new Request(effective, method), n);
        if (fault instanceof Fault.Http h) {
            send(x, h.status(), h.body());
            return;
        }
        if (fault instanceof Fault.Delay d) {
            sleep(d.millis());
        }
        byte[] id = requestId(content);
        HashTree status;
        if (!canister.equals(Principal.MANAGEMENT) || !method.equals("canister_status")) {
            status = rejectedStatus(5, "Canister " + canister + " has no update method '" + method + "' served here", "IC0536");
        } else {
            LogView view = logs.get(effective);
            java.util.Set<Principal> owners = controllers.getOrDefault(effective, java.util.Set.of());
            if (view == null) {
                send(x, 200, nonReplicatedRejection(3, "Canister " + effective + " not found", "IC0301"));
                return;
            }
            if (!owners.contains(sender) && !statusViewers.getOrDefault(effective, java.util.Set.of()).contains(sender)) {
                send(x, 200, nonReplicatedRejection(5, "Only controllers of canister " + effective
                        + " can call ic00 method canister_status", "IC0512"));
                return;
            }
            java.util.OptionalLong limit = logMemoryLimitInStatus ? java.util.OptionalLong.of(view.log().limit())
                    : java.util.OptionalLong.empty();
            byte[] reply = dev.interlock.ic.agent.CanisterStatusClient.encodeReply(new dev.interlock.ic.agent.CanisterStatusClient
                    .CanisterStatus("running", List.copyOf(owners), limit), List.copyOf(view.viewers()));
            status = new HashTree.Fork(new HashTree.Labeled(ascii("reply"), new HashTree.Leaf(reply)),
                    new HashTree.Labeled(ascii("status"), new HashTree.Leaf(ascii("replied"))));
        }
        if (version == 2) {
            callStatus.put(java.util.HexFormat.of().formatHex(id), status);
            send(x, 202, new byte[0]);
            return;
        }
        HashTree tree = new HashTree.Fork(new HashTree.Labeled(ascii("request_status"), new HashTree.Labeled(id, status)),
                new HashTree.Labeled(ascii("time"), new HashTree.Leaf(Leb128.unsigned(timeNanos))));
        ObjectNode cert = CBOR.createObjectNode();
        cert.set("tree", tree.toNode());
        cert.put("signature", new byte[48]);
        ObjectNode answer = CBOR.createObjectNode().put("status", "replied");
        answer.put("certificate", selfDescribed(cert));
        send(x, 200, selfDescribed(answer));
    }

    private static HashTree rejectedStatus(int code, String message, String errorCode) {
        return new HashTree.Fork(new HashTree.Fork(
                new HashTree.Labeled(ascii("error_code"), new HashTree.Leaf(ascii(errorCode))),
                new HashTree.Labeled(ascii("reject_code"), new HashTree.Leaf(Leb128.unsigned(code)))),
                new HashTree.Fork(new HashTree.Labeled(ascii("reject_message"), new HashTree.Leaf(message.getBytes(
                        java.nio.charset.StandardCharsets.UTF_8))), new HashTree.Labeled(ascii("status"), new HashTree.Leaf(ascii("rejected")))));
    }

    private static byte[] nonReplicatedRejection(int code, String message, String errorCode) throws IOException {
        return selfDescribed(CBOR.createObjectNode().put("status", "non_replicated_rejection").put("reject_code", code)
                .put("reject_message", message).put("error_code", errorCode));
    }

    private byte[] management(Principal effective, Principal sender, String method, byte[] arg) throws IOException {
        if (!method.equals("fetch_canister_logs")) {
            return rejected(4, "Management canister method '" + method + "' is not served here", "IC0536");
        }
        LogView view = logs.get(effective);
        if (view == null) {
            return rejected(3, "Canister " + effective + " not found", "IC0301");
        }
        if (!view.viewers().isEmpty() && !view.viewers().contains(sender)) {
            return rejected(4, "Caller " + sender + " is not allowed to access canister logs", "IC0406");
        }
        long from = dev.interlock.ic.agent.CanisterLogClient.readArgsFromIdx(arg)[0];
        List<dev.interlock.ic.agent.CanisterLogClient.LogRecord> out = new ArrayList<>();
        synchronized (view.log()) {
            for (dev.interlock.sim.engine.LogRecord r : view.log().fetch(from)) {
                out.add(new dev.interlock.ic.agent.CanisterLogClient.LogRecord(r.idx(), r.timestampNanos(),
                        r.content().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        return replied(dev.interlock.ic.agent.CanisterLogClient.encodeReply(out));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private byte[] answer(Principal canister, String method, byte[] arg) throws IOException {
        IcrcLedger ledger;
        IcrcLedger.Archive archive = null;
        synchronized (this) {
            refreshArchives();
            ledger = ledgers.get(canister);
            if (ledger == null) {
                ledger = archiveOwners.get(canister);
                if (ledger != null) {
                    for (IcrcLedger.Archive a : ledger.archives()) {
                        if (a.canister().equals(canister)) {
                            archive = a;
                        }
                    }
                }
            }
        }
        if (ledger == null) {
            return rejected(3, "Canister " + canister + " not found", "IC0301");
        }
        IcpEncoding icpView = icp.get(ledger.id());
        try {
            if (icpView != null) {
                return switch (method) {
                    case "query_encoded_blocks" -> archive == null ? replied(icpLedgerBlocks(icpView, arg))
                            : rejected(5, "Canister " + canister + " has no query method '" + method + "'", "IC0536");
                    case "get_encoded_blocks" -> archive != null ? replied(icpArchiveBlocks(icpView, archive, arg))
                            : rejected(5, "Canister " + canister + " has no query method '" + method + "'", "IC0536");
                    default -> rejected(5, "Canister " + canister + " has no query method '" + method + "'", "IC0536");
                };
            }
            return switch (method) {
                case "icrc3_get_blocks" -> replied(archive == null ? ledgerBlocks(ledger, arg) : archiveBlocks(ledger, archive, arg));
                case "icrc3_get_tip_certificate" -> archive == null ? replied(tipCertificate(ledger))
                        : rejected(5, "Canister has no query method '" + method + "'", "IC0536");
                case "icrc3_get_archives" -> archive == null ? replied(archivesOf(ledger, arg))
                        : rejected(5, "Canister has no query method '" + method + "'", "IC0536");
                case "icrc3_supported_block_types" -> replied(Icrc3Candid.encodeSupportedBlockTypes(SUPPORTED_BLOCK_TYPES));
                default -> rejected(5, "Canister " + canister + " has no query method '" + method + "'", "IC0536");
            };
        } catch (CandidException | IllegalArgumentException e) {
            return rejected(5, "Canister " + canister + " trapped: could not decode the argument: " + e.getMessage(), "IC0503");
        }
    }

    private static List<long[]> ranges(byte[] arg) {
        CandidDecoder.Message m = CandidDecoder.decode(arg);
        List<long[]> out = new ArrayList<>();
        for (CandidValue item : ((CandidValue.Vec) m.values().get(0)).items()) {
            Map<Long, CandidValue> f = ((CandidValue.Record) item).fields();
            out.add(new long[] {((CandidValue.Big) f.get(CandidType.idOf("start"))).value().longValueExact(),
                    ((CandidValue.Big) f.get(CandidType.idOf("length"))).value().longValueExact()});
        }
        return out;
    }

    /** What DFINITY's ICRC ledger answers to {@code icrc3_supported_block_types}. */
    static final List<Icrc3Candid.BlockType> SUPPORTED_BLOCK_TYPES = List.of(
            new Icrc3Candid.BlockType("1burn", "https://github.com/dfinity/ICRC-1/blob/main/standards/ICRC-1/README.md"),
            new Icrc3Candid.BlockType("1mint", "https://github.com/dfinity/ICRC-1/blob/main/standards/ICRC-1/README.md"),
            new Icrc3Candid.BlockType("1xfer", "https://github.com/dfinity/ICRC-1/blob/main/standards/ICRC-1/README.md"),
            new Icrc3Candid.BlockType("2approve", "https://github.com/dfinity/ICRC-1/blob/main/standards/ICRC-2/README.md"),
            new Icrc3Candid.BlockType("2xfer", "https://github.com/dfinity/ICRC-1/blob/main/standards/ICRC-2/README.md"));

    private static byte[] archivesOf(IcrcLedger ledger, byte[] arg) {
        CandidValue from = ((CandidValue.Record) CandidDecoder.decode(arg).values().get(0)).fields().get(CandidType.idOf("from"));
        byte[] after = from instanceof CandidValue.Opt o && o.value() instanceof CandidValue.Principal p ? p.bytes() : null;
        List<Icrc3Candid.ArchiveInfo> out = new ArrayList<>();
        boolean past = after == null;
        for (IcrcLedger.Archive a : ledger.archives()) {
            if (past && a.length() > 0) {
                out.add(new Icrc3Candid.ArchiveInfo(a.canister().bytes(), BigInteger.valueOf(a.start()),
                        BigInteger.valueOf(a.start() + a.length() - 1)));
            }
            past |= java.util.Arrays.equals(a.canister().bytes(), after);
        }
        return Icrc3Candid.encodeGetArchivesResult(out);
    }

    private static long firstLocal(IcrcLedger ledger) {
        long first = 0;
        for (IcrcLedger.Archive a : ledger.archives()) {
            first = Math.max(first, a.start() + a.length());
        }
        return first;
    }

    private byte[] ledgerBlocks(IcrcLedger ledger, byte[] arg) {
        long length = ledger.length();
        long firstLocal = firstLocal(ledger);
        List<Icrc3Candid.Block> blocks = new ArrayList<>();
        Map<Principal, List<Icrc3Candid.Range>> archived = new LinkedHashMap<>();
        for (long[] r : ranges(arg)) {
            long end = Math.min(length, r[0] + r[1]);
            for (IcrcLedger.Archive a : ledger.archives()) {
                long s = Math.max(r[0], a.start());
                long e = Math.min(end, a.start() + a.length());
                if (s < e) {
                    archived.computeIfAbsent(a.canister(), k -> new ArrayList<>())
                            .add(new Icrc3Candid.Range(BigInteger.valueOf(s), BigInteger.valueOf(Math.min(e - s, PAGE))));
                }
            }
            for (long i = Math.max(r[0], firstLocal); i < end && blocks.size() < PAGE; i++) {
                if (!isHidden(ledger, i)) {
                    blocks.add(new Icrc3Candid.Block(BigInteger.valueOf(i), served(ledger, i)));
                }
            }
        }
        List<Icrc3Candid.Archived> arch = new ArrayList<>();
        archived.forEach((canister, rs) -> arch.add(new Icrc3Candid.Archived(rs,
                new CandidValue.Func(canister.bytes(), "icrc3_get_blocks"))));
        return Icrc3Candid.encodeGetBlocksResult(new Icrc3Candid.GetBlocksResult(BigInteger.valueOf(length), blocks, arch));
    }

    private byte[] archiveBlocks(IcrcLedger ledger, IcrcLedger.Archive archive, byte[] arg) {
        List<Icrc3Candid.Block> blocks = new ArrayList<>();
        for (long[] r : ranges(arg)) {
            long s = Math.max(r[0], archive.start());
            long e = Math.min(r[0] + r[1], archive.start() + archive.length());
            for (long i = s; i < e && blocks.size() < PAGE; i++) {
                if (!isHidden(ledger, i)) {
                    blocks.add(new Icrc3Candid.Block(BigInteger.valueOf(i), served(ledger, i)));
                }
            }
        }
        return Icrc3Candid.encodeGetBlocksResult(new Icrc3Candid.GetBlocksResult(BigInteger.valueOf(archive.start()
                + archive.length()), blocks, List.of()));
    }

    private static long[] icpRange(byte[] arg) {
        Map<Long, CandidValue> f = ((CandidValue.Record) CandidDecoder.decode(arg).values().get(0)).fields();
        return new long[] {((CandidValue.Fixed) f.get(CandidType.idOf("start"))).bits(),
                ((CandidValue.Fixed) f.get(CandidType.idOf("length"))).bits()};
    }

    private byte[] icpServed(IcpEncoding view, long index) {
        return tampered.getOrDefault(view.ledger().id(), java.util.Set.of()).contains(index) ? view.tampered(index)
                : view.block(index);
    }

    private byte[] icpLedgerBlocks(IcpEncoding view, byte[] arg) throws IOException {
        IcrcLedger ledger = view.ledger();
        long[] r = icpRange(arg);
        long length = ledger.length();
        long end = Math.min(length, r[0] + Math.min(r[1], ICP_PAGE));
        long firstLocal = firstLocal(ledger);
        List<IcpCandid.ArchivedRange> archived = new ArrayList<>();
        for (IcrcLedger.Archive a : ledger.archives()) {
            long s = Math.max(r[0], a.start());
            long e = Math.min(end, a.start() + a.length());
            if (s < e) {
                archived.add(new IcpCandid.ArchivedRange(s, e - s, new CandidValue.Func(a.canister().bytes(), "get_encoded_blocks")));
            }
        }
        long first = Math.max(r[0], firstLocal);
        List<byte[]> blocks = new ArrayList<>();
        for (long i = first; i < end && !isHidden(ledger, i); i++) {
            blocks.add(icpServed(view, i));
        }
        byte[] certificate = certificate(ledger.id(), view.tipHash());
        return IcpCandid.encode(new IcpCandid.EncodedBlocks(java.util.Optional.of(certificate), blocks, length, first, archived));
    }

    private byte[] icpArchiveBlocks(IcpEncoding view, IcrcLedger.Archive archive, byte[] arg) {
        long[] r = icpRange(arg);
        long s = Math.max(r[0], archive.start());
        long e = Math.min(r[0] + Math.min(r[1], ICP_PAGE), archive.start() + archive.length());
        List<byte[]> blocks = new ArrayList<>();
        for (long i = s; i < e && !isHidden(view.ledger(), i); i++) {
            blocks.add(icpServed(view, i));
        }
        return IcpCandid.encodeArchiveReply(blocks);
    }

    private byte[] tipCertificate(IcrcLedger ledger) throws IOException {
        List<CandidType> table = List.of(new CandidType.Opt(new CandidType.Ref(1)), CandidType.Record.of(
                new CandidType.Field(CandidType.idOf("certificate"), new CandidType.Ref(2)),
                new CandidType.Field(CandidType.idOf("hash_tree"), new CandidType.Ref(2))),
                new CandidType.Vec(CandidType.NAT8));
        if (ledger.length() == 0) {
            return CandidEncoder.encode(table, List.of(new CandidType.Ref(0)), List.of(new CandidValue.Opt(null)));
        }
        long last = ledger.length() - 1;
        HashTree tip = TipCertificate.tree(BigInteger.valueOf(last), ledger.hash(last));
        byte[] certificate = certificate(ledger.id(), tip.reconstruct());
        if (forgedTrees.contains(ledger.id())) {
            byte[] other = ledger.hash(last);
            other[0] ^= 1;
            tip = TipCertificate.tree(BigInteger.valueOf(last), other); // the certificate still certifies the real root
        }
        Map<Long, CandidValue> rec = new LinkedHashMap<>();
        rec.put(CandidType.idOf("certificate"), new CandidValue.Blob(certificate));
        rec.put(CandidType.idOf("hash_tree"), new CandidValue.Blob(tip.toCbor()));
        return CandidEncoder.encode(table, List.of(new CandidType.Ref(0)), List.of(new CandidValue.Opt(new CandidValue.Record(rec))));
    }

    /** A certificate as the IC builds one for a canister's certified data (signature: zeros, not verified). */
    private byte[] certificate(Principal canister, byte[] certifiedData) throws IOException {
        HashTree tree = new HashTree.Fork(
                new HashTree.Labeled(ascii("canister"), new HashTree.Labeled(canister.bytes(),
                        new HashTree.Labeled(ascii("certified_data"), new HashTree.Leaf(certifiedData)))),
                new HashTree.Labeled(ascii("time"), new HashTree.Leaf(Leb128.unsigned(timeNanos))));
        ObjectNode map = CBOR.createObjectNode();
        map.set("tree", tree.toNode());
        map.put("signature", new byte[48]);
        return selfDescribed(map);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[] selfDescribed(ObjectNode n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0xd9, (byte) 0xd9, (byte) 0xf7});
        out.write(CBOR.writeValueAsBytes(n));
        return out.toByteArray();
    }

    private static byte[] replied(byte[] arg) throws IOException {
        ObjectNode n = CBOR.createObjectNode().put("status", "replied");
        n.putObject("reply").put("arg", arg);
        n.putArray("signatures");
        return selfDescribed(n);
    }

    private static byte[] rejected(int code, String message, String errorCode) throws IOException {
        return selfDescribed(CBOR.createObjectNode().put("status", "rejected").put("reject_code", code)
                .put("reject_message", message).put("error_code", errorCode));
    }

    private static void send(HttpExchange x, int status, byte[] body) throws IOException {
        x.getResponseHeaders().add("Content-Type", "application/cbor");
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        x.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
