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
-- every write): a write that leaves the state as it was changes no indexed column (the engine never changes a run's names,
-- tags, id or created_at), so PostgreSQL updates the row in place (a HOT update, in the room fillfactor leaves on the page) instead
-- of adding an entry to every index for every step of every run.
--  * by_flow_state, by_factory_state: the name indexes hold the state, so "these states of this name" (FAILURE runs of a
--    flow) is found in the indexes alone, and counting the matches visits only matching rows (with the state only after
--    the name, 100,000 runs took 200 ms to count 800 FAILURE runs of a name; now 5 ms). They replace by_flow and by_factory.
--  * by_tag: the tags as an array, so "has tag t" is an index lookup (@> in Query.sql) instead of reading every row of the
--    service (250 ms for 100,000 runs; now 20 ms).
--  * by_id: run ids in byte order (COLLATE "C"), so an id prefix (starts_with) is a range of this index whatever the
--    database's collation (the primary key's order is the database's).
CREATE INDEX IF NOT EXISTS taskflow_runs_by_state ON taskflow_runs (service_id, state, created_at);
DROP INDEX IF EXISTS taskflow_runs_by_flow;
DROP INDEX IF EXISTS taskflow_runs_by_factory;
CREATE INDEX IF NOT EXISTS taskflow_runs_by_flow_state ON taskflow_runs (service_id, flow_name, state, created_at);
CREATE INDEX IF NOT EXISTS taskflow_runs_by_factory_state ON taskflow_runs (service_id, factory_name, state, created_at);
CREATE INDEX IF NOT EXISTS taskflow_runs_by_created ON taskflow_runs (service_id, created_at);
CREATE INDEX IF NOT EXISTS taskflow_runs_by_tag ON taskflow_runs USING gin (string_to_array(tags, E'\n'));
CREATE INDEX IF NOT EXISTS taskflow_runs_by_id ON taskflow_runs (service_id, run_id COLLATE "C");
-- by_finished: for retention and bulk purges (Logbook/DeleteFinished.sql), finished runs oldest first. Partial: unfinished
-- runs are not in it, and finished_at is set by the same write that changes the (indexed) state, so it costs no HOT update.
CREATE INDEX IF NOT EXISTS taskflow_runs_by_finished ON taskflow_runs (service_id, finished_at) WHERE finished_at IS NOT NULL;

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
