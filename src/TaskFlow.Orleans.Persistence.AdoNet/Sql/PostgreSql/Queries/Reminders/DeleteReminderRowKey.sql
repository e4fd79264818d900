-- Removes a reminder if its version still equals @Version; returns whether it was removed.
WITH deleted AS (
    DELETE FROM taskflow_reminders
     WHERE service_id = @ServiceId
       AND grain_id = @GrainId
       AND reminder_name = @ReminderName
       AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted) AS "Deleted";
