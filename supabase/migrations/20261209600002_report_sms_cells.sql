-- Owners' reports under 300 ms on a year of a busy clinic (issue 19, reports12): the SMS report from per-day
-- cells.
--
-- report_sms read every SMS row of its range (an index-only range per day): ~176k rows a year for a busy
-- clinic, ~150 ms of server CPU (npm run bench:reports). Now each summarised day (a closed queue, see
-- 20261203600001) also stores its SMS counts — what the report counts of the SMS created on that local day —
-- and the report reads those cells for the summarised days and the rows of every other day (today, an open
-- queue, a day without a queue such as a closed Sunday's evening reminders, a day changed since).
-- The figures are the same sums (counts, segments and cost add up exactly); reportSummaries.test.ts compares
-- them with the raw computation.
-- A change to an SMS (insert, status/segments/cost update, delete) drops the summary of its local day's
-- queue (as a change to one of its visits does), so that day is read raw until summarised again.
--
-- Owned by the reports: new private table/functions and trigger; report_summarise (newest:
-- 20261205600002) and report_sms (newest: 20261202800001) re-created.

create table private.report_sms_cells (
  queue_id uuid primary key references public.queues (id) on delete cascade,
  clinic_id uuid not null,
  day date not null,
  n bigint not null,        -- every SMS of the day, whatever its status (a period with only queued ones is listed)
  sent bigint not null,
  failed bigint not null,
  skipped bigint not null,
  segments bigint,          -- of what was sent; null when nothing was
  cost numeric
);
create index report_sms_cells_idx on private.report_sms_cells (clinic_id, day);
revoke all on private.report_sms_cells from public, anon, authenticated;

-- The SMS of one clinic-local day as the report counts them (one index range; plain SQL, inlined).
create function private.report_sms_day_live(p_clinic_id uuid, p_day date, p_tz text)
returns table (n bigint, sent bigint, failed bigint, skipped bigint, segments bigint, cost numeric)
language sql stable
as $$
  select count(*),
         count(*) filter (where x.status in ('sent', 'delivered', 'simulated')),
         count(*) filter (where x.status = 'failed'),
         count(*) filter (where x.status = 'skipped_budget'),
         sum(x.segments) filter (where x.status in ('sent', 'delivered', 'simulated')),
         sum(x.cost) filter (where x.status in ('sent', 'delivered', 'simulated'))
  from public.notifications x
  where x.clinic_id = p_clinic_id and x.channel = 'sms'
    and x.created_at >= (p_day::timestamp at time zone p_tz)
    and x.created_at < ((p_day + 1)::timestamp at time zone p_tz)
$$;

-- ── Summarise one day: as 20261205600002, plus its SMS cell ─────────────────────────────────────────
create or replace function private.report_summarise(p_queue_id uuid) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_queue public.queues;
  v_tz text;
begin
  -- one summariser per day at a time (two reports catching up the same day must not store it twice)
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('report_summarise:' || p_queue_id::text, 0));
  select * into v_queue from public.queues where id = p_queue_id;
  if not found then
    return;
  end if;
  select c.time_zone into v_tz from public.clinics c where c.id = v_queue.clinic_id;
  delete from private.report_days where queue_id = p_queue_id;
  delete from private.report_visit_cells where queue_id = p_queue_id;
  delete from private.report_hour_cells where queue_id = p_queue_id;
  delete from private.report_accuracy_cells where queue_id = p_queue_id;
  delete from private.report_runs where queue_id = p_queue_id;
  insert into private.report_visit_cells (queue_id, clinic_id, day, practitioner_id, appointment_type_id, visits,
                                          seen, walk_in, booked, no_show, cancelled, late)
  select l.queue_id, v_queue.clinic_id, l.day, l.practitioner_id, l.appointment_type_id, l.visits, l.seen,
         l.walk_in, l.booked, l.no_show, l.cancelled, l.late
  from private.report_visit_cells_live(v_queue.clinic_id, v_queue.day, v_queue.day, p_queue_id) l;
  insert into private.report_hour_cells (queue_id, clinic_id, day, weekday, hour, arrivals)
  select l.queue_id, v_queue.clinic_id, l.day, l.weekday, l.hour, l.arrivals
  from private.report_hour_cells_live(v_queue.clinic_id, v_queue.day, v_queue.day, v_tz, p_queue_id) l;
  insert into private.report_accuracy_cells (queue_id, clinic_id, day, judged, within)
  select l.queue_id, v_queue.clinic_id, l.day, l.judged, l.within
  from private.report_accuracy_cells_live(v_queue.clinic_id, v_queue.day, v_queue.day, p_queue_id) l;
  insert into private.report_runs (queue_id, clinic_id, day, metric, by_kind, dim, v)
  select l.queue_id, v_queue.clinic_id, l.day, l.metric, l.by_kind, l.dim, l.v
  from private.report_runs_live(v_queue.clinic_id, v_queue.day, v_queue.day, p_queue_id) l;
  delete from private.report_sms_cells where queue_id = p_queue_id;
  insert into private.report_sms_cells (queue_id, clinic_id, day, n, sent, failed, skipped, segments, cost)
  select p_queue_id, v_queue.clinic_id, v_queue.day, l.n, l.sent, l.failed, l.skipped, l.segments, l.cost
  from private.report_sms_day_live(v_queue.clinic_id, v_queue.day, v_tz) l;
  insert into private.report_days (queue_id, clinic_id, day) values (p_queue_id, v_queue.clinic_id, v_queue.day);
