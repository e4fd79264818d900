-- The state of a run that DeleteRun.sql did not delete, to tell "not finished" from "no such run" (SqliteLogbookStore.DeleteAsync).
SELECT state FROM taskflow_runs WHERE service_id = @service_id AND run_id = @run_id
