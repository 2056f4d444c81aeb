package dev.interlock.detector.core;

import java.util.List;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;

/**
 * One bug class. After the correlator has applied an event, each detector looks at the
 * canister's state and adds the alerts that event makes certain. A detector never mutates
 * the state; the engine records raised dedup keys so nothing is raised twice.
 */
public interface Detector {
    AlertClass alertClass();

    void inspect(CallEvent event, CanisterState state, List<Alert> out);
}
