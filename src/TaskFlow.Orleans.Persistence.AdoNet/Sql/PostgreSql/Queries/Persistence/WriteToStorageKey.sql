-- Writes one grain state record with optimistic concurrency and returns exactly one row: the new version, or NULL when
-- the write lost (the provider turns NULL into InconsistentStateException).
--  * No ETag (@GrainStateVersion IS NULL): insert version 1; an existing row means another activation wrote first.
--  * ETag: update only if the stored version still equals it. Under READ COMMITTED a concurrent update makes this
--    statement re-check the row after the other commits, so exactly one of two writers with the same ETag wins.
WITH updated AS (
    UPDATE taskflow_grain_state
       SET payload = @PayloadBinary,
           version = version + 1,
           modified_at = now()
     WHERE @GrainStateVersion IS NOT NULL
       AND service_id = @ServiceId
       AND state_name = @GrainTypeString
       AND grain_id_key = COALESCE(@GrainIdExtensionString, '')
       AND grain_id_n0 = @GrainIdN0
       AND grain_id_n1 = @GrainIdN1
       AND version = @GrainStateVersion
    RETURNING version
), inserted AS (
    INSERT INTO taskflow_grain_state (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_key, payload, version, modified_at)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''), @PayloadBinary, 1, now()
     WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version
)
SELECT (SELECT version FROM updated UNION ALL SELECT version FROM inserted) AS "NewGrainStateVersion";
