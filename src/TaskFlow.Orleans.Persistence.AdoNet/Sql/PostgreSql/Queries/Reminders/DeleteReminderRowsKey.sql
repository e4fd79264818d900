-- Removes every reminder of the service (used by tests of the reminder table).
DELETE FROM taskflow_reminders WHERE service_id = @ServiceId;
