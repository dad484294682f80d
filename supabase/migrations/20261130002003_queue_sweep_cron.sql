-- Time-driven queue rules on the server (issue 11): grace expiry (absent → no_show) and the automatic end
-- of day run in the database on the database's clock — pg_cron on Supabase (scheduled below when the
-- extension can be enabled; otherwise see the snippet), a timer in the local stack (supabase/local/stack.ts
-- queueSweepIntervalMs) — never only in an open dashboard. Every time rule here reads private.now(),
-- which tests pin (private.pinned_clock), so db and stack tests pass at any hour.
--
-- On Supabase, enable pg_cron (Dashboard → Database → Extensions) before pushing this migration and it
-- schedules the sweep every minute; where pg_cron is absent nothing is scheduled. Enabled later? Run once:
--   select cron.schedule('queuemed-sweep-queues', '* * * * *',
--     $cmd$select set_config('request.jwt.claims', '{"role":"service_role"}', true); select public.sweep_queues()$cmd$);


create or replace function private.clinic_today(p_time_zone text) returns date
language sql stable
set search_path = ''
as $$ select (private.now() at time zone p_time_zone)::date $$;

create or replace function private.expire_grace(p_queue_id uuid) returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_count integer := 0;
  r record;
begin
  for r in
    update public.queue_entries
       set status = 'no_show', no_show_at = grace_ends_at
     where queue_id = p_queue_id and status = 'absent' and grace_ends_at <= private.now()
    returning id, clinic_id, ticket_number, grace_ends_at
  loop
    -- the domain's event (GraceExpiredEvent) and no_show_at = the end of grace, as QueueAggregate does
    perform private.log_event(p_queue_id, r.clinic_id, r.id, 'GraceExpired',
      jsonb_build_object('graceEndsAt', r.grace_ends_at, 'automatic', true));
    v_count := v_count + 1;
  end loop;
  if v_count > 0 then
    perform private.bump_version(p_queue_id);
  end if;
  return v_count;
end
$$;

create or replace function private.close_day(p_queue_id uuid, p_automatic boolean) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_clinic_id uuid;
  v_summary jsonb;
begin
  select clinic_id into v_clinic_id from public.queues where id = p_queue_id;
  update public.queue_entries set status = 'completed', finished_at = coalesce(finished_at, private.now())
   where queue_id = p_queue_id and status in ('called', 'in_service');
  update public.queue_entries set status = 'no_show', no_show_at = private.now()
   where queue_id = p_queue_id and status in ('scheduled', 'waiting', 'absent');
  v_summary := private.day_summary(p_queue_id);
  update public.queues
     set status = 'closed', closed_at = private.now(), summary = v_summary, version = version + 1, updated_at = private.now()
   where id = p_queue_id;
  perform private.log_event(p_queue_id, v_clinic_id, null, 'DayEnded',
    jsonb_build_object('automatic', p_automatic, 'summary', v_summary));
  return v_summary;
end
$$;

create or replace function public.sweep_queues() returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_expired integer := 0;
  v_closed integer := 0;
  q record;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  for q in
    select distinct e.queue_id from public.queue_entries e
    where e.status = 'absent' and e.grace_ends_at <= private.now()
  loop
    perform 1 from public.queues where id = q.queue_id for update;
    v_expired := v_expired + private.expire_grace(q.queue_id);
  end loop;
  for q in
    select qu.id
    from public.queues qu join public.clinics c on c.id = qu.clinic_id
    where qu.status = 'open'
      and private.now() >= ((qu.day + coalesce(
                      (select max(w.ends_at) from public.working_hours w
                        where w.clinic_id = qu.clinic_id and w.weekday = extract(dow from qu.day)),
                      time '23:59')) at time zone c.time_zone)
                   + make_interval(mins => (private.effective_settings(c.settings)
                                            ->> 'auto_end_day_after_closing_minutes')::integer)
    for update of qu skip locked
  loop
    perform private.close_day(q.id, true);
    v_closed := v_closed + 1;
  end loop;
  return jsonb_build_object('expired', v_expired, 'closed', v_closed);
end
$$;


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
