-- Writes a batch of runs' logbook changes (PostgreSqlLogbookStore.WriteAsync) in ONE statement, so in one round trip and
-- one transaction: every part commits or none does. Parameters are parallel arrays, one element per run (@run_ids ...)
-- and one per atom row (@atom_run_ids ...). Returns the run id of every write that is committed: stored now, or stored by
-- an earlier attempt of the same write; every other write conflicted and stored nothing.
--  * updated:  existing runs at the expected version. Under READ COMMITTED a concurrent writer of the same run makes
--              the UPDATE re-check the row after that writer commits, so of two writers with one expected version one wins.
--  * inserted: new runs (expected version 0, with a header); a run id that exists already does nothing (a conflict).
--  * retried:  of the writes not stored, those whose run is already at the write's new version by this very write (same
--              write id): committed by an earlier attempt, nothing changes. It reads the snapshot from before this
--              statement, so it never sees this statement's own changes; only the writes not stored are looked up.
--  * atoms:    upserted only for the runs just stored; a conflicting or retried write leaves the atoms untouched.
-- The header is written by the INSERT only: an update never rewrites it.
WITH w AS (
    SELECT *
      FROM unnest(@run_ids::text[], @write_ids::uuid[], @expected::bigint[], @flow_names::text[], @factory_names::text[],
                  @states::smallint[], @created_at::timestamptz[], @updated_at::timestamptz[], @finished_at::timestamptz[],
                  @silos::text[], @failure_summaries::text[], @tags::text[], @atom_counts::text[], @headers::bytea[],
                  @payloads::bytea[])
           AS w(run_id, write_id, expected, flow_name, factory_name, state, created_at, updated_at, finished_at, silo,
                failure_summary, tags, atom_counts, header, payload)
), updated AS (
    UPDATE taskflow_runs AS r
       SET version = w.expected + 1,
           last_write_id = w.write_id,
           flow_name = w.flow_name,
           factory_name = w.factory_name,
           state = w.state,
           created_at = w.created_at,
           updated_at = w.updated_at,
           finished_at = w.finished_at,
           silo = w.silo,
           failure_summary = w.failure_summary,
           tags = w.tags,
           atom_counts = w.atom_counts::integer[],
           payload = w.payload
      FROM w
     WHERE r.service_id = @service_id
       AND r.run_id = w.run_id
       AND r.version = w.expected
       AND w.expected > 0
    RETURNING r.run_id
), inserted AS (
    INSERT INTO taskflow_runs (service_id, run_id, version, last_write_id, flow_name, factory_name, state, created_at,
                               updated_at, finished_at, silo, failure_summary, tags, atom_counts, header, payload)
    SELECT @service_id, w.run_id, 1, w.write_id, w.flow_name, w.factory_name, w.state, w.created_at,
           w.updated_at, w.finished_at, w.silo, w.failure_summary, w.tags, w.atom_counts::integer[], w.header, w.payload
      FROM w
     WHERE w.expected = 0
       AND w.header IS NOT NULL
    ON CONFLICT (service_id, run_id) DO NOTHING
    RETURNING run_id
), stored AS (
    SELECT run_id FROM updated
    UNION ALL
    SELECT run_id FROM inserted
), retried AS (
    SELECT r.run_id
      FROM w
      JOIN taskflow_runs AS r ON r.service_id = @service_id AND r.run_id = w.run_id
     WHERE w.run_id NOT IN (SELECT run_id FROM stored)
       AND r.version = w.expected + 1
       AND r.last_write_id = w.write_id
), atoms AS (
    INSERT INTO taskflow_atoms (service_id, run_id, atom_id, state, payload)
    SELECT @service_id, a.run_id, a.atom_id, a.state, a.payload
      FROM unnest(@atom_run_ids::text[], @atom_ids::integer[], @atom_states::smallint[], @atom_payloads::bytea[])
           AS a(run_id, atom_id, state, payload)
     WHERE a.run_id IN (SELECT run_id FROM stored)
    ON CONFLICT (service_id, run_id, atom_id) DO UPDATE
       SET state = excluded.state,
           payload = excluded.payload
)
SELECT run_id FROM stored
UNION ALL
SELECT run_id FROM retried
