package dev.interlock.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.interlock.model.ServiceRole;

/** Ready when every role this instance runs reports no problem; each role is listed with its state. */
@Readiness
@ApplicationScoped
public class RolesHealthCheck implements HealthCheck {
    @Inject
    RoleManager roles;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("interlock-roles").up();
        if (roles.started().isEmpty()) {
            b.down().withData("roles", "none started");
        }
        for (ServiceRole role : roles.started()) {
            String problem = role.problem();
            b.withData(role.name(), problem == null ? "UP" : problem);
            if (problem != null) {
                b.down();
            }
        }
        EmbeddedServices embedded = EmbeddedServices.current();
        b.withData("kafka", embedded != null && embedded.kafkaEmbedded() ? "embedded" : "external");
        b.withData("postgres", embedded != null && embedded.postgresEmbedded() ? "embedded" : "external");
        return b.build();
    }
}
