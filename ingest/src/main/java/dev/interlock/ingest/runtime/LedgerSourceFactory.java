package dev.interlock.ingest.runtime;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.interlock.ic.Principal;
import dev.interlock.ic.agent.IcpLedgerClient;
import dev.interlock.ic.agent.Icrc3Client;
import dev.interlock.ic.agent.QueryClient;
import dev.interlock.ic.candid.CandidDecoder;
import dev.interlock.ingest.source.Source;
import dev.interlock.ingest.source.ledger.IcpProtocol;
import dev.interlock.ingest.source.ledger.Icrc3Protocol;
import dev.interlock.ingest.source.ledger.LedgerProtocol;
import dev.interlock.ingest.source.ledger.LedgerSource;

/** The configured ledgers ({@code interlock.ingest.ledgers.<name>.*}), one source each. */
@ApplicationScoped
public class LedgerSourceFactory implements SourceFactory {
    /** Ledger kinds by the value of {@code kind}: one protocol class each. */
    private static final Map<String, BiFunction<QueryClient, Principal, LedgerProtocol>> KINDS = new TreeMap<>(Map.of(
            "icrc", (q, canister) -> new Icrc3Protocol(new Icrc3Client(q, canister, CandidDecoder.Limits.DEFAULT)),
            "icp", (q, canister) -> new IcpProtocol(new IcpLedgerClient(q, canister, CandidDecoder.Limits.DEFAULT))));

    @Inject
    IngestConfig config;

    @Override
    public String kind() {
        return "ledgers";
    }

    @Override
    public List<Source> create() {
        List<Source> out = new ArrayList<>();
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        for (Map.Entry<String, IngestConfig.Ledger> e : config.ledgers().entrySet()) {
            out.add(create(e.getKey(), e.getValue(), http));
        }
        return out;
    }

    static Source create(String name, IngestConfig.Ledger l, HttpClient http) {
        String where = "interlock.ingest.ledgers." + name;
        Principal canister;
        try {
            canister = Principal.fromText(l.canister());
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(where + ".canister: '" + l.canister() + "' is not a principal: " + ex.getMessage(), ex);
        }
        var protocol = KINDS.get(l.kind());
        if (protocol == null) {
            throw new IllegalArgumentException(where + ".kind: '" + l.kind() + "' is not supported; supported: "
                    + String.join(", ", KINDS.keySet()));
        }
        URI gateway;
        try {
            gateway = URI.create(l.gateway());
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(where + ".gateway: '" + l.gateway() + "' is not a URL", ex);
        }
        if (l.pagesPerPoll() < 1 || l.concurrency() < 1) {
            throw new IllegalArgumentException(where + ".pages-per-poll and " + where + ".concurrency must be at least 1");
        }
        QueryClient q = new QueryClient(gateway, http, l.timeout(), l.maxReplyBytes(), Clock.systemUTC());
        return new LedgerSource("ledger-" + name, protocol.apply(q, canister), start(where, l.start()), l.pagesPerPoll(),
                l.concurrency(), l.pollInterval());
    }

    static LedgerSource.Start start(String where, String s) {
        return switch (s) {
            case "genesis" -> new LedgerSource.Start.Genesis();
            case "tip" -> new LedgerSource.Start.Tip();
            default -> {
                try {
                    yield new LedgerSource.Start.At(Long.parseLong(s));
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException(where + ".start: '" + s + "' is none of genesis, tip or a block index", ex);
                }
            }
        };
    }
}
