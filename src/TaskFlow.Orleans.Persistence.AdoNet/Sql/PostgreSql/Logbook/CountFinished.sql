-- Counts the finished runs DeleteFinished.sql would delete (PostgreSqlLogbookStore.CountFinishedAsync: a dry-run purge), and
-- the earliest finish time among them.
SELECT count(*), min(finished_at)
  FROM taskflow_runs
 WHERE service_id = @service_id
   AND finished_at < @before
   AND state = ANY(@states)
