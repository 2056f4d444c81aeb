package dev.interlock.dashboard;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code interlock.dashboard.*}: the dashboard role (alert store, API and pages). */
@ConfigMapping(prefix = "interlock.dashboard")
public interface DashboardConfig {
    /** Consumer group of the alert store; instances sharing it split the alert partitions. */
    @WithDefault("interlock-dashboard-store")
    String storeGroupId();

    /** Session timeout of the store consumer: how soon a crashed instance's partitions move on. */
    @WithDefault("10s")
    java.time.Duration storeSessionTimeout();

    /** Most alerts one API call or page returns. */
    @WithDefault("1000")
    int maxPageSize();
}
