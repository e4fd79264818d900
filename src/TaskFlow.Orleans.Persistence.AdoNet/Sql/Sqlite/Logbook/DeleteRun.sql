-- Deletes a run's row only if it is finished (SqliteLogbookStore.DeleteAsync): @success, @failure and @reverted are the
-- FlowState values of SUCCESS, FAILURE and REVERTED. The state is checked by this very statement, inside the write
-- transaction that also deletes the atoms (DeleteAtoms.sql), so a run that is not finished is never deleted.
DELETE FROM taskflow_runs
 WHERE service_id = @service_id AND run_id = @run_id AND state IN (@success, @failure, @reverted)
