package dev.interlock.sim.engine;

/** Runs as its own message when a callback traps (Rust drops locals, Motoko runs finally). */
@FunctionalInterface
public interface Cleanup {
    void run(Exec ex);
}
