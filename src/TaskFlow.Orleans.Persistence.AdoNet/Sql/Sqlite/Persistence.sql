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

-- Run logbooks (ILogbookStore): one row per run and one per atom; see the PostgreSQL script for the design.
-- Differences: timestamps are INTEGER microseconds since 1970-01-01 UTC (sortable, and the precision PostgreSQL keeps);
-- last_write_id is the write's Guid as 16 bytes (Guid.ToByteArray); atom_counts is comma-separated ('3,0,1'); tags are
-- newline-delimited as on PostgreSQL. Ordinary rowid tables, not WITHOUT ROWID: payloads may be large.
CREATE TABLE IF NOT EXISTS taskflow_runs
(
    service_id      TEXT    NOT NULL,
    run_id          TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    last_write_id   BLOB    NOT NULL,
    flow_name       TEXT    NOT NULL,
    factory_name    TEXT,
    state           INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    finished_at     INTEGER,
    silo            TEXT,
    failure_summary TEXT,
    tags            TEXT    NOT NULL,
    atom_counts     TEXT    NOT NULL,
    header          BLOB    NOT NULL,
    payload         BLOB    NOT NULL,
    PRIMARY KEY (service_id, run_id)
);
CREATE INDEX IF NOT EXISTS taskflow_runs_by_state ON taskflow_runs (service_id, state, created_at);
CREATE INDEX IF NOT EXISTS taskflow_runs_by_flow ON taskflow_runs (service_id, flow_name, created_at);
CREATE INDEX IF NOT EXISTS taskflow_runs_by_factory ON taskflow_runs (service_id, factory_name, created_at);
-- by_created holds the tags too, so "has tag t" reads this index rather than every row with its payloads (100,000 runs:
-- 120 ms, now 20 ms); it replaces the index of (service_id, created_at) alone, which it also serves.
DROP INDEX IF EXISTS taskflow_runs_by_created;
CREATE INDEX IF NOT EXISTS taskflow_runs_by_created_tags ON taskflow_runs (service_id, created_at, tags);
-- by_finished: for retention and bulk purges (Logbook/DeleteFinishedRuns.sql), finished runs oldest first; unfinished runs
-- are not in it.
CREATE INDEX IF NOT EXISTS taskflow_runs_by_finished ON taskflow_runs (service_id, finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS taskflow_atoms
(
    service_id TEXT    NOT NULL,
    run_id     TEXT    NOT NULL,
    atom_id    INTEGER NOT NULL,
    state      INTEGER NOT NULL,
    payload    BLOB    NOT NULL,
    PRIMARY KEY (service_id, run_id, atom_id)
);
