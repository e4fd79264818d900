-- Deletes a batch of finished runs' rows (SqliteLogbookStore.DeleteFinishedAsync: retention and bulk purge) in one
-- statement: up to @limit runs of the service whose state is in @states (a JSON array of finished FlowState values) and
-- whose finished_at is before @before, oldest first (found through taskflow_runs_by_finished). It runs inside the write
-- transaction that then deletes their atoms (DeleteFinishedAtoms.sql), so nothing writes the runs in between.
DELETE FROM taskflow_runs
 WHERE service_id = @service_id
   AND run_id IN (SELECT run_id
                    FROM taskflow_runs
                   WHERE service_id = @service_id
                     AND finished_at < @before
                     AND state IN (SELECT value FROM json_each(@states))
                   ORDER BY finished_at
                   LIMIT @limit)
RETURNING run_id, finished_at
