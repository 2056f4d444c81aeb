-- Alerts as the dashboard stores them: one row per incident (dedup_key), whatever the
-- number of times a detector re-raised it.
CREATE TABLE alerts (
    id              BIGSERIAL PRIMARY KEY,
    dedup_key       VARCHAR(512)  NOT NULL,
    payload_version INTEGER       NOT NULL,
    alert_class     VARCHAR(64)   NOT NULL,
    severity        VARCHAR(16)   NOT NULL,
    canister        VARCHAR(128)  NOT NULL,
    callers         JSONB         NOT NULL,
    amount_at_stake NUMERIC(40, 0),
    explanation     TEXT          NOT NULL,
    evidence        JSONB         NOT NULL,
    detected_at     TIMESTAMPTZ   NOT NULL,
    stored_at       TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT alerts_dedup_key_unique UNIQUE (dedup_key)
);

CREATE INDEX alerts_detected_at_idx ON alerts (detected_at DESC);
CREATE INDEX alerts_canister_idx ON alerts (canister, detected_at DESC);
CREATE INDEX alerts_class_idx ON alerts (alert_class, detected_at DESC);
