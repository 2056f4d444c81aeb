package dev.interlock.dashboard.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.interlock.dashboard.DashboardRole;
import dev.interlock.model.api.ApiErrorCode;
import dev.interlock.model.api.ApiException;

/** API and pages belong to the dashboard role: instances without it answer 404, saying why. */
@ApplicationScoped
public class RoleGate {
    @Inject
    DashboardRole role;

    public void requireDashboard() {
        if (!role.active()) {
            throw new ApiException(ApiErrorCode.ROLE_DISABLED,
                    "the dashboard role is not enabled on this instance (interlock.roles)");
        }
    }
}
