package dev.interlock.sim.engine;

/** How a call waits for its response. */
public enum Wait {
    /** Guaranteed response: the callee may take forever (stall). */
    UNBOUNDED("u"),
    /** Best-effort: after the deadline the caller gets SYS_UNKNOWN, whatever the callee did. */
    BOUNDED("b"),
    /** One-way: no callback, no response. */
    NOTIFY("n");

    private final String code;

    Wait(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
