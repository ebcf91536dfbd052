-- Working table of cognito-user-sync (H2 and PostgreSQL): one row per Cognito user handled by a job
-- instance, written in the same transaction as that user's change to public.users, so the report
-- survives a restart. The report step reads it and deletes the instance's rows.
CREATE TABLE IF NOT EXISTS cognito_user_sync_seen (
  job_instance_id BIGINT NOT NULL,
  username text NOT NULL,
  handle text,
  sub text,
  outcome text NOT NULL,
  detail text
);
CREATE INDEX IF NOT EXISTS cognito_user_sync_seen_instance ON cognito_user_sync_seen (job_instance_id, handle);
CREATE INDEX IF NOT EXISTS cognito_user_sync_seen_username ON cognito_user_sync_seen (job_instance_id, username);
