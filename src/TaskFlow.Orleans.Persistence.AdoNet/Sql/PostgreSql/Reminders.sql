-- Reminders (Orleans IReminderTable), keyed by ServiceId. grain_hash is the grain's uniform hash as a signed integer:
-- each silo reads the reminders of its range of the hash ring, hence the index.
CREATE TABLE IF NOT EXISTS taskflow_reminders
(
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period        bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    CONSTRAINT taskflow_reminders_key PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX IF NOT EXISTS taskflow_reminders_ring ON taskflow_reminders (service_id, grain_hash);
