-- Writes one grain state record with optimistic concurrency. One upsert statement does both cases:
--  * No ETag (@GrainStateVersion IS NULL): insert version 1; an existing row means another activation wrote first, and the
--    DO UPDATE's WHERE leaves it alone.
--  * ETag: the SELECT yields a row only while the stored version equals it; the conflict then updates that row.
-- It returns exactly one row over its two statements: the new version from RETURNING, or, when the upsert changed nothing
-- (the write lost), one NULL from the second statement. changes() is per connection, so other writers cannot disturb it.
INSERT INTO taskflow_grain_state (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_key, payload, version, modified_at)
SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, IFNULL(@GrainIdExtensionString, ''), @PayloadBinary, 1,
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
 WHERE @GrainStateVersion IS NULL
    OR EXISTS (SELECT 1
                 FROM taskflow_grain_state
                WHERE service_id = @ServiceId
                  AND state_name = @GrainTypeString
                  AND grain_id_key = IFNULL(@GrainIdExtensionString, '')
                  AND grain_id_n0 = @GrainIdN0
                  AND grain_id_n1 = @GrainIdN1
                  AND version = @GrainStateVersion)
ON CONFLICT (service_id, state_name, grain_id_key, grain_id_n0, grain_id_n1) DO UPDATE
   SET payload = excluded.payload,
       version = version + 1,
       modified_at = excluded.modified_at
 WHERE @GrainStateVersion IS NOT NULL
   AND version = @GrainStateVersion
RETURNING version AS NewGrainStateVersion;
SELECT NULL AS NewGrainStateVersion WHERE changes() = 0;
