package dev.interlock.ingest.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.interlock.ingest.source.Source;
import dev.interlock.ingest.targets.TargetFactory;
import dev.interlock.ingest.targets.TargetSeeder;
import dev.interlock.ingest.targets.TargetStore;
import dev.interlock.ingest.targets.TargetSupervisor;
import dev.interlock.ingest.targets.TargetTypes;
import dev.interlock.model.ServiceRole;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Identifier;

/**
 * The ingest role: every source on its own thread, each publishing transactionally. Sources come from the
 * {@link SourceFactory} beans (demo, boundary nodes) and from table {@code targets} (ledgers, canister logs: seeded
 * from the {@link TargetFactory} beans' configuration, then followed by the {@link TargetSupervisor}).
 */
@ApplicationScoped
public class IngestRole implements ServiceRole {
    private static final Logger LOG = Logger.getLogger(IngestRole.class);
    /** How long a stopping runner may take to commit its batch in flight before it is interrupted. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    @Inject
    Instance<SourceFactory> factories;

    @Inject
    Instance<TargetFactory> targetFactories;

    @Inject
    TargetTypes targetTypes;

    @Inject
    TargetStore targetStore;

    @Inject
    TargetSupervisor targets;

    @Inject
    IngestConfig config;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Inject
    MeterRegistry registry;

    private final List<RunningSource> running = new CopyOnWriteArrayList<>();
    private volatile boolean active;

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
                launch(source);
            }
        }
        List<TargetFactory.Configured> configured = new ArrayList<>();
        targetFactories.forEach(f -> configured.addAll(f.configured()));
        TargetSeeder.seed(configured, targetTypes, targetStore);
        targets.start(this::launchTarget, config.targets().refresh());
        active = true;
        LOG.infof("Ingest role started with sources %s",
                running.stream().map(RunningSource::sourceId).collect(Collectors.toList()));
    }

    private RunningSource launch(Source source) {
        RunningSource r = RunningSource.start(source, kafka, config.retry(), registry);
        running.add(r);
        return r;
    }

    /** A target's runner: forgotten here once it stopped. */
    private TargetSupervisor.Handle launchTarget(Source source) {
        RunningSource r = launch(source);
        return new TargetSupervisor.Handle() {
            @Override
            public Map<String, Object> status() {
                return r.status();
            }

            @Override
            public void requestStop() {
                r.requestStop();
            }

            @Override
            public void awaitStop() {
                r.awaitStop(STOP_GRACE);
                running.remove(r);
            }
        };
    }

    @Override
    public void stop() {
        active = false;
        targets.stop();
        running.forEach(RunningSource::requestStop);
        // Let a batch in flight commit; only a runner stuck past the grace period is interrupted.
        running.forEach(r -> r.awaitStop(STOP_GRACE));
        running.clear();
    }

    /** True while the role runs on this instance. */
    public boolean active() {
        return active;
    }

    /** Each source's progress, for {@code GET /api/ingest/status}; empty when the role does not run here. */
    public List<Map<String, Object>> status() {
        return running.stream().map(RunningSource::status).collect(Collectors.toList());
    }

    @Override
    public String problem() {
        String problems = running.stream().map(RunningSource::problem).filter(Objects::nonNull)
                .collect(Collectors.joining("; "));
        return problems.isEmpty() ? null : problems;
    }
}
