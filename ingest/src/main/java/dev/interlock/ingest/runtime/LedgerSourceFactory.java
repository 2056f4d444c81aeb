package dev.interlock.ingest.runtime;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.interlock.ic.Principal;
import dev.interlock.ic.agent.IcException;
import dev.interlock.ic.agent.IcpLedgerClient;
import dev.interlock.ic.agent.Icrc3Client;
import dev.interlock.ic.agent.QueryClient;
import dev.interlock.ic.candid.CandidDecoder;
import dev.interlock.ingest.source.Source;
import dev.interlock.ingest.source.ledger.IcpProtocol;
import dev.interlock.ingest.source.ledger.Icrc3Protocol;
import dev.interlock.ingest.source.ledger.LedgerProtocol;
import dev.interlock.ingest.source.ledger.LedgerSource;
import dev.interlock.ingest.targets.BlockTargetType;
import dev.interlock.ingest.targets.ConfigBlocks;
import dev.interlock.ingest.targets.TargetFactory;
import dev.interlock.ingest.targets.TargetSpec;
import dev.interlock.ingest.targets.TargetType;
import dev.interlock.ingest.targets.TestFetchException;

/**
 * Ledgers, one source each: the target types {@code ledger-<kind>} (one per {@link #KINDS} entry), and the ledgers
 * configured under {@code interlock.ingest.ledgers.<name>.*}, which seed table {@code targets}.
 */
@ApplicationScoped
public class LedgerSourceFactory implements TargetFactory {
    /** Ledger kinds by the value of {@code kind}: one protocol class each. */
    private static final Map<String, BiFunction<QueryClient, Principal, LedgerProtocol>> KINDS = new TreeMap<>(Map.of(
            "icrc", (q, canister) -> new Icrc3Protocol(new Icrc3Client(q, canister, CandidDecoder.Limits.DEFAULT)),
            "icp", (q, canister) -> new IcpProtocol(new IcpLedgerClient(q, canister, CandidDecoder.Limits.DEFAULT))));

    /** The part of a target type's name before the kind. */
    static final String TYPE_PREFIX = "ledger-";

    @Inject
    IngestConfig config;

    @Override
    public List<TargetType> types() {
        List<TargetType> out = new ArrayList<>();
        KINDS.keySet().forEach(kind -> out.add(new BlockTargetType<>(TYPE_PREFIX + kind, "ledger-", IngestConfig.Ledger.class,
                Map.of("kind", kind), LedgerSourceFactory::create, LedgerSourceFactory::testFetch)));
        return out;
    }

    @Override
    public List<Configured> configured() {
        List<Configured> out = new ArrayList<>();
        for (Map.Entry<String, IngestConfig.Ledger> e : config.ledgers().entrySet()) {
            String where = "interlock.ingest.ledgers." + e.getKey();
            IngestConfig.Ledger l = e.getValue();
            protocol(l.kind(), where + ".kind");
            Map<String, String> settings = new TreeMap<>(ConfigBlocks.values(IngestConfig.Ledger.class, l));
            settings.keySet().removeAll(List.of("canister", "gateway", "kind"));
            out.add(new Configured(new TargetSpec(e.getKey(), TYPE_PREFIX + l.kind(), l.canister(), l.gateway(), settings),
                    k -> where + "." + k));
        }
        return out;
    }

    static Source create(String name, IngestConfig.Ledger l, HttpClient http) {
        String where = "interlock.ingest.ledgers." + name;
        return create(name, l, http, k -> where + "." + k);
    }

    /** Builds ledger {@code name}'s source; every mistake names its key with {@code field}. */
    static Source create(String name, IngestConfig.Ledger l, HttpClient http, UnaryOperator<String> field) {
        Principal canister = principal(l.canister(), field.apply("canister"));
        var protocol = protocol(l.kind(), field.apply("kind"));
        URI gateway = gateway(l.gateway(), field.apply("gateway"));
        if (l.pagesPerPoll() < 1) {
            throw new IllegalArgumentException(field.apply("pages-per-poll") + " must be at least 1, got " + l.pagesPerPoll());
        }
        if (l.concurrency() < 1) {
            throw new IllegalArgumentException(field.apply("concurrency") + " must be at least 1, got " + l.concurrency());
        }
        LedgerSource.Start start = start(field.apply("start"), l.start());
        QueryClient q = query(l, gateway, http);
        return new LedgerSource("ledger-" + name, protocol.apply(q, canister), start, l.pagesPerPoll(), l.concurrency(),
                l.pollInterval());
    }

