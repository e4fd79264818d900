-- The stored version and last write id of a run (SqliteLogbookStore), read inside the batch's write transaction.
SELECT version, last_write_id FROM taskflow_runs WHERE service_id = @service_id AND run_id = @run_id
