package dev.interlock.detector.ingress;

import dev.interlock.model.IngressEvent;

/** Boundary-node ingress events for tests: one canister, one boundary node. */
public final class IngressEvents {
    public static final String CANISTER = "bkyz2-fmaaa-aaaaa-qaaaq-cai";

    private IngressEvents() {
    }

    /** Request {@code i} of {@code client} (a client hash, or null when the node logged none). */
    public static IngressEvent event(int i, long time, String type, String method, String client, String errorCause) {
        return new IngressEvent("bn1.example/req-" + i, CANISTER, time, "bn1.example", "req-" + i, type, method,
                errorCause == null ? 202 : 429, errorCause, null, client, 4, 0.01, 100L, 10L, null, null, null, null);
    }
}
