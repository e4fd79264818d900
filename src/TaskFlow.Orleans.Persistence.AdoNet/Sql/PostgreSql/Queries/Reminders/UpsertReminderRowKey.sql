-- Registers or replaces a reminder and returns its new version (the reminder's ETag).
INSERT INTO taskflow_reminders AS r (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
   SET start_time = excluded.start_time,
       period = excluded.period,
       grain_hash = excluded.grain_hash,
       version = r.version + 1
RETURNING version AS "Version";
