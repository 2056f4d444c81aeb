package dev.interlock.ingest.targets;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One bean per configuration block of monitored targets ({@code interlock.ingest.ledgers},
 * {@code interlock.ingest.canisters}): the target types it builds and the targets its configuration names,
 * which seed table {@code targets} at start.
 */
public interface TargetFactory {
    List<TargetType> types();

    /** The targets the configuration names, each with how to name its keys in messages. */
    List<Configured> configured();

    /** A target named in configuration; {@code field} turns a key into its full configuration key. */
    record Configured(TargetSpec spec, UnaryOperator<String> field) {
    }
}
