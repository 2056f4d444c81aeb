package dev.interlock.ingest.targets;

import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** The target types by name, gathered from the {@link TargetFactory} beans: a new type is a bean, not a branch. */
@Singleton
public class TargetTypes {
    private final Map<String, TargetType> types = new TreeMap<>();

    @Inject
    public TargetTypes(Instance<TargetFactory> factories) {
        factories.forEach(f -> f.types().forEach(this::register));
    }

    public TargetTypes(Iterable<TargetType> types) {
        types.forEach(this::register);
    }

    private void register(TargetType t) {
        if (types.putIfAbsent(t.name(), t) != null) {
            throw new IllegalStateException("target type " + t.name() + " is registered twice");
        }
    }

    /** @throws IllegalArgumentException naming the known types when {@code name} is none of them */
    public TargetType get(String name, String field) {
        TargetType t = types.get(name);
        if (t == null) {
            throw new IllegalArgumentException(field + ": '" + name + "' is not a target type; known: " + String.join(", ", types.keySet()));
        }
        return t;
    }

    public Map<String, TargetType> all() {
        return Map.copyOf(types);
    }
}
