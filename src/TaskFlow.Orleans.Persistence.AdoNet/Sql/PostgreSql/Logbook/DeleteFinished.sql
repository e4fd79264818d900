-- Deletes a batch of finished runs (PostgreSqlLogbookStore.DeleteFinishedAsync: retention and bulk purge) in ONE statement,
-- so in one transaction: up to @limit runs of the service whose state is one of @states (finished states only) and whose
-- finished_at is before @before, oldest first (found through taskflow_runs_by_finished), with every atom row of each.
-- FOR UPDATE SKIP LOCKED: a row a writer holds is skipped, not waited for (a run being written is not stalled, and two
-- concurrent purges take disjoint batches); the DELETE re-checks state and finish time, so a run resumed meanwhile stays.
-- Returns the deleted runs' ids and finish times.
WITH doomed AS (
    SELECT run_id
      FROM taskflow_runs
     WHERE service_id = @service_id
       AND finished_at < @before
       AND state = ANY(@states)
     ORDER BY finished_at
     LIMIT @limit
       FOR UPDATE SKIP LOCKED
), deleted AS (
    DELETE FROM taskflow_runs r
     USING doomed d
     WHERE r.service_id = @service_id
       AND r.run_id = d.run_id
       AND r.finished_at < @before
       AND r.state = ANY(@states)
    RETURNING r.run_id, r.finished_at
), atoms AS (
    DELETE FROM taskflow_atoms
     WHERE service_id = @service_id
       AND run_id IN (SELECT run_id FROM deleted)
)
SELECT run_id, finished_at FROM deleted
