-- The app's users table (docs/data-model.md), created only when missing. The app's own DDL uses
-- uuid_generate_v4() from the uuid-ossp extension; gen_random_uuid() is built into PostgreSQL 13+
-- and needs no extension, and rows written by these jobs carry their uuid anyway.
CREATE TABLE IF NOT EXISTS public.users (
  uuid UUID DEFAULT gen_random_uuid() PRIMARY KEY,
  display_name text NOT NULL,
  handle text NOT NULL,
  email text NOT NULL,
  cognito_user_id text NOT NULL,
  created_at TIMESTAMP DEFAULT current_timestamp NOT NULL
);
-- Jobs look users up by handle (seeding, Cognito sync): without an index each lookup reads the whole table.
CREATE INDEX IF NOT EXISTS users_handle_idx ON public.users (handle);
