package dev.interlock.ingest.runtime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.interlock.ic.Principal;
import dev.interlock.ic.agent.CanisterLogClient;
import dev.interlock.ic.agent.IcException;
import dev.interlock.ic.agent.QueryClient;
import dev.interlock.ic.candid.CandidDecoder;
import dev.interlock.ic.identity.Identity;
import dev.interlock.ic.identity.PemIdentity;
import dev.interlock.ingest.source.Source;
import dev.interlock.ingest.source.logs.CanisterLogSource;
import dev.interlock.ingest.targets.BlockTargetType;
import dev.interlock.ingest.targets.ConfigBlocks;
import dev.interlock.ingest.targets.TargetFactory;
import dev.interlock.ingest.targets.TargetSpec;
import dev.interlock.ingest.targets.TargetType;
import dev.interlock.ingest.targets.TestFetchException;

/**
 * Canister logs, one source each: the target type {@code canister-logs}, and the canisters configured under
 * {@code interlock.ingest.canisters.<name>.*}, which seed table {@code targets}.
 */
@ApplicationScoped
public class CanisterLogSourceFactory implements TargetFactory {
    private static final Logger LOG = Logger.getLogger(CanisterLogSourceFactory.class);

    @Inject
    IngestConfig config;

    /** The target type's name. */
    static final String TYPE = "canister-logs";

    @Override
    public List<TargetType> types() {
        return List.of(new BlockTargetType<>(TYPE, "logs-", IngestConfig.CanisterLogs.class, Map.of(),
                CanisterLogSourceFactory::create, CanisterLogSourceFactory::testFetch));
    }

    @Override
    public List<Configured> configured() {
        List<Configured> out = new ArrayList<>();
        for (Map.Entry<String, IngestConfig.CanisterLogs> e : config.canisters().entrySet()) {
            String where = "interlock.ingest.canisters." + e.getKey();
            IngestConfig.CanisterLogs c = e.getValue();
            Map<String, String> settings = new java.util.TreeMap<>(ConfigBlocks.values(IngestConfig.CanisterLogs.class, c));
            settings.keySet().removeAll(List.of("canister", "gateway"));
            out.add(new Configured(new TargetSpec(e.getKey(), TYPE, c.canister(), c.gateway(), settings), k -> where + "." + k));
        }
        return out;
    }

    /**
     * One {@code fetch_canister_logs} call with the configured identity, as the source makes it: refuses an
     * unreachable gateway, an unknown canister and, above all, a log this identity may not read, saying whom to
     * make an allowed viewer.
     */
    static void testFetch(IngestConfig.CanisterLogs c, HttpClient http) throws TestFetchException {
        Principal canister = LedgerSourceFactory.principal(c.canister(), "canister");
        Identity identity = identity(c, k -> k);
        QueryClient q = new QueryClient(LedgerSourceFactory.gateway(c.gateway(), "gateway"), http, c.timeout(), c.maxReplyBytes(),
                Clock.systemUTC(), identity);
        try {
            new CanisterLogClient(q, CandidDecoder.Limits.DEFAULT).fetch(canister, 0);
        } catch (IcException.Transport e) {
            throw new TestFetchException("gateway " + c.gateway() + " did not answer fetch_canister_logs for " + canister + ": "
                    + e.getMessage(), e);
        } catch (IcException.Rejected e) {
            if (e.rejectCode() == 3) {
                throw new TestFetchException("no canister " + canister + " behind gateway " + c.gateway() + ": " + e.getMessage(), e);
            }
            if (e.rejectCode() == 4) {
                throw new TestFetchException("the log of " + canister + " is not visible to " + identity.principal() + " ("
                        + identity.kind() + "): its log visibility is controllers or allowed viewers; add principal "
                        + identity.principal() + " as an allowed log viewer of " + canister
                        + (identity == Identity.ANONYMOUS ? ", and give settings.identity the PEM file of that identity" : "")
                        + " (the IC said: " + e.getMessage() + ")", e);
            }
            throw new TestFetchException("fetch_canister_logs for " + canister + " was rejected: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new TestFetchException("fetch_canister_logs for " + canister + " failed: " + e.getMessage(), e);
        }
    }

    /** The identity that reads the log: the PEM file of {@code identity}, or anonymous. */
    static Identity identity(IngestConfig.CanisterLogs c, UnaryOperator<String> field) {
        if (c.identity().isEmpty()) {
            return Identity.ANONYMOUS;
        }
        try {
            return PemIdentity.load(Path.of(c.identity().get()));
        } catch (IOException | IllegalArgumentException ex) {
            throw new IllegalArgumentException(field.apply("identity") + ": " + ex.getMessage(), ex);
        }
    }

    static Source create(String name, IngestConfig.CanisterLogs c, HttpClient http) {
        String where = "interlock.ingest.canisters." + name;
        return create(name, c, http, k -> where + "." + k);
    }

    /** Builds canister {@code name}'s log source; every mistake names its key with {@code field}. */
    static Source create(String name, IngestConfig.CanisterLogs c, HttpClient http, UnaryOperator<String> field) {
        Principal canister = LedgerSourceFactory.principal(c.canister(), field.apply("canister"));
        URI gateway = LedgerSourceFactory.gateway(c.gateway(), field.apply("gateway"));
        if (c.logBufferBytes().isPresent() && c.logBufferBytes().getAsInt() < 1) {
            throw new IllegalArgumentException(field.apply("log-buffer-bytes") + " must be positive, got " + c.logBufferBytes().getAsInt());
        }
        Identity identity = identity(c, field);
        LOG.infof("Canister %s: its log is read as %s (%s)%s", canister, identity.principal(), identity.kind(),
                identity == Identity.ANONYMOUS ? "" : "; add this principal as an allowed log viewer if the log is not public");
        QueryClient q = new QueryClient(gateway, http, c.timeout(), c.maxReplyBytes(), Clock.systemUTC(), identity);
        return new CanisterLogSource("logs-" + name, canister, new CanisterLogClient(q, CandidDecoder.Limits.DEFAULT), identity,
                c.pollInterval(), c.logBufferBytes(), Clock.systemUTC());
    }
}
