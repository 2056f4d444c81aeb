package dev.interlock.ingest.runtime;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.interlock.ingest.source.Source;
import dev.interlock.ingest.source.demo.DemoSource;

@ApplicationScoped
public class DemoSourceFactory implements SourceFactory {
    @Inject
    IngestConfig config;

    @Override
    public String kind() {
        return "demo";
    }

    @Override
    public List<Source> create() {
        if (!config.demo().enabled()) {
            return List.of();
        }
        // Whole seconds: the simulation's rounds then fall on readable times.
        long now = System.currentTimeMillis() / 1000 * 1_000_000_000L;
        return List.of(new DemoSource(config.demo().interval(), now));
    }
}
