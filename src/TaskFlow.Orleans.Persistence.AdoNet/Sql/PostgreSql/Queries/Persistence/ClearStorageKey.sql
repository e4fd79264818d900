-- Clears a record but keeps its row and version (used when AdoNetGrainStorageOptions.DeleteStateOnClear is false):
-- the payload becomes NULL and the version moves on, so a stale writer still conflicts. Returns the new version or NULL.
WITH cleared AS (
    UPDATE taskflow_grain_state
       SET payload = NULL,
           version = version + 1,
           modified_at = now()
     WHERE service_id = @ServiceId
       AND state_name = @GrainTypeString
       AND grain_id_key = COALESCE(@GrainIdExtensionString, '')
       AND grain_id_n0 = @GrainIdN0
       AND grain_id_n1 = @GrainIdN1
       AND version = @GrainStateVersion
    RETURNING version
)
SELECT (SELECT version FROM cleared) AS "NewGrainStateVersion";
