-- Creates a run's row, header included (SqliteLogbookStore, after the version check found no row).
INSERT INTO taskflow_runs (service_id, run_id, version, last_write_id, flow_name, factory_name, state, created_at, updated_at,
                           finished_at, silo, failure_summary, tags, atom_counts, header, payload)
VALUES (@service_id, @run_id, @version, @write_id, @flow_name, @factory_name, @state, @created_at, @updated_at,
        @finished_at, @silo, @failure_summary, @tags, @atom_counts, @header, @payload)
