-- Monitored targets (ledgers, canister logs): seeded from configuration, managed through /api/targets,
-- watched by the ingest role (docs/targets.md). A removed target stays as a row in state 'removed' so that
-- configuration does not seed it again and the ingest roles of other instances see the removal.
CREATE SEQUENCE targets_revision_seq;

CREATE TABLE targets (
    name        VARCHAR(64)   PRIMARY KEY,            -- the source id's suffix: ledger-<name>, logs-<name>
    type        VARCHAR(32)   NOT NULL,               -- ledger-icrc, ledger-icp, canister-logs
    canister    VARCHAR(64)   NOT NULL,
    gateway     VARCHAR(2048) NOT NULL,
    settings    JSONB         NOT NULL DEFAULT '{}',  -- the type's further settings, by their configuration key
    state       VARCHAR(16)   NOT NULL CONSTRAINT targets_state_check CHECK (state IN ('active', 'paused', 'removed')),
    origin      VARCHAR(16)   NOT NULL CONSTRAINT targets_origin_check CHECK (origin IN ('config', 'api')),
    config_hash VARCHAR(64),                          -- the configuration block last applied to this row, if any
    created_at  TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ   NOT NULL DEFAULT now(),
    revision    BIGINT        NOT NULL DEFAULT nextval('targets_revision_seq')  -- drawn anew on every change
);

CREATE INDEX targets_revision_idx ON targets (revision);
