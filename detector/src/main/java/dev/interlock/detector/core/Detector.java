package dev.interlock.detector.core;

import java.util.List;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;

/**
 * One bug class. The engine calls a detector after the correlator has applied an event, when
 * a message execution ends (the next one began), and when time passes (event time, or a timer
 * that fires without new input). A detector only reads the state and adds alerts; the engine
 * records raised dedup keys so nothing is raised twice.
 */
public interface Detector {
    AlertClass alertClass();

    /** Trace evidence the detector needs beyond the required events ("none" when it needs nothing more). */
    String evidenceNeeded();

    default void onEvent(CallEvent event, CanisterState state, List<Alert> out) {
    }

    default void onMessageEnd(MessageState message, CanisterState state, List<Alert> out) {
    }

    default void onTime(long nowNanos, CanisterState state, List<Alert> out) {
    }
}
