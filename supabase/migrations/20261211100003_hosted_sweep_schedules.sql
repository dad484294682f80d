-- Issue 18: on hosted Supabase nothing calls the sweep edge functions — the local stack runs them on its
-- own timers (supabase/local/stack.ts). Where pg_cron and pg_net are enabled this migration schedules each
-- one: pg_cron runs, every minute, an HTTP POST by pg_net to <project URL>/functions/v1/<function> with the
-- service key. The URL and the key are read from Supabase Vault when the job runs (never stored in the repo,
-- in this migration or in cron.job): create them once per project (docs/api.md, "Hosted Supabase: the sweeps"):
--   select vault.create_secret('https://<ref>.supabase.co', 'queuemed_project_url');
--   select vault.create_secret('<service role key>', 'queuemed_service_key');
-- Until both secrets exist a job posts nothing.
--
-- private.sweep_jobs() → (job_name, schedule, function_name, body): the list, one row per edge function the
--   local stack's timers call — notification-sweep (queue messages, reminders, waitlist offers, web push and
--   its SMS fallback, owner notices), webhook-sweep (the webhook outbox), queue-estimates (the wait estimates'
--   tick; on the local stack also on every queue change). The SQL-only sweeps are scheduled where they are
--   defined (sweep_queues: 20261201000700, apply_retention: 20261203600002).
-- private.sweep_job_command(function_name, body) → the SQL text a job runs.
-- private.schedule_hosted_sweeps() → the job names scheduled (cron.schedule by name: running it again
--   updates the jobs); nothing where the cron or net schema is missing (PGlite, a plain PostgreSQL).
-- Enabled the extensions after pushing (migrations create no extension: Dashboard → Database → Extensions)?
-- Run `select private.schedule_hosted_sweeps();` once.

create function private.sweep_jobs()
returns table (job_name text, schedule text, function_name text, body jsonb)
language sql immutable
set search_path = ''
as $$
  values
    ('queuemed-notification-sweep', '* * * * *', 'notification-sweep', '{}'::jsonb),
    ('queuemed-webhook-sweep', '* * * * *', 'webhook-sweep', '{}'::jsonb),
    ('queuemed-queue-estimates', '* * * * *', 'queue-estimates', '{}'::jsonb)
$$;

create function private.sweep_job_command(p_function text, p_body jsonb)
returns text
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_function is null or p_function !~ '^[a-z][a-z0-9-]{0,62}$' then
    raise exception 'invalid edge function name: %', p_function;
  end if;
  return format(
    $cmd$select net.http_post(
  url := s.url || '/functions/v1/%s',
  headers := jsonb_build_object('content-type', 'application/json', 'authorization', 'Bearer ' || s.key),
  body := %L::jsonb,
  timeout_milliseconds := 55000)
from (select (select decrypted_secret from vault.decrypted_secrets where name = 'queuemed_project_url') as url,
             (select decrypted_secret from vault.decrypted_secrets where name = 'queuemed_service_key') as key) s
where s.url is not null and s.key is not null$cmd$,
    p_function, coalesce(p_body, '{}'::jsonb)::text);
end
$$;

create function private.schedule_hosted_sweeps()
returns setof text
language plpgsql
set search_path = ''
as $$
declare
  j record;
begin
  if not exists (select 1 from pg_catalog.pg_namespace where nspname = 'cron')
     or not exists (select 1 from pg_catalog.pg_namespace where nspname = 'net') then
    return;
  end if;
  for j in select * from private.sweep_jobs() loop
    execute 'select cron.schedule($1, $2, $3)'
      using j.job_name, j.schedule, private.sweep_job_command(j.function_name, j.body);
    return next j.job_name;
  end loop;
end
$$;

revoke all on function private.sweep_jobs() from public, anon, authenticated;
revoke all on function private.sweep_job_command(text, jsonb) from public, anon, authenticated;
revoke all on function private.schedule_hosted_sweeps() from public, anon, authenticated;

do $hosted$
begin
  -- pg_cron and pg_net are Supabase's to offer and to enable (Dashboard → Database → Extensions; migrations
  -- create no extension): PGlite and the local PostgreSQL skip this cleanly
  if exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_cron') then
    begin
      if not exists (select 1 from private.schedule_hosted_sweeps()) then
        raise notice 'QueueMed: enable pg_cron and pg_net, then run select private.schedule_hosted_sweeps();';
      end if;
    exception when others then
      raise notice 'QueueMed: the sweeps were not scheduled (%); see docs/api.md, "Hosted Supabase: the sweeps"',
        sqlerrm;
    end;
  end if;
end
$hosted$;
