package dev.interlock.sim.scenario;

/** Each scenario comes as the bug and as the fix the IC security best practices recommend. */
public enum Variant {
    VULNERABLE, FIXED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
