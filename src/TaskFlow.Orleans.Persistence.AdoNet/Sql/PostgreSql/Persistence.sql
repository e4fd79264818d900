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

-- Run logbooks (ILogbookStore): one row per run, written by every step of the run in cross-run group commits.
-- version counts the run's committed writes (1 after the creating write); last_write_id is the id of the write that set
-- it, so a retry of that write after an unknown outcome is recognised as committed. header is written once, at creation.
-- The other columns are the run index: timestamps are kept to the microsecond (PostgreSQL's precision); tags hold each
-- tag followed and preceded by a newline ('' for none, E'\nprod\nnightly\n' for two), so "has tag t" is
-- position(E'\n' || t || E'\n' in tags) > 0; atom_counts[i + 1] is how many atoms are in AtomState i.
-- payload is the serialized run record; the store never interprets it.
CREATE TABLE IF NOT EXISTS taskflow_runs
(
    service_id      text        NOT NULL,
    run_id          text        NOT NULL,
    version         bigint      NOT NULL,
    last_write_id   uuid        NOT NULL,
    flow_name       text        NOT NULL,
    factory_name    text,
    state           smallint    NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    silo            text,
    failure_summary text,
    tags            text        NOT NULL,
    atom_counts     integer[]   NOT NULL,
    header          bytea       NOT NULL,
    payload         bytea       NOT NULL,
    CONSTRAINT taskflow_runs_key PRIMARY KEY (service_id, run_id)
) WITH (fillfactor = 70);
-- For the run index (Logbook/Query.sql): runs by state, by flow or factory name (the name filter matches either: with both
-- indexed it is a BitmapOr, not a scan of the service's runs), and by age. No index holds updated_at (it changes with
-- every write): a write that leaves the state as it was changes no indexed column (the names and created_at never change),
-- so PostgreSQL updates the row in place (a HOT update, in the room fillfactor leaves on the page) instead of adding an
-- entry to every index for every step of every run.
CREATE INDEX IF NOT EXISTS taskflow_runs_by_state ON taskflow_runs (service_id, state, created_at);
CREATE INDEX IF NOT EXISTS taskflow_runs_by_flow ON taskflow_runs (service_id, flow_name, created_at);
CREATE INDEX IF NOT EXISTS taskflow_runs_by_factory ON taskflow_runs (service_id, factory_name, created_at);
CREATE INDEX IF NOT EXISTS taskflow_runs_by_created ON taskflow_runs (service_id, created_at);

-- One row per atom of a run: its state (for queries) and its whole record, upserted by the write that changed it.
CREATE TABLE IF NOT EXISTS taskflow_atoms
(
    service_id text     NOT NULL,
    run_id     text     NOT NULL,
    atom_id    integer  NOT NULL,
    state      smallint NOT NULL,
    payload    bytea    NOT NULL,
    CONSTRAINT taskflow_atoms_key PRIMARY KEY (service_id, run_id, atom_id)
) WITH (fillfactor = 70);