end
$$;

-- An SMS changed: the summary of its local day (the clinic's queue of that day, if any) is dropped.
create function private.report_forget_sms() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op <> 'INSERT' and old.channel = 'sms' then
    delete from private.report_days r
    using public.queues q, public.clinics c
    where c.id = old.clinic_id and q.clinic_id = old.clinic_id
      and q.day = (old.created_at at time zone c.time_zone)::date and r.queue_id = q.id;
  end if;
  if tg_op <> 'DELETE' and new.channel = 'sms' then
    delete from private.report_days r
    using public.queues q, public.clinics c
    where c.id = new.clinic_id and q.clinic_id = new.clinic_id
      and q.day = (new.created_at at time zone c.time_zone)::date and r.queue_id = q.id;
  end if;
  return null;
end
$$;
create trigger notifications_report_forget
  after insert or delete or update of status, segments, cost, channel, created_at, clinic_id on public.notifications
  for each row execute function private.report_forget_sms();

-- ── report_sms (same output as 20261202800001; summarised days from their cells) ─────────────────────
create or replace function public.report_sms(p_clinic_id uuid, p_from date, p_to date, p_period text default 'day')
returns jsonb
language plpgsql volatile
security definer
set search_path = ''
set jit = off
set work_mem = '64MB'
set plan_cache_mode = force_custom_plan
as $$
declare
  v_tz text;
  v_rows jsonb;
  v_totals jsonb;
begin
  v_tz := private.report_guard(p_clinic_id, p_from, p_to, p_period);
  perform private.report_catch_up(p_clinic_id, p_from, p_to);
  with cells as (
    select s.day, s.n, s.sent, s.failed, s.skipped, s.segments, s.cost
    from private.report_sms_cells s
    join private.report_days r on r.queue_id = s.queue_id
    where s.clinic_id = p_clinic_id and s.day between p_from and p_to
  ),
  -- every other local day of the range: its rows (one index range per day)
  raw as (
    select g.day::date as day, l.*
    from pg_catalog.generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') g(day)
    cross join lateral private.report_sms_day_live(p_clinic_id, g.day::date, v_tz) l
    where not exists (select 1 from cells c where c.day = g.day::date)
  ),
  d as (
    select private.report_period(x.day, p_period) as period, x.n, x.sent, x.failed, x.skipped, x.segments, x.cost
    from (select * from cells union all select * from raw) x
    where x.n > 0
  ),
  g as (
    select grouping(d.period) as g_period, d.period,
           coalesce(sum(d.sent), 0) as sent, coalesce(sum(d.failed), 0) as failed,
           coalesce(sum(d.skipped), 0) as skipped, coalesce(sum(d.segments), 0) as segments,
           coalesce(sum(d.cost), 0) as cost
    from d group by grouping sets ((d.period), ())
  )
  select coalesce(jsonb_agg(jsonb_build_object('period', g.period, 'sent', g.sent, 'failed', g.failed,
                                               'skipped', g.skipped, 'segments', g.segments, 'cost', g.cost)
                            order by g.period) filter (where g.g_period = 0), '[]'::jsonb),
         (jsonb_agg(jsonb_build_object('sent', g.sent, 'failed', g.failed, 'skipped', g.skipped,
                                       'segments', g.segments, 'cost', g.cost)) filter (where g.g_period = 1)) -> 0
    into v_rows, v_totals
  from g;
  return jsonb_build_object('from', p_from, 'to', p_to, 'period', p_period, 'rows', v_rows,
                            'totals', coalesce(v_totals, jsonb_build_object('sent', 0, 'failed', 0, 'skipped', 0,
                                                                            'segments', 0, 'cost', 0)));
end
$$;

-- the days summarised already get their SMS cell
insert into private.report_sms_cells (queue_id, clinic_id, day, n, sent, failed, skipped, segments, cost)
select r.queue_id, r.clinic_id, r.day, l.n, l.sent, l.failed, l.skipped, l.segments, l.cost
from private.report_days r
join public.clinics c on c.id = r.clinic_id
cross join lateral private.report_sms_day_live(r.clinic_id, r.day, c.time_zone) l;

revoke execute on function private.report_sms_day_live(uuid, date, text) from public, anon, authenticated;
