-- Ending the day (DOMAIN.md "Ending the day"): called/in_service → completed, scheduled/waiting/absent →
-- no_show, the queue closes with a stored summary (served, no-shows, average and 90th-percentile wait,
-- average service time per practitioner). By staff (end_day) or automatically by the periodic sweep at
-- closing time + auto_end_day_after_closing_minutes.

create function private.day_summary(p_queue_id uuid) returns jsonb
language sql stable
set search_path = ''
as $$
  with e as (
    select * from public.queue_entries where queue_id = p_queue_id
  ), waits as (
    select extract(epoch from (called_at - checked_in_at)) / 60 as m
    from e where called_at is not null and checked_in_at is not null and called_at >= checked_in_at
  ), services as (
    select practitioner_id, extract(epoch from (finished_at - started_at)) / 60 as m
    from e where finished_at is not null and started_at is not null and finished_at >= started_at
  )
  select jsonb_build_object(
    'served', (select count(*) from e where status = 'completed'),
    'no_shows', (select count(*) from e where status = 'no_show'),
    'cancelled', (select count(*) from e where status = 'cancelled'),
    'walk_ins', (select count(*) from e where kind = 'walk_in'),
    'avg_wait_minutes', (select round(avg(m)::numeric, 1) from waits),
    'p90_wait_minutes', (select round((percentile_cont(0.9) within group (order by m))::numeric, 1) from waits),
    'avg_service_minutes_by_practitioner', coalesce((
      select jsonb_object_agg(coalesce(practitioner_id::text, 'any'), avg_m)
      from (select practitioner_id, round(avg(m)::numeric, 1) as avg_m from services group by practitioner_id) s),
      '{}'::jsonb))
$$;

-- Closes a locked, open queue; returns its summary.
create function private.close_day(p_queue_id uuid, p_automatic boolean) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_clinic_id uuid;
  v_summary jsonb;
begin
  select clinic_id into v_clinic_id from public.queues where id = p_queue_id;
  update public.queue_entries set status = 'completed', finished_at = coalesce(finished_at, now())
   where queue_id = p_queue_id and status in ('called', 'in_service');
  update public.queue_entries set status = 'no_show', no_show_at = now()
   where queue_id = p_queue_id and status in ('scheduled', 'waiting', 'absent');
  v_summary := private.day_summary(p_queue_id);
  update public.queues
     set status = 'closed', closed_at = now(), summary = v_summary, version = version + 1, updated_at = now()
   where id = p_queue_id;
  perform private.log_event(p_queue_id, v_clinic_id, null, 'DayEnded',
    jsonb_build_object('automatic', p_automatic, 'summary', v_summary));
  return v_summary;
end
$$;

-- end_day(p_queue_id, p_expected_version) → { version, summary }. Staff of the clinic; stale version →
-- 409 QUEUE.VERSION_CONFLICT; an already closed day → 409 QUEUE.CLOSED.
create function public.end_day(p_queue_id uuid, p_expected_version integer) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_queue public.queues;
  v_summary jsonb;
begin
  if p_queue_id is null or p_expected_version is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_queue_id and p_expected_version are required');
  end if;
  select * into v_queue from public.queues where id = p_queue_id for update;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'queue not found');
  end if;
  perform private.require_staff(v_queue.clinic_id);
  if v_queue.version <> p_expected_version then
    perform private.raise_error(409, 'QUEUE.VERSION_CONFLICT',
      format('queue is at version %s, not %s', v_queue.version, p_expected_version));
  end if;
  if v_queue.status = 'closed' then
    perform private.raise_error(409, 'QUEUE.CLOSED', 'the day is already closed');
  end if;
  v_summary := private.close_day(p_queue_id, false);
  return jsonb_build_object('version', v_queue.version + 1, 'summary', v_summary);
end
$$;

-- sweep_queues() → { expired, closed }: absent entries past their grace become no_show; open days past
-- closing time + auto_end_day_after_closing_minutes are ended. Service role (run periodically).
drop function public.sweep_queues();
create function public.sweep_queues() returns jsonb
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
    where e.status = 'absent' and e.grace_ends_at <= now()
  loop
    perform 1 from public.queues where id = q.queue_id for update;
    v_expired := v_expired + private.expire_grace(q.queue_id);
  end loop;
  for q in
    select qu.id
    from public.queues qu join public.clinics c on c.id = qu.clinic_id
    where qu.status = 'open'
      and now() >= ((qu.day + coalesce(
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

revoke execute on function public.end_day(uuid, integer), public.sweep_queues() from public, anon, authenticated;
revoke all on all functions in schema private from public;
grant execute on all functions in schema private to anon, authenticated, service_role;
grant execute on function public.end_day(uuid, integer) to authenticated, service_role;
grant execute on function public.sweep_queues() to service_role;
