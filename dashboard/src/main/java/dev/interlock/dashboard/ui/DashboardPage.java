package dev.interlock.dashboard.ui;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.interlock.dashboard.DashboardConfig;
import dev.interlock.dashboard.api.AlertView;
import dev.interlock.dashboard.api.RoleGate;
import dev.interlock.dashboard.store.AlertRepository;
import dev.interlock.dashboard.store.AlertRepository.AlertFilter;
import dev.interlock.model.AlertClass;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The ops page at {@code /}: newest alerts with their evidence, refreshed every few seconds. */
@Path("/")
public class DashboardPage {
    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(List<AlertView> alerts, Map<AlertClass, Long> counts);
    }

    @Inject
    AlertRepository repository;

    @Inject
    DashboardConfig config;

    @Inject
    RoleGate gate;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance index() {
        gate.requireDashboard();
        List<AlertView> alerts = repository.list(new AlertFilter(java.util.Optional.empty(), java.util.Optional.empty(),
                Math.min(200, config.maxPageSize()))).stream().map(AlertView::of).toList();
        Map<AlertClass, Long> counts = new EnumMap<>(AlertClass.class);
        for (AlertView a : alerts) {
            counts.merge(AlertClass.valueOf(a.alertClass()), 1L, Long::sum);
        }
        return Templates.index(alerts, counts);
    }
}
