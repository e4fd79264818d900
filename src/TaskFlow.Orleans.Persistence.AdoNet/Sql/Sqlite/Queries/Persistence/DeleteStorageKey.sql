-- Deletes a record if its version still equals the ETag (TaskFlow's default). Returns a value that differs from the
-- ETag on success, NULL on conflict.
DELETE FROM taskflow_grain_state
 WHERE service_id = @ServiceId
   AND state_name = @GrainTypeString
   AND grain_id_key = IFNULL(@GrainIdExtensionString, '')
   AND grain_id_n0 = @GrainIdN0
   AND grain_id_n1 = @GrainIdN1
   AND version = @GrainStateVersion
RETURNING version + 1 AS NewGrainStateVersion;
SELECT NULL AS NewGrainStateVersion WHERE changes() = 0;
