package dev.interlock.sim.engine;

/** Thrown by {@link Exec#trap(String)}: the current message's effects are discarded. */
public final class TrapException extends RuntimeException {
    public TrapException(String message) {
        super(message, null, false, false);
    }
}
