-- Deletes the atom rows of the runs DeleteFinishedRuns.sql just deleted (@run_ids: a JSON array of their ids), in the same
-- transaction and in one statement for the whole batch (SqliteLogbookStore.DeleteFinishedAsync).
DELETE FROM taskflow_atoms
 WHERE service_id = @service_id
   AND run_id IN (SELECT value FROM json_each(@run_ids))
