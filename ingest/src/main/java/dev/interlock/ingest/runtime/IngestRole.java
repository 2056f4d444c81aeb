package dev.interlock.ingest.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.interlock.ingest.source.Source;
import dev.interlock.model.ServiceRole;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Identifier;

/** The ingest role: every configured source on its own thread, each publishing transactionally. */
@ApplicationScoped
public class IngestRole implements ServiceRole {
    private static final Logger LOG = Logger.getLogger(IngestRole.class);

    @Inject
    Instance<SourceFactory> factories;

    @Inject
    IngestConfig config;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Inject
    MeterRegistry registry;

    private final List<SourceRunner> runners = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public int startOrder() {
        return 30;
    }

    @Override
    public void start() {
        for (SourceFactory factory : factories) {
            for (Source source : factory.create()) {
                SourceRunner runner = new SourceRunner(source, kafka,
                        () -> new Backoff(config.retry().initial(), config.retry().max()), registry);
                Thread t = new Thread(runner, "ingest-" + source.id());
                t.setDaemon(true);
                runners.add(runner);
                threads.add(t);
                t.start();
            }
        }
        active = true;
        LOG.infof("Ingest role started with sources %s",
                runners.stream().map(SourceRunner::sourceId).collect(Collectors.toList()));
    }

    @Override
    public void stop() {
        active = false;
        runners.forEach(SourceRunner::stop);
        // Let a batch in flight commit; only a runner stuck past the grace period is interrupted.
        for (Thread t : threads) {
            try {
                t.join(10_000);
                if (t.isAlive()) {
                    t.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        runners.clear();
        threads.clear();
    }

    private volatile boolean active;

    /** True while the role runs on this instance. */
    public boolean active() {
        return active;
    }

    /** Each source's progress, for {@code GET /api/ingest/status}; empty when the role does not run here. */
    public List<Map<String, Object>> status() {
        return List.copyOf(runners).stream().map(SourceRunner::status).collect(Collectors.toList());
    }

    @Override
    public String problem() {
        String problems = runners.stream().map(SourceRunner::problem).filter(Objects::nonNull)
                .collect(Collectors.joining("; "));
        return problems.isEmpty() ? null : problems;
    }
}
