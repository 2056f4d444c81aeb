package dev.interlock.dashboard.store;

import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;

/** Handle on the running store stage (its consumer thread). */
public final class AlertStore {
    private final AlertStoreConsumer consumer;
    private final Thread thread;

    private AlertStore(AlertStoreConsumer consumer, Thread thread) {
        this.consumer = consumer;
        this.thread = thread;
    }

    public static AlertStore start(Map<String, Object> kafka, String groupId, AlertRepository repository,
            MeterRegistry registry) {
        AlertStoreConsumer consumer = new AlertStoreConsumer(kafka, groupId, repository, registry);
        Thread t = new Thread(consumer, "dashboard-alert-store");
        t.setDaemon(true);
        t.start();
        return new AlertStore(consumer, t);
    }

    public void stop() {
        consumer.stop();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String problem() {
        return consumer.problem();
    }
}
