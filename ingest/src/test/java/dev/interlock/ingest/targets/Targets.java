package dev.interlock.ingest.targets;

import java.util.ArrayList;
import java.util.List;

/** The registry the service builds, for tests: the types of every target factory. */
final class Targets {
    private Targets() {
    }

    static TargetTypes types() {
        List<TargetType> all = new ArrayList<>();
        all.addAll(new dev.interlock.ingest.runtime.LedgerSourceFactory().types());
        all.addAll(new dev.interlock.ingest.runtime.CanisterLogSourceFactory().types());
        return new TargetTypes(all);
    }
}
