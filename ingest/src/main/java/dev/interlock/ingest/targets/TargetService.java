package dev.interlock.ingest.targets;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import dev.interlock.ingest.targets.Target.State;
import dev.interlock.model.api.ApiErrorCode;
import dev.interlock.model.api.ApiException;

/**
 * What {@code /api/targets} does: validation, the test fetch, the table, and a nudge to this instance's ingest role.
 * Serves on every instance (the table is shared); runner status is shown where the target runs on this instance.
 */
@Singleton
public class TargetService {
    private final TargetStore store;
    private final TargetTypes types;
    private final TargetSupervisor supervisor;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Inject
    public TargetService(TargetStore store, TargetTypes types, TargetSupervisor supervisor) {
        this.store = store;
        this.types = types;
        this.supervisor = supervisor;
    }

    public List<Map<String, Object>> list() {
        return store.list(false).stream().map(this::view).toList();
    }

    public Map<String, Object> get(String name) {
        return view(store.find(name).orElseThrow(() -> notFound(name)));
    }

    /** Validates, test-fetches unless told not to, stores (active) and starts it on this instance's ingest role. */
    public Map<String, Object> add(JsonNode body) {
        TargetSpec spec;
        boolean testFetch;
        TargetType type;
        try {
            TargetRequest request = TargetRequest.parse(body);
            type = types.get(request.spec().type(), "type");
            spec = type.validate(request.spec(), TargetRequest.FIELD);
            testFetch = request.testFetch();
        } catch (IllegalArgumentException e) {
            throw new ApiException(ApiErrorCode.INVALID_REQUEST, e.getMessage());
        }
        if (store.find(spec.name()).isPresent()) {
            throw exists(spec.name());
        }
        if (testFetch) {
            try {
                type.testFetch(spec, http);
            } catch (TestFetchException e) {
                throw new ApiException(ApiErrorCode.TEST_FETCH_FAILED, "test fetch of " + spec.name() + " failed: " + e.getMessage()
                        + " (nothing stored; send \"testFetch\": false to store it anyway)");
            }
        }
        try {
            Target t = store.add(spec);
            supervisor.nudge();
            return view(t);
        } catch (TargetStore.Exists e) {
            throw exists(spec.name());
        }
    }

    /** Pause, resume or remove. */
    public Map<String, Object> setState(String name, State state) {
        Target t = store.setState(name, state).orElseThrow(() -> notFound(name));
        supervisor.nudge();
        return view(t);
    }

    private Map<String, Object> view(Target t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("type", t.spec().type());
        m.put("canister", t.spec().canister());
        m.put("gateway", t.spec().gateway());
        m.put("settings", t.spec().settings());
        m.put("state", t.state().label());
        m.put("origin", t.origin().label());
        m.put("createdAt", t.createdAt().toString());
        m.put("updatedAt", t.updatedAt().toString());
        m.put("revision", t.revision());
        TargetType type = types.all().get(t.spec().type());
        m.put("source", type == null ? null : type.sourceId(t.name()));
        m.put("runner", supervisor.status(t.name()).orElse(null));
        return m;
    }

    private static ApiException notFound(String name) {
        return new ApiException(ApiErrorCode.NOT_FOUND, "no target named " + name);
    }

    private static ApiException exists(String name) {
        return new ApiException(ApiErrorCode.ALREADY_EXISTS, "a target named " + name + " exists already; remove it first "
                + "(DELETE /api/targets/" + name + ") or choose another name");
    }
}
