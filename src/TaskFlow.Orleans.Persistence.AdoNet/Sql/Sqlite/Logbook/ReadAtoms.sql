-- Reads one run's atom rows in atom id order (SqliteLogbookStore.ReadAsync).
SELECT atom_id, state, payload FROM taskflow_atoms WHERE service_id = @service_id AND run_id = @run_id ORDER BY atom_id
