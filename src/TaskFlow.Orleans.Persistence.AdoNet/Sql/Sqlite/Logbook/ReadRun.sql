-- Reads one run's row (SqliteLogbookStore.ReadAsync); the atoms follow in the same read transaction.
SELECT version, header, flow_name, factory_name, state, created_at, updated_at, finished_at, silo, failure_summary, tags,
       atom_counts, payload
  FROM taskflow_runs
 WHERE service_id = @service_id AND run_id = @run_id
