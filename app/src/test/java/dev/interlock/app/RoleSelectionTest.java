package dev.interlock.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.interlock.model.ServiceRole;

class RoleSelectionTest {
    private static ServiceRole role(String name, int order) {
        return new ServiceRole() {
            public String name() {
                return name;
            }

            public int startOrder() {
                return order;
            }

            public void start() {
            }

            public void stop() {
            }

            public String problem() {
                return null;
            }
        };
    }

    private final List<ServiceRole> known = List.of(role("ingest", 30), role("detect", 20), role("dashboard", 10));

    @Test
    void selectedRolesStartInPipelineOrderWhateverTheConfiguredOrder() {
        assertThat(RoleManager.select(List.of("ingest", " dashboard", "detect"), known))
                .extracting(ServiceRole::name).containsExactly("dashboard", "detect", "ingest");
    }

    @Test
    void aSingleRoleCanRunAloneAndRepeatsCountOnce() {
        assertThat(RoleManager.select(List.of("detect", "detect"), known)).extracting(ServiceRole::name)
                .containsExactly("detect");
    }

    @Test
    void anUnknownRoleFailsStartUpNamingTheKnownRoles() {
        assertThatThrownBy(() -> RoleManager.select(List.of("ingest", "detector"), known))
                .hasMessage("interlock.roles names unknown role 'detector'; known roles: [dashboard, detect, ingest]");
    }
}
