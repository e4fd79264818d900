-- Clears a record but keeps its row and version (when DeleteStateOnClear is false). Returns the new version or NULL.
UPDATE taskflow_grain_state
   SET payload = NULL,
       version = version + 1,
       modified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
 WHERE service_id = @ServiceId
   AND state_name = @GrainTypeString
   AND grain_id_key = IFNULL(@GrainIdExtensionString, '')
   AND grain_id_n0 = @GrainIdN0
   AND grain_id_n1 = @GrainIdN1
   AND version = @GrainStateVersion
RETURNING version AS NewGrainStateVersion;
SELECT NULL AS NewGrainStateVersion WHERE changes() = 0;
