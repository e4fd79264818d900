-- Grain state: one row per (service, state name, grain). The TaskFlow grains keep four records per flow run
-- (flow-definition, flow, storage-setup, storage); see the project README.
-- The key is the full natural key, so concurrent first writes of one record meet a unique violation, never a duplicate row.
-- payload is bytea (unbounded up to PostgreSQL's 1 GB field limit); version is the ETag the provider hands to the grain.
CREATE TABLE IF NOT EXISTS taskflow_grain_state
(
    service_id   text        NOT NULL,
    state_name   text        NOT NULL,
    grain_id_n0  bigint      NOT NULL,
    grain_id_n1  bigint      NOT NULL,
    grain_id_key text        NOT NULL,
    payload      bytea,
    version      integer     NOT NULL,
    modified_at  timestamptz NOT NULL,
    CONSTRAINT taskflow_grain_state_key PRIMARY KEY (service_id, state_name, grain_id_key, grain_id_n0, grain_id_n1)
);
