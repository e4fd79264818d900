-- Updates a run's row at the expected version (SqliteLogbookStore, after the version check); never the header.
UPDATE taskflow_runs
   SET version = @version, last_write_id = @write_id, flow_name = @flow_name, factory_name = @factory_name, state = @state,
       created_at = @created_at, updated_at = @updated_at, finished_at = @finished_at, silo = @silo,
       failure_summary = @failure_summary, tags = @tags, atom_counts = @atom_counts, payload = @payload
 WHERE service_id = @service_id AND run_id = @run_id AND version = @expected
