package dev.interlock.sim.engine;

/** Which trace events canisters print: all of them, or only those the format requires. */
public enum Evidence {
    /** Required events plus state-key reads/writes, guards and journal. */
    FULL,
    /** Message begins, calls, send failures, context closes only. */
    REQUIRED
}
