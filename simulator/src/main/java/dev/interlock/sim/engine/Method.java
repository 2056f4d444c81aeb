package dev.interlock.sim.engine;

/** A canister method (or timer): a small program run as the entry message of a call context. */
@FunctionalInterface
public interface Method {
    void run(Exec ex);
}
