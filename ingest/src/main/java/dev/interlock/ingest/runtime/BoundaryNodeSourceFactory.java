package dev.interlock.ingest.runtime;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import dev.interlock.ic.Principal;
import dev.interlock.ingest.source.Source;
import dev.interlock.ingest.source.boundary.BoundaryNodeSettings;
import dev.interlock.ingest.source.boundary.BoundaryNodeSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/**
 * The canisters whose ingress access logs are streamed from API boundary nodes
 * ({@code interlock.ingest.boundary-nodes.<name>.*}), one source each, named {@code boundary-<name>}.
 */
@ApplicationScoped
public class BoundaryNodeSourceFactory implements SourceFactory {
    @Inject
    IngestConfig config;

    @Inject
    Instance<MeterRegistry> registry;

    /** Quarkus' Vert.x: the WebSocket streams are read on its event loops. */
    @Inject
    Vertx vertx;

    @Override
    public String kind() {
        return "boundary-nodes";
    }

    @Override
    public List<Source> create() {
        List<Source> out = new ArrayList<>();
        if (config.boundaryNodes().isEmpty()) {
            return out;
        }
        MeterRegistry meters = registry.isResolvable() ? registry.get() : null;
        for (Map.Entry<String, IngestConfig.BoundaryNodes> e : config.boundaryNodes().entrySet()) {
            out.add(create(e.getKey(), e.getValue(), vertx, meters));
        }
        return out;
    }

    static BoundaryNodeSource create(String name, IngestConfig.BoundaryNodes c, Vertx vertx, MeterRegistry registry) {
        return new BoundaryNodeSource("boundary-" + name, settings(name, c), vertx, Clock.systemUTC(), registry);
    }

    /** Validates one block; every mistake names the key and the value. */
    static BoundaryNodeSettings settings(String name, IngestConfig.BoundaryNodes c) {
        String where = "interlock.ingest.boundary-nodes." + name;
        Principal canister;
        try {
            canister = Principal.fromText(c.canister());
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(where + ".canister: '" + c.canister() + "' is not a principal: " + ex.getMessage(), ex);
        }
        List<String> given = c.nodes().orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (given.isEmpty()) {
            throw new IllegalArgumentException(where + ".nodes: no boundary node given; list the API boundary nodes' URLs, "
                    + "comma-separated, for example wss://<api-boundary-node-domain> (each node streams only its own traffic)");
        }
        Map<String, URI> nodes = new LinkedHashMap<>();
        for (String s : given) {
            URI u = nodeUri(where + ".nodes", s);
            URI previous = nodes.put(BoundaryNodeSettings.nodeName(u), u);
            if (previous != null) {
                throw new IllegalArgumentException(where + ".nodes: '" + s + "' is listed twice (as " + previous + ")");
            }
        }
        positive(where + ".buffer-lines", c.bufferLines());
        positive(where + ".max-line-bytes", c.maxLineBytes());
        positive(where + ".max-batch", c.maxBatch());
        notNegative(where + ".reconnect-initial", c.reconnectInitial());
        if (c.reconnectInitial().isZero()) {
            throw new IllegalArgumentException(where + ".reconnect-initial: '" + c.reconnectInitial() + "' must be positive");
        }
        if (c.reconnectMax().compareTo(c.reconnectInitial()) < 0) {
            throw new IllegalArgumentException(where + ".reconnect-max: '" + c.reconnectMax() + "' is shorter than "
                    + where + ".reconnect-initial ('" + c.reconnectInitial() + "')");
        }
        notNegative(where + ".connect-timeout", c.connectTimeout());
        if (c.connectTimeout().isZero()) {
            throw new IllegalArgumentException(where + ".connect-timeout: '" + c.connectTimeout() + "' must be positive");
        }
        notNegative(where + ".ping-interval", c.pingInterval());
        notNegative(where + ".reorder-window", c.reorderWindow());
        notNegative(where + ".max-clock-skew", c.maxClockSkew());
        notNegative(where + ".poll-interval", c.pollInterval());
        if (c.pollInterval().isZero()) {
            throw new IllegalArgumentException(where + ".poll-interval: '" + c.pollInterval() + "' must be positive");
        }
        return new BoundaryNodeSettings(canister.toString(), List.copyOf(nodes.values()), c.reconnectInitial(), c.reconnectMax(),
                c.connectTimeout(), c.pingInterval(), c.bufferLines(), c.maxLineBytes(), c.reorderWindow(), c.maxClockSkew(),
                c.pollInterval(), c.maxBatch());
    }

    /** A node's base URL: {@code wss://host[:port][/prefix]}, {@code ws://} (local tests), or a bare domain. */
    static URI nodeUri(String key, String value) {
        String s = value.contains("://") ? value : "wss://" + value;
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException ex) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a URL: " + ex.getMessage(), ex);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("wss") && !scheme.equals("ws")) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a WebSocket URL; use wss://<domain>"
                    + (scheme.equals("https") || scheme.equals("http") ? " (the same host with wss://)" : ""));
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new IllegalArgumentException(key + ": '" + value + "' has no host");
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new IllegalArgumentException(key + ": '" + value + "' must be a base URL, without query or fragment");
        }
        if (u.getRawPath() != null && u.getRawPath().contains("/logs/canister")) {
            throw new IllegalArgumentException(key + ": '" + value + "' must be the node's base URL (wss://<domain>); "
                    + "/logs/canister/<canister> is added from the canister key");
        }
        return u;
    }

    private static void positive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + ": '" + value + "' must be at least 1");
        }
    }

    private static void notNegative(String key, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(key + ": '" + value + "' must not be negative");
        }
    }
}
