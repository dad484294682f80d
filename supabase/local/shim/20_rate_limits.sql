-- Rate-limit windows of the local GoTrue (supabase/local/auth/gotrue.ts: failed sign-ins, codes sent by SMS
-- or email), local only: Supabase's GoTrue keeps its own. In the database rather than in one process's memory,
-- so that with several local stacks on one PostgreSQL (README "Several processes on one PostgreSQL") the
-- limits hold for all of them together — two processes no longer allow twice the guesses. The key is the
-- sha256 of scope + IP + identifier: no email or phone number is stored here.
create table if not exists auth.rate_limits (
  key text primary key check (char_length(key) = 64),
  hits integer not null check (hits >= 0),
  reset_at timestamptz not null
);
revoke all on auth.rate_limits from public;
grant all on auth.rate_limits to supabase_auth_admin;
