package dev.interlock.app;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.interlock.model.ServiceRole;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * The one place that assembles the service: ensures the topics, then starts the configured
 * roles in pipeline order (store before detectors before sources) and stops them in reverse.
 * Roles are found as beans by name: a new role is a bean, not a branch here.
 */
@ApplicationScoped
public class RoleManager {
    private static final Logger LOG = Logger.getLogger(RoleManager.class);

    @Inject
    InterlockConfig config;

    @Inject
    Instance<ServiceRole> available;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080")
    int httpPort;

    private final List<ServiceRole> started = new ArrayList<>();

    void onStart(@Observes StartupEvent event) {
        List<ServiceRole> selected = select(config.roles(), available.stream().toList());
        TopicAdmin.ensureTopics(kafka, config.topics().partitions(), config.topics().replicationFactor(),
                config.topics().startupTimeout());
        for (ServiceRole role : selected) {
            role.start();
            started.add(role);
        }
        EmbeddedServices embedded = EmbeddedServices.current();
        LOG.infof("Interlock running roles %s (Kafka %s, PostgreSQL %s)%s",
                selected.stream().map(ServiceRole::name).toList(),
                embedded != null && embedded.kafkaEmbedded() ? "embedded" : "external",
                embedded != null && embedded.postgresEmbedded() ? "embedded" : "external",
                selected.stream().anyMatch(r -> r.name().equals("dashboard"))
                        ? "; dashboard at http://localhost:" + httpPort + "/" : "");
    }

    /** Roles named in the configuration, in start order; an unknown name fails start-up with the known ones. */
    static List<ServiceRole> select(List<String> names, List<ServiceRole> candidates) {
        Map<String, ServiceRole> byName = new TreeMap<>();
        candidates.forEach(r -> byName.put(r.name(), r));
        List<ServiceRole> selected = new ArrayList<>();
        for (String raw : names) {
            String name = raw.trim();
            ServiceRole role = byName.get(name);
            if (role == null) {
                throw new IllegalArgumentException("interlock.roles names unknown role '" + name + "'; known roles: "
                        + byName.keySet());
            }
            if (!selected.contains(role)) {
                selected.add(role);
            }
        }
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("interlock.roles is empty; name at least one of " + byName.keySet());
        }
        selected.sort(Comparator.comparingInt(ServiceRole::startOrder));
        return selected;
    }

    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        for (int i = started.size() - 1; i >= 0; i--) {
            ServiceRole role = started.get(i);
            try {
                role.stop();
            } catch (RuntimeException e) {
                LOG.warnf(e, "Stopping role %s failed", role.name());
            }
        }
        started.clear();
    }

    /** Embedded services go last, after every role (and its Kafka clients) has stopped. */
    void stopEmbedded(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        EmbeddedServices embedded = EmbeddedServices.current();
        if (embedded != null) {
            embedded.close();
            LOG.info("Interlock stopped");
        }
    }

    List<ServiceRole> started() {
        return List.copyOf(started);
    }
}
