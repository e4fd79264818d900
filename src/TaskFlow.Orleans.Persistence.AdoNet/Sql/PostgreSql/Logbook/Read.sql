-- Reads one run's logbook (PostgreSqlLogbookStore.ReadAsync) in one statement, so from one snapshot: the run row, and
-- its atom rows as three parallel arrays in atom id order. No row when the run is not stored.
SELECT r.version, r.header, r.flow_name, r.factory_name, r.state, r.created_at, r.updated_at, r.finished_at, r.silo,
       r.failure_summary, r.tags, r.atom_counts, r.payload,
       array(SELECT a.atom_id FROM taskflow_atoms AS a
              WHERE a.service_id = r.service_id AND a.run_id = r.run_id ORDER BY a.atom_id) AS atom_ids,
       array(SELECT a.state FROM taskflow_atoms AS a
              WHERE a.service_id = r.service_id AND a.run_id = r.run_id ORDER BY a.atom_id) AS atom_states,
       array(SELECT a.payload FROM taskflow_atoms AS a
              WHERE a.service_id = r.service_id AND a.run_id = r.run_id ORDER BY a.atom_id) AS atom_payloads
  FROM taskflow_runs AS r
 WHERE r.service_id = @service_id
   AND r.run_id = @run_id
