-- The users table on the embedded default (H2 in PostgreSQL mode): same columns as users-postgresql.sql.
CREATE TABLE IF NOT EXISTS public.users (
  uuid UUID DEFAULT RANDOM_UUID() PRIMARY KEY,
  display_name text NOT NULL,
  handle text NOT NULL,
  email text NOT NULL,
  cognito_user_id text NOT NULL,
  created_at TIMESTAMP DEFAULT current_timestamp NOT NULL
);
-- Jobs look users up by handle (seeding, Cognito sync): without an index each lookup reads the whole table.
CREATE INDEX IF NOT EXISTS users_handle_idx ON public.users (handle);
