-- Deletes a record if its version still equals the ETag (TaskFlow's default: DeleteStateOnClear = true).
-- Returns one row: a value that differs from the ETag on success (the provider then drops the ETag), NULL on conflict.
WITH deleted AS (
    DELETE FROM taskflow_grain_state
     WHERE service_id = @ServiceId
       AND state_name = @GrainTypeString
       AND grain_id_key = COALESCE(@GrainIdExtensionString, '')
       AND grain_id_n0 = @GrainIdN0
       AND grain_id_n1 = @GrainIdN1
       AND version = @GrainStateVersion
    RETURNING version
)
SELECT (SELECT version + 1 FROM deleted) AS "NewGrainStateVersion";
