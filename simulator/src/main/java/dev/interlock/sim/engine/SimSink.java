package dev.interlock.sim.engine;

import dev.interlock.ic.Principal;

/** Receives what a run produces, as it is produced: the corpus writer, or a test's collector. */
public interface SimSink {
    SimSink NONE = new SimSink() {
    };

    /** A record appended to a monitored canister's log (the complete stream, before any ring-buffer loss). */
    default void logRecord(Principal canister, LogRecord record) {
    }
}
