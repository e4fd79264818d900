-- Inserts or replaces one atom row of a run that the same transaction just stored (SqliteLogbookStore).
INSERT INTO taskflow_atoms (service_id, run_id, atom_id, state, payload)
VALUES (@service_id, @run_id, @atom_id, @state, @payload)
ON CONFLICT (service_id, run_id, atom_id) DO UPDATE SET state = excluded.state, payload = excluded.payload
