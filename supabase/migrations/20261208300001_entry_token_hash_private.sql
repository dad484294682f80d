-- The tracking link's hash stays in the database (session 9's finding, issue 12 session 10).
--
-- `authenticated` had the table-level SELECT on public.queue_entries (20261201000100_rls), so every column of
-- the rows RLS lets a caller see was readable through PostgREST and Realtime — including
-- `tracking_token_hash`, the sha-256 of a visit's tracking token. Staff of the clinic could read the hash of
-- every visit of their clinic and a patient the hash of their own visits. The hash is a lookup key only the
-- database's own functions need (book, get_visit_status, report_running_late, check-in, entry links …, all
-- security definer); no screen, hook, repository, edge function or API route reads it.
--
-- Column privileges: authenticated may select every column but the hash. RLS still picks the rows. Realtime
-- follows the same grants (Supabase Realtime's apply_rls sends only the columns the subscriber's role may
-- select; the local stack's queuemed_realtime.check does the same), so the hash leaves the database in no
-- change event either. anon keeps no privilege at all; service_role keeps everything.
--
-- A migration that adds a column to queue_entries must grant SELECT on it to authenticated if staff or
-- patients read it (supabase/tests/entryTokenHash.test.ts fails when a column other than the hash is not
-- readable, so a forgotten grant shows up at once).

revoke select on public.queue_entries from authenticated;

do $$
declare
  v_cols text;
begin
  select string_agg(quote_ident(a.attname), ', ' order by a.attnum)
    into v_cols
    from pg_catalog.pg_attribute a
   where a.attrelid = 'public.queue_entries'::regclass
     and a.attnum > 0 and not a.attisdropped
     and a.attname <> 'tracking_token_hash';
  execute format('grant select (%s) on public.queue_entries to authenticated', v_cols);
end
$$;
