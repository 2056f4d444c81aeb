package dev.interlock.dashboard.api;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.interlock.dashboard.store.AlertEntity;
import dev.interlock.model.Evidence;
import dev.interlock.model.Json;

/**
 * An alert as {@code GET /api/alerts} returns it. {@code amountAtStake} is a decimal string
 * (ledger amounts exceed what JSON numbers carry safely).
 */
public record AlertView(
        long id,
        String dedupKey,
        int version,
        String alertClass,
        String severity,
        String canister,
        List<String> callers,
        String amountAtStake,
        String explanation,
        Evidence evidence,
        OffsetDateTime detectedAt,
        OffsetDateTime storedAt) {

    public static AlertView of(AlertEntity e) {
        try {
            return new AlertView(e.id, e.dedupKey, e.payloadVersion, e.alertClass, e.severity, e.canister,
                    Json.mapper().readValue(e.callers, new TypeReference<List<String>>() {
                    }),
                    e.amountAtStake == null ? null : e.amountAtStake.toBigInteger().toString(),
                    e.explanation, Json.mapper().readValue(e.evidence, Evidence.class), e.detectedAt, e.storedAt);
        } catch (java.io.IOException ex) {
            throw new IllegalStateException("alert " + e.id + " has unreadable JSON columns", ex);
        }
    }
}
