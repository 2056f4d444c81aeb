package dev.interlock.detector.core;

import java.util.ArrayList;
import java.util.List;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.CallEvent;

/** Runs a trace through the default engine (all detectors), optionally ending the input. */
final class DetectorTestSupport {
    private DetectorTestSupport() {
    }

    static List<Alert> run(DetectorEngine engine, List<CallEvent> events, boolean endOfInput) {
        CanisterState state = CanisterState.empty(Trace.CANISTER);
        List<Alert> alerts = new ArrayList<>();
        for (CallEvent e : events) {
            alerts.addAll(engine.process(state, e));
        }
        if (endOfInput) {
            alerts.addAll(engine.tick(state, state.lastEventTime, true));
        }
        return alerts;
    }

    static List<Alert> run(List<CallEvent> events) {
        return run(DetectorEngine.withDefaults(DetectorSettings.defaults()), events, true);
    }

    static List<Alert> of(List<Alert> alerts, AlertClass c) {
        return alerts.stream().filter(a -> a.alertClass() == c).toList();
    }
}
