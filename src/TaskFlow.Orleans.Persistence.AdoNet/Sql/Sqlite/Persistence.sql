-- Grain state: one row per (service, state name, grain); see the PostgreSQL script for the design.
-- payload is a BLOB (unbounded up to SQLite's 1 GB default limit); version is the ETag the provider hands to the grain.
CREATE TABLE IF NOT EXISTS taskflow_grain_state
(
    service_id   TEXT    NOT NULL,
    state_name   TEXT    NOT NULL,
    grain_id_n0  INTEGER NOT NULL,
    grain_id_n1  INTEGER NOT NULL,
    grain_id_key TEXT    NOT NULL,
    payload      BLOB,
    version      INTEGER NOT NULL,
    modified_at  TEXT    NOT NULL,
    PRIMARY KEY (service_id, state_name, grain_id_key, grain_id_n0, grain_id_n1)
) WITHOUT ROWID;
