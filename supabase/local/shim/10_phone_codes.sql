-- Pending phone one-time codes of the local GoTrue (supabase/local/auth/gotrue.ts), local only: Supabase's
-- GoTrue keeps its own. In the database rather than in one process's memory, so that with several local
-- stacks on one PostgreSQL (README "Several processes on one PostgreSQL") a code sent through one process is
-- verified through any other, and wrong guesses are counted once for all of them. Only the code's sha256.
create table if not exists auth.phone_codes (
  phone text primary key,
  code_hash text not null check (char_length(code_hash) = 64),
  expires_at timestamptz not null,
  attempts_left integer not null check (attempts_left >= 0),
  purpose text not null check (purpose in ('signup', 'login')),
  user_id uuid,
  data jsonb not null
);
revoke all on auth.phone_codes from public;
grant all on auth.phone_codes to supabase_auth_admin;
