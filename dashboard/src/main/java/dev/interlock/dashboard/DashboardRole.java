package dev.interlock.dashboard;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.interlock.dashboard.store.AlertRepository;
import dev.interlock.dashboard.store.AlertStore;
import dev.interlock.model.ServiceRole;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Identifier;

/** The dashboard role: stores alerts from Kafka and serves them (API at /api/alerts, page at /). */
@ApplicationScoped
public class DashboardRole implements ServiceRole {
    private static final Logger LOG = Logger.getLogger(DashboardRole.class);

    @Inject
    DashboardConfig config;

    @Inject
    AlertRepository repository;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Inject
    MeterRegistry registry;

    private AlertStore store;
    private volatile boolean active;

    @Override
    public String name() {
        return "dashboard";
    }

    @Override
    public int startOrder() {
        return 10;
    }

    @Override
    public void start() {
        Map<String, Object> consumer = new java.util.HashMap<>(kafka);
        consumer.put("session.timeout.ms", (int) config.storeSessionTimeout().toMillis());
        consumer.put("heartbeat.interval.ms", (int) Math.max(1000, config.storeSessionTimeout().toMillis() / 3));
        store = AlertStore.start(consumer, config.storeGroupId(), repository, registry);
        active = true;
        LOG.info("Dashboard role started");
    }

    @Override
    public void stop() {
        active = false;
        if (store != null) {
            store.stop();
            store = null;
        }
    }

    @Override
    public String problem() {
        return store == null ? "not started" : store.problem();
    }

    /** Whether this instance serves the dashboard (the API and pages answer 404 otherwise). */
    public boolean active() {
        return active;
    }
}
