package dev.interlock.ingest.targets;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

/**
 * Seeds table {@code targets} from configuration at start (docs/targets.md): a configured target is inserted when
 * no row has its name; a row last seeded from the same configuration is left as it is, so a target paused or removed
 * through the API stays so across restarts; a configuration that changed since is applied to the row again.
 * Configuration no longer naming a seeded target does not remove it.
 */
public final class TargetSeeder {
    private static final Logger LOG = Logger.getLogger(TargetSeeder.class);

    private TargetSeeder() {
    }

    /**
     * Validates every configured target first (a mistake fails start-up, naming the key), then seeds them.
     *
     * @return what happened to each, by name
     */
    public static Map<String, TargetStore.Seeded> seed(List<TargetFactory.Configured> configured, TargetTypes types, TargetStore store) {
        Map<String, TargetSpec> specs = new HashMap<>();
        Map<String, String> firstKey = new HashMap<>();
        for (TargetFactory.Configured c : configured) {
            String name = c.spec().name();
            String where = c.field().apply("canister");
            if (!TargetSpec.NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(where + ": the name '" + name + "' must match " + TargetSpec.NAME.pattern()
                        + " (it names the source, its cursor and its row in table targets)");
            }
            String previous = firstKey.putIfAbsent(name, where);
            if (previous != null) {
                throw new IllegalArgumentException(where + ": the name " + name + " is also used by " + previous
                        + "; target names are unique across ledgers and canisters");
            }
            specs.put(name, types.get(c.spec().type(), c.field().apply("kind")).validate(c.spec(), c.field()));
        }
        Map<String, TargetStore.Seeded> out = new HashMap<>();
        specs.forEach((name, spec) -> out.put(name, store.seed(spec)));
        out.forEach((name, what) -> LOG.infof("Configured target %s: %s", name, switch (what) {
            case INSERTED -> "added to table targets";
            case UNCHANGED -> "table targets holds it as configured (its state there stands)";
            case UPDATED -> "its configuration changed since it was last applied: table targets now holds the new one";
        }));
        Set<String> orphans = store.list(false).stream().filter(t -> t.origin() == Target.Origin.CONFIG && !specs.containsKey(t.name()))
                .map(Target::name).collect(Collectors.toCollection(java.util.TreeSet::new));
        if (!orphans.isEmpty()) {
            LOG.infof("Targets %s were seeded from configuration that no longer names them; they stay until removed "
                    + "(DELETE /api/targets/<name>)", orphans);
        }
        return out;
    }
}
