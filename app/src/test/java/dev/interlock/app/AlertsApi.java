package dev.interlock.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.interlock.ingest.source.demo.DemoCorpus;
import dev.interlock.model.Json;
import dev.interlock.sim.SimOptions;
import dev.interlock.testsupport.ServiceProcess;
import dev.interlock.testsupport.ServiceProcess.Http;

/** Reads alerts through the service's public API, as a user would. */
final class AlertsApi {
    /** The demo the service plays: deterministic, whatever base time the service chose. */
    static final DemoCorpus DEMO = DemoCorpus.build(SimOptions.START_TIME_NANOS);
    static final String DEMO_DEDUP_KEY = DEMO.expectedDedupKey();

    private AlertsApi() {
    }

    static List<JsonNode> list(ServiceProcess service) {
        try {
            JsonNode array = Json.mapper().readTree(Http.get(service.baseUrl() + "/api/alerts"));
            List<JsonNode> out = new ArrayList<>();
            array.forEach(out::add);
            return out;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until at least one alert is listed, then returns the list. */
    static List<JsonNode> awaitAlerts(ServiceProcess service, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> alerts = list(service);
            if (!alerts.isEmpty()) {
                return alerts;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no alert within " + timeout + "; service log:\n" + service.logTail(80));
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
