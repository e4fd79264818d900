-- Reminders of a range of the hash ring, (@BeginHash, @EndHash], when the range does not wrap (as signed integers).
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period        AS "Period",
       version       AS "Version"
  FROM taskflow_reminders
 WHERE service_id = @ServiceId
   AND grain_hash > @BeginHash
   AND grain_hash <= @EndHash;
