-- Counts the runs of a ServiceId by state (SqliteLogbookStore.CountByStateAsync); one row per state that has runs.
-- Reads only taskflow_runs_by_state (a covering index for this).
SELECT state, count(*) AS runs
  FROM taskflow_runs
 WHERE service_id = @service_id
 GROUP BY state