    /**
     * Reads block 0 (or learns that there is none) as the source would: refuses an unreachable gateway, a canister
     * the gateway does not know, and a canister that does not answer as a ledger of this kind.
     */
    static void testFetch(IngestConfig.Ledger l, HttpClient http) throws TestFetchException {
        Principal canister = principal(l.canister(), "canister");
        LedgerProtocol protocol = protocol(l.kind(), "kind").apply(query(l, gateway(l.gateway(), "gateway"), http), canister);
        String what = l.kind().equals("icp") ? "the ICP ledger's interface (query_encoded_blocks)" : "ICRC-3 (icrc3_get_blocks)";
        try {
            protocol.read(0, 1);
        } catch (IcException.Transport e) {
            throw new TestFetchException("gateway " + l.gateway() + " did not answer a query to " + canister + ": " + e.getMessage(), e);
        } catch (IcException.Rejected e) {
            String hint = switch (e.rejectCode()) {
                case 3 -> "no canister " + canister + " behind gateway " + l.gateway();
                case 4, 5 -> canister + " is not a ledger that speaks " + what + otherKinds(l.kind());
                default -> "the test query to " + canister + " was rejected";
            };
            throw new TestFetchException(hint + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new TestFetchException(canister + " answered, but not as a ledger that speaks " + what + otherKinds(l.kind()) + ": "
                    + e.getMessage(), e);
        }
    }

    private static String otherKinds(String kind) {
        List<String> others = KINDS.keySet().stream().filter(k -> !k.equals(kind)).map(k -> TYPE_PREFIX + k).toList();
        return others.isEmpty() ? "" : " (is it of type " + String.join(" or ", others) + "?)";
    }

    private static QueryClient query(IngestConfig.Ledger l, URI gateway, HttpClient http) {
        return new QueryClient(gateway, http, l.timeout(), l.maxReplyBytes(), Clock.systemUTC());
    }

    private static BiFunction<QueryClient, Principal, LedgerProtocol> protocol(String kind, String field) {
        var protocol = KINDS.get(kind);
        if (protocol == null) {
            throw new IllegalArgumentException(field + ": '" + kind + "' is not supported; supported: " + String.join(", ", KINDS.keySet()));
        }
        return protocol;
    }

    static Principal principal(String text, String field) {
        try {
            return Principal.fromText(text);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(field + ": '" + text + "' is not a principal: " + ex.getMessage(), ex);
        }
    }

    /** An absolute http(s) URL with a host. */
    static URI gateway(String text, String field) {
        URI gateway;
        try {
            gateway = new URI(text);
        } catch (java.net.URISyntaxException ex) {
            throw new IllegalArgumentException(field + ": '" + text + "' is not a URL", ex);
        }
        if (gateway.getHost() == null || !("http".equals(gateway.getScheme()) || "https".equals(gateway.getScheme()))) {
            throw new IllegalArgumentException(field + ": '" + text + "' is not an http(s) URL with a host, such as https://icp-api.io");
        }
        return gateway;
    }

    static LedgerSource.Start start(String field, String s) {
        return switch (s) {
            case "genesis" -> new LedgerSource.Start.Genesis();
            case "tip" -> new LedgerSource.Start.Tip();
            default -> {
                try {
                    long at = Long.parseLong(s);
                    if (at < 0) {
                        throw new NumberFormatException("negative");
                    }
                    yield new LedgerSource.Start.At(at);
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException(field + ": '" + s + "' is none of genesis, tip or a block index", ex);
                }
            }
        };
    }
}
