package dev.interlock.ingest.targets;

import java.net.http.HttpClient;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.interlock.ingest.source.Source;

/**
 * A target type whose targets are configuration blocks ({@code C}, such as {@code IngestConfig.Ledger}): the row's
 * canister, gateway and settings are bound to the block, and the factory that builds configured sources builds this
 * one with the same code and the same checks.
 *
 * @param fixed keys the type sets itself (a ledger type's {@code kind}); they cannot be given as settings
 */
public final class BlockTargetType<C> implements TargetType {
    /** Builds a source from a block; every mistake an {@link IllegalArgumentException} naming {@code field.apply(key)}. */
    public interface Builder<C> {
        Source build(String name, C block, HttpClient http, UnaryOperator<String> field);
    }

    /** Reads once, as the source would. */
    public interface Probe<C> {
        void testFetch(C block, HttpClient http) throws TestFetchException;
    }

    /** Validation builds a source and closes it unused: it needs a client, never sends on it. */
    private static final HttpClient UNUSED_HTTP = HttpClient.newHttpClient();

    private final String name;
    private final String sourcePrefix;
    private final Class<C> block;
    private final Map<String, String> fixed;
    private final Builder<C> builder;
    private final Probe<C> probe;

    public BlockTargetType(String name, String sourcePrefix, Class<C> block, Map<String, String> fixed, Builder<C> builder,
            Probe<C> probe) {
        this.name = name;
        this.sourcePrefix = sourcePrefix;
        this.block = block;
        this.fixed = Map.copyOf(fixed);
        this.builder = builder;
        this.probe = probe;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String sourceId(String target) {
        return sourcePrefix + target;
    }

    /** The spec's values as one configuration block's keys. */
    private C bind(TargetSpec spec, UnaryOperator<String> field) {
        Map<String, String> values = new HashMap<>(spec.settings());
        for (String k : values.keySet()) {
            if (fixed.containsKey(k)) {
                throw new IllegalArgumentException(field.apply(k) + ": not a setting of type " + name + " (the type sets it)");
            }
        }
        values.putAll(fixed);
        if (spec.canister() != null) {
            values.put("canister", spec.canister());
        }
        if (spec.gateway() != null) {
            values.put("gateway", spec.gateway());
        }
        return ConfigBlocks.bind(block, values, field);
    }

    @Override
    public TargetSpec validate(TargetSpec spec, UnaryOperator<String> field) {
        C c = bind(spec, field);
        builder.build(spec.name(), c, UNUSED_HTTP, field).close();
        Map<String, String> all = ConfigBlocks.values(block, c);
        String canister = dev.interlock.ic.Principal.fromText(all.get("canister")).toString();
        return new TargetSpec(spec.name(), name, canister, all.get("gateway"), spec.settings());
    }

    @Override
    public Source source(TargetSpec spec, HttpClient http) {
        UnaryOperator<String> field = k -> "target " + spec.name() + ": " + k;
        return builder.build(spec.name(), bind(spec, field), http, field);
    }

    @Override
    public void testFetch(TargetSpec spec, HttpClient http) throws TestFetchException {
        probe.testFetch(bind(spec, k -> k), http);
    }
}
