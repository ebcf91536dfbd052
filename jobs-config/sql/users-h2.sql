-- The users table on the embedded default (H2 in PostgreSQL mode): same columns as users-postgresql.sql.
CREATE TABLE IF NOT EXISTS public.users (
  uuid UUID DEFAULT RANDOM_UUID() PRIMARY KEY,
  display_name text NOT NULL,
  handle text NOT NULL,
  email text NOT NULL,
  cognito_user_id text NOT NULL,
  created_at TIMESTAMP DEFAULT current_timestamp NOT NULL
);
