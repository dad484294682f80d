-- QueueMed baseline (8/8): the schedule of the time-driven queue rules.
-- Time-driven queue rules on the server (issue 11): grace expiry (absent → no_show) and the automatic end
-- of day run in the database on the database's clock — pg_cron on Supabase (scheduled below when the
-- extension can be enabled; otherwise see the snippet), a timer in the local stack (supabase/local/stack.ts
-- queueSweepIntervalMs) — never only in an open dashboard. Every time rule reads private.now(), which
-- tests pin (private.pinned_clock), so db and stack tests pass at any hour.
--
-- On Supabase, enable pg_cron (Dashboard → Database → Extensions) before pushing this migration and it
-- schedules the sweep every minute; where pg_cron is absent nothing is scheduled. Enabled later? Run once:
--   select cron.schedule('queuemed-sweep-queues', '* * * * *',
--     $cmd$select set_config('request.jwt.claims', '{"role":"service_role"}', true); select public.sweep_queues()$cmd$);

do $cron$
begin
  -- pg_cron is Supabase's to install (Dashboard → Database → Extensions); schedule only where it is enabled
  if exists (select 1 from pg_catalog.pg_namespace where nspname = 'cron') then
    begin
      perform cron.schedule('queuemed-sweep-queues', '* * * * *',
        $cmd$select set_config('request.jwt.claims', '{"role":"service_role"}', true); select public.sweep_queues()$cmd$);
    exception when others then
      raise notice 'could not schedule public.sweep_queues() (%); do it as in this file''s header', sqlerrm;
    end;
  end if;
end
$cron$;
