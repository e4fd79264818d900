-- Reads one grain state record. No row: never written (or deleted). A row with a NULL payload: cleared, ETag kept.
SELECT payload AS PayloadBinary,
       version AS Version
  FROM taskflow_grain_state
 WHERE service_id = @ServiceId
   AND state_name = @GrainTypeString
   AND grain_id_key = IFNULL(@GrainIdExtensionString, '')
   AND grain_id_n0 = @GrainIdN0
   AND grain_id_n1 = @GrainIdN1;
