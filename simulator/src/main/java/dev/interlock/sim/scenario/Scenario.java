package dev.interlock.sim.scenario;

import java.util.List;

import dev.interlock.model.AlertClass;

/**
 * One bug class as a small deployment: canisters with methods, funds, and the users' calls.
 * {@link #install} sets up one instance starting at a time; after the run, the instance checks
 * its invariant against what really happened (ledger, committed state, contexts, calls) and
 * reports each violation as an {@link Incident}.
 */
public interface Scenario {
    /** Name on the command line ({@code --scenario refund}). */
    String name();

    /** The class its incidents belong to. */
    AlertClass alertClass();

    /** One line: the bug, and the fix. */
    String description();

    Instance install(World world, Variant variant, long at);

    interface Instance {
        /** Invariant violations, checked after the run. */
        List<Incident> incidents();

        /** The monitored canisters of this instance (for telling alerts on fixed variants). */
        List<dev.interlock.ic.Principal> canisters();

        static Instance of(List<dev.interlock.ic.Principal> canisters,
                java.util.function.Supplier<List<Incident>> check) {
            return new Instance() {
                @Override
                public List<Incident> incidents() {
                    return check.get();
                }

                @Override
                public List<dev.interlock.ic.Principal> canisters() {
                    return canisters;
                }
            };
        }
    }
}
