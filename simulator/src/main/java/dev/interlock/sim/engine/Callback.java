package dev.interlock.sim.engine;

/** The code after an {@code await}: runs as a new message of the same call context. */
@FunctionalInterface
public interface Callback {
    void onResponse(Exec ex, Outcome outcome);
}
