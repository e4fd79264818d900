-- Deletes the atom rows of a run whose row DeleteRun.sql just deleted, in the same transaction (SqliteLogbookStore.DeleteAsync).
DELETE FROM taskflow_atoms WHERE service_id = @service_id AND run_id = @run_id
