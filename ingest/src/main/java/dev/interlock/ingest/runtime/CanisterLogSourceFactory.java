package dev.interlock.ingest.runtime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.interlock.ic.Principal;
import dev.interlock.ic.agent.CanisterLogClient;
import dev.interlock.ic.agent.QueryClient;
import dev.interlock.ic.candid.CandidDecoder;
import dev.interlock.ic.identity.Identity;
import dev.interlock.ic.identity.PemIdentity;
import dev.interlock.ingest.source.Source;
import dev.interlock.ingest.source.logs.CanisterLogSource;

/** The canisters whose logs are polled ({@code interlock.ingest.canisters.<name>.*}), one source each. */
@ApplicationScoped
public class CanisterLogSourceFactory implements SourceFactory {
    private static final Logger LOG = Logger.getLogger(CanisterLogSourceFactory.class);

    @Inject
    IngestConfig config;

    @Override
    public String kind() {
        return "canister-logs";
    }

    @Override
    public List<Source> create() {
        List<Source> out = new ArrayList<>();
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        for (Map.Entry<String, IngestConfig.CanisterLogs> e : config.canisters().entrySet()) {
            out.add(create(e.getKey(), e.getValue(), http));
        }
        return out;
    }

    static Source create(String name, IngestConfig.CanisterLogs c, HttpClient http) {
        String where = "interlock.ingest.canisters." + name;
        Principal canister;
        try {
            canister = Principal.fromText(c.canister());
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(where + ".canister: '" + c.canister() + "' is not a principal: " + ex.getMessage(), ex);
        }
        URI gateway;
        try {
            gateway = URI.create(c.gateway());
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(where + ".gateway: '" + c.gateway() + "' is not a URL", ex);
        }
        if (c.logBufferBytes() < 1) {
            throw new IllegalArgumentException(where + ".log-buffer-bytes must be positive, got " + c.logBufferBytes());
        }
        Identity identity = Identity.ANONYMOUS;
        if (c.identity().isPresent()) {
            try {
                identity = PemIdentity.load(Path.of(c.identity().get()));
            } catch (IOException | IllegalArgumentException ex) {
                throw new IllegalArgumentException(where + ".identity: " + ex.getMessage(), ex);
            }
        }
        LOG.infof("Canister %s: its log is read as %s (%s)%s", canister, identity.principal(), identity.kind(),
                identity == Identity.ANONYMOUS ? "" : "; add this principal as an allowed log viewer if the log is not public");
        QueryClient q = new QueryClient(gateway, http, c.timeout(), c.maxReplyBytes(), Clock.systemUTC(), identity);
        return new CanisterLogSource("logs-" + name, canister, new CanisterLogClient(q, CandidDecoder.Limits.DEFAULT), identity,
                c.pollInterval(), c.logBufferBytes(), Clock.systemUTC());
    }
}
