package dev.interlock.dashboard.api;

import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.interlock.dashboard.DashboardConfig;
import dev.interlock.dashboard.store.AlertRepository;
import dev.interlock.dashboard.store.AlertRepository.AlertFilter;
import dev.interlock.model.AlertClass;
import dev.interlock.model.api.ApiErrorCode;
import dev.interlock.model.api.ApiException;

/** Alerts API: {@code GET /api/alerts?class=&canister=&limit=} and {@code GET /api/alerts/{id}}. */
@Path("/api/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {
    @Inject
    AlertRepository repository;

    @Inject
    DashboardConfig config;

    @Inject
    RoleGate gate;

    @GET
    public List<AlertView> list(@QueryParam("class") String alertClass, @QueryParam("canister") String canister,
            @QueryParam("limit") Integer limit) {
        gate.requireDashboard();
        return repository.list(filter(alertClass, canister, limit, config.maxPageSize())).stream()
                .map(AlertView::of).toList();
    }

    @GET
    @Path("/{id}")
    public AlertView get(@PathParam("id") long id) {
        gate.requireDashboard();
        return repository.find(id).map(AlertView::of)
                .orElseThrow(() -> new ApiException(ApiErrorCode.NOT_FOUND, "no alert with id " + id));
    }

    static AlertFilter filter(String alertClass, String canister, Integer limit, int max) {
        if (alertClass != null && !alertClass.isBlank()) {
            try {
                AlertClass.valueOf(alertClass);
            } catch (IllegalArgumentException e) {
                throw new ApiException(ApiErrorCode.INVALID_REQUEST, "unknown alert class '" + alertClass
                        + "'; known: " + List.of(AlertClass.values()));
            }
        }
        int n = limit == null ? Math.min(100, max) : limit;
        if (n < 1 || n > max) {
            throw new ApiException(ApiErrorCode.INVALID_REQUEST, "limit must be between 1 and " + max + ", got " + n);
        }
        return new AlertFilter(Optional.ofNullable(alertClass).filter(s -> !s.isBlank()),
                Optional.ofNullable(canister).filter(s -> !s.isBlank()), n);
    }
}
