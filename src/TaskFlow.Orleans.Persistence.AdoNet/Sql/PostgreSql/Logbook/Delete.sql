-- Deletes a finished run (PostgreSqlLogbookStore.DeleteAsync) in ONE statement, so in one transaction: its row only if its
-- state is one of @finished (the FlowState values of SUCCESS, FAILURE and REVERTED), checked by the DELETE itself (under
-- READ COMMITTED a concurrent write of the row makes the DELETE re-check the row as that write left it), and then its atom
-- rows. Returns one row: how many run rows were deleted (0 or 1), and the run's state as it was when the statement began
-- (the subquery reads the snapshot from before this statement's own delete): 0 and NULL is "no such run", 0 and a state is
-- "not finished" (or, if that state is finished, a concurrent purge deleted it first).
WITH deleted AS (
    DELETE FROM taskflow_runs
     WHERE service_id = @service_id
       AND run_id = @run_id
       AND state = ANY(@finished)
    RETURNING run_id
), atoms AS (
    DELETE FROM taskflow_atoms
     WHERE service_id = @service_id
       AND run_id IN (SELECT run_id FROM deleted)
)
SELECT (SELECT count(*) FROM deleted) AS deleted,
       (SELECT state FROM taskflow_runs WHERE service_id = @service_id AND run_id = @run_id) AS state
