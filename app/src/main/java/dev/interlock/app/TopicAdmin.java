package dev.interlock.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import dev.interlock.model.Topics;

/** Creates the service's topics when missing, waiting for Kafka up to a deadline. */
final class TopicAdmin {
    private static final Logger LOG = Logger.getLogger(TopicAdmin.class);

    private TopicAdmin() {
    }

    static void ensureTopics(Map<String, Object> kafka, int partitions, short replicationFactor, Duration timeout) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = null;
            Exception last = null;
            while (existing == null && System.nanoTime() < deadline) {
                try {
                    existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
                } catch (Exception e) {
                    last = e;
                    LOG.infof("Waiting for Kafka at %s: %s", kafka.get("bootstrap.servers"), e.getMessage());
                    sleep(1000);
                }
            }
            if (existing == null) {
                throw new IllegalStateException("Kafka at " + kafka.get("bootstrap.servers") + " did not answer within "
                        + timeout + (last == null ? "" : ": " + last.getMessage()));
            }
            List<NewTopic> missing = new ArrayList<>();
            for (Topics.Spec spec : Topics.ALL) {
                if (!existing.contains(spec.name())) {
                    NewTopic t = new NewTopic(spec.name(), Optional.of(partitions), Optional.of(replicationFactor));
                    if (spec.compacted()) {
                        t.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                    }
                    missing.add(t);
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    // Another instance may have created them meanwhile.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e);
                    }
                }
                LOG.infof("Created topics %s with %d partitions", missing.stream().map(NewTopic::name).toList(),
                        partitions);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("creating topics timed out", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
