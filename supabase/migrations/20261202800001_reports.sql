-- Owners' reports (issue 19, /admin → Reports): four read-only RPCs computed by SQL over the visits
-- (queue_entries with their status timestamps), the day queues, the event log's stored wait estimates
-- and the SMS log, for a range of clinic-local days, grouped per day / week (ISO, Monday) / month.
-- Owners and admins of the clinic only (and the service role); everyone else gets 403 AUTH.FORBIDDEN,
-- anon cannot execute them at all. Bad input → 422 VALIDATION.FAILED, nothing read.
--
--   report_visits(clinic, from, to, period, by)   by = total | practitioner | type
--       visits (not cancelled), seen (completed), walk_in, booked, no_show, cancelled, late, rates,
--       wait (minutes, median / p90), visit length (minutes, median / p90)
--   report_busy_hours(clinic, from, to)           arrivals (check-ins) by local weekday × hour
--   report_wait_accuracy(clinic, from, to, period) the stored estimate of each called patient vs when they
--       were really called: judged, median absolute error (min), share called inside the shown range
--   report_sms(clinic, from, to, period)          SMS sent / failed / skipped (budget), segments, cost
--
-- Definitions (also in docs/reports.md):
--   the day of a visit is its queue's day (clinic-local); a practitioner is who served the visit
--   (served_by, the desk that called it), else the one it was booked with; "late" = the patient said
--   "I'm running late" (running_late_at); wait = called_at − the later of check-in and the booked slot
--   (a booked patient who came early does not wait before the slot), never negative; visit length =
--   finished_at − started_at of completed visits.
-- No time-dependent SQL here: every figure is for the explicit range passed in.

-- ── Indexes: a year of a busy clinic (100k visits) per report < 300 ms (npm run bench:reports) ────────
-- The reports read only these index-only scans (covering indexes: a year of visits is read without
-- touching the table's pages once they are all-visible). Visits of a clinic by queue, with the columns
-- the reports need:
create index if not exists queue_entries_report_idx on public.queue_entries (clinic_id, queue_id)
  include (id, kind, status, served_by, practitioner_id, appointment_type_id, running_late_at, slot_start,
           checked_in_at, called_at, started_at, finished_at);
-- SMS of a clinic by channel and creation time (one range scan per local day), with what is counted:
create index if not exists notifications_report_idx on public.notifications (clinic_id, channel, created_at)
  include (status, segments, cost);
-- Stored estimates by queue, with the figures judged:
create index if not exists queue_entry_estimates_report_idx on public.queue_entry_estimates (queue_id)
  include (entry_id, computed_at, minutes, low, high);

-- ── Shared checks ────────────────────────────────────────────────────────────────────────────────
-- Owner/admin (or service) of an existing clinic, a sane range and period; returns the clinic's time zone.
create function private.report_guard(p_clinic_id uuid, p_from date, p_to date, p_period text default 'day')
returns text
language plpgsql stable
set search_path = ''
as $$
declare
  v_tz text;
begin
  perform private.require_admin(p_clinic_id);
  select c.time_zone into v_tz from public.clinics c where c.id = p_clinic_id;
  if v_tz is null then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if p_from is null or p_to is null or not isfinite(p_from) or not isfinite(p_to) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_from and p_to are required dates');
  end if;
  if p_from > p_to then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_from must not be after p_to');
  end if;
  if p_to - p_from > 366 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a report covers at most 367 days');
  end if;
  if p_period is null or p_period not in ('day', 'week', 'month') then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_period must be day, week or month');
  end if;
  return v_tz;
end
$$;

-- No SET clause (search_path is irrelevant: only pg_catalog built-ins), so the planner inlines it instead of
-- calling a function per visit.
create function private.report_period(p_day date, p_period text) returns date
language sql immutable
as $$
  select case p_period
           when 'week' then pg_catalog.date_trunc('week', p_day::timestamp)::date
           when 'month' then pg_catalog.date_trunc('month', p_day::timestamp)::date
           else p_day end
$$;

-- ── report_visits ────────────────────────────────────────────────────────────────────────────────
create function public.report_visits(
  p_clinic_id uuid, p_from date, p_to date, p_period text default 'day', p_by text default 'total')
returns jsonb
language plpgsql stable
security definer
set search_path = ''
set jit = off
set work_mem = '64MB'
as $$
declare
  v_rows jsonb;
  v_totals jsonb;
begin
  perform private.report_guard(p_clinic_id, p_from, p_to, p_period);
  if p_by is null or p_by not in ('total', 'practitioner', 'type') then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_by must be total, practitioner or type');
  end if;

  with v as (
    select private.report_period(q.day, p_period) as period,
           case p_by when 'practitioner' then coalesce(e.served_by, e.practitioner_id)
                     when 'type' then e.appointment_type_id end as dim,
           e.kind, e.status,
           e.running_late_at is not null as late,
           case when e.called_at is not null and e.checked_in_at is not null then
             greatest(0, date_part('epoch', e.called_at - greatest(e.checked_in_at, coalesce(e.slot_start, e.checked_in_at))) / 60)
           end as wait_min,
           case when e.status = 'completed' and e.started_at is not null and e.finished_at is not null then
             greatest(0, date_part('epoch', e.finished_at - e.started_at) / 60)
           end as visit_min
    from public.queues q
    join public.queue_entries e on e.queue_id = q.id and e.clinic_id = q.clinic_id
    where q.clinic_id = p_clinic_id and q.day between p_from and p_to
  ),
  g as (
    select grouping(v.period) as g_period, v.period, v.dim,
           count(*) filter (where v.status <> 'cancelled') as visits,
           count(*) filter (where v.status = 'completed') as seen,
           count(*) filter (where v.status <> 'cancelled' and v.kind = 'walk_in') as walk_in,
           count(*) filter (where v.status <> 'cancelled' and v.kind = 'booked') as booked,
           count(*) filter (where v.status = 'no_show') as no_show,
           count(*) filter (where v.status = 'cancelled') as cancelled,
           count(*) filter (where v.status <> 'cancelled' and v.late) as late,
           percentile_cont(0.5) within group (order by v.wait_min) as wait_median,
           percentile_cont(0.9) within group (order by v.wait_min) as wait_p90,
           percentile_cont(0.5) within group (order by v.visit_min) as visit_median,
           percentile_cont(0.9) within group (order by v.visit_min) as visit_p90
    from v
    group by grouping sets ((v.period, v.dim), (v.dim))
  ),
  named as (
    select g.*,
           case p_by when 'practitioner' then (select m.display_name from public.clinic_members m where m.id = g.dim)
                     when 'type' then (select t.name from public.appointment_types t where t.id = g.dim) end as label
    from g
  ),
  j as (
    select n.g_period, n.period, n.label, n.dim, jsonb_build_object(
      'period', n.period,
      'key', n.dim,
      'label', n.label,
      'visits', n.visits, 'seen', n.seen, 'walk_in', n.walk_in, 'booked', n.booked,
      'no_show', n.no_show, 'cancelled', n.cancelled, 'late', n.late,
      'no_show_rate', case when n.visits > 0 then round(n.no_show::numeric / n.visits, 4) end,
      'late_rate', case when n.visits > 0 then round(n.late::numeric / n.visits, 4) end,
      'wait_median', round(n.wait_median::numeric, 1), 'wait_p90', round(n.wait_p90::numeric, 1),
      'visit_median', round(n.visit_median::numeric, 1), 'visit_p90', round(n.visit_p90::numeric, 1)) as o
    from named n
  )
  select coalesce(jsonb_agg(j.o order by j.period, j.label nulls first, j.dim) filter (where j.g_period = 0), '[]'::jsonb),
         coalesce(jsonb_agg(j.o - 'period' order by j.label nulls first, j.dim) filter (where j.g_period = 1), '[]'::jsonb)
    into v_rows, v_totals
  from j;

  return jsonb_build_object('from', p_from, 'to', p_to, 'period', p_period, 'by', p_by,
                            'rows', v_rows, 'totals', v_totals);
end
$$;

-- ── report_busy_hours ────────────────────────────────────────────────────────────────────────────
-- weekday: 0 = Sunday … 6 = Saturday (extract(dow)), hour 0–23, both clinic-local; only non-empty cells.
create function public.report_busy_hours(p_clinic_id uuid, p_from date, p_to date)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
set jit = off
set work_mem = '64MB'
as $$
declare
  v_tz text;
  v_cells jsonb;
begin
  v_tz := private.report_guard(p_clinic_id, p_from, p_to, 'day');
  select coalesce(jsonb_agg(jsonb_build_object('weekday', c.weekday, 'hour', c.hour, 'arrivals', c.n)
                            order by c.weekday, c.hour), '[]'::jsonb)
    into v_cells
  from (
    select extract(dow from e.checked_in_at at time zone v_tz)::integer as weekday,
           extract(hour from e.checked_in_at at time zone v_tz)::integer as hour,
           count(*) as n
    from public.queues q
    join public.queue_entries e on e.queue_id = q.id and e.clinic_id = q.clinic_id
    where q.clinic_id = p_clinic_id and q.day between p_from and p_to and e.checked_in_at is not null
    group by 1, 2
  ) c;
  return jsonb_build_object('from', p_from, 'to', p_to, 'cells', v_cells);
end
$$;

-- ── report_wait_accuracy ─────────────────────────────────────────────────────────────────────────
-- For each called visit with a stored estimate (queue_entry_estimates: the last estimate computed while it
-- waited): error = |called_at − (computed_at + minutes)|; "within" = called inside [computed_at + low,
-- computed_at + high], the range the patient was shown.
create function public.report_wait_accuracy(
  p_clinic_id uuid, p_from date, p_to date, p_period text default 'day')
returns jsonb
language plpgsql stable
security definer
set search_path = ''
set jit = off
set work_mem = '64MB'
as $$
declare
  v_rows jsonb;
  v_totals jsonb;
begin
  perform private.report_guard(p_clinic_id, p_from, p_to, p_period);
  with a as (
    select private.report_period(q.day, p_period) as period,
           abs(date_part('epoch', e.called_at - s.computed_at) / 60 - s.minutes::float8) as err,
           e.called_at between s.computed_at + s.low * interval '1 minute'
                           and s.computed_at + s.high * interval '1 minute' as within
    from public.queues q
    join public.queue_entry_estimates s on s.queue_id = q.id and s.clinic_id = q.clinic_id
    join public.queue_entries e on e.queue_id = q.id and e.clinic_id = q.clinic_id and e.id = s.entry_id
    where q.clinic_id = p_clinic_id and q.day between p_from and p_to and e.called_at is not null
  ),
  g as (
    select grouping(a.period) as g_period, a.period, count(*) as judged,
           percentile_cont(0.5) within group (order by a.err) as mae,
           avg(case when a.within then 1 else 0 end) as within_share
    from a group by grouping sets ((a.period), ())
  )
  select coalesce(jsonb_agg(jsonb_build_object('period', g.period, 'judged', g.judged,
                                               'median_abs_error', round(g.mae::numeric, 1),
                                               'within_share', round(g.within_share, 4))
                            order by g.period) filter (where g.g_period = 0), '[]'::jsonb),
         (jsonb_agg(jsonb_build_object('judged', g.judged, 'median_abs_error', round(g.mae::numeric, 1),
                                       'within_share', round(g.within_share, 4))) filter (where g.g_period = 1)) -> 0
    into v_rows, v_totals
  from g;
  return jsonb_build_object('from', p_from, 'to', p_to, 'period', p_period, 'rows', v_rows,
                            'totals', coalesce(v_totals, jsonb_build_object('judged', 0, 'median_abs_error', null,
                                                                            'within_share', null)));
end
$$;

-- ── report_sms ───────────────────────────────────────────────────────────────────────────────────
-- SMS of the clinic created on the range's local days. sent = sent/delivered/simulated (simulated = the
-- local stack without Twilio), failed, skipped = skipped_budget; segments and cost of what was sent.
create function public.report_sms(p_clinic_id uuid, p_from date, p_to date, p_period text default 'day')
returns jsonb
language plpgsql stable
security definer
set search_path = ''
set jit = off
set work_mem = '64MB'
as $$
declare
  v_tz text;
  v_rows jsonb;
  v_totals jsonb;
begin
  v_tz := private.report_guard(p_clinic_id, p_from, p_to, p_period);
  -- one index range per local day [day 00:00, next day 00:00) in the clinic's zone: no per-row conversion
  with d as (
    select g.day::date as day, (g.day::timestamp at time zone v_tz) as lo,
           ((g.day::date + 1)::timestamp at time zone v_tz) as hi
    from generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') g(day)
  ),
  n as (
    select private.report_period(d.day, p_period) as period, x.status, x.segments, x.cost
    from d join public.notifications x
      on x.clinic_id = p_clinic_id and x.channel = 'sms' and x.created_at >= d.lo and x.created_at < d.hi
  ),
  g as (
    select grouping(n.period) as g_period, n.period,
           count(*) filter (where n.status in ('sent', 'delivered', 'simulated')) as sent,
           count(*) filter (where n.status = 'failed') as failed,
           count(*) filter (where n.status = 'skipped_budget') as skipped,
           coalesce(sum(n.segments) filter (where n.status in ('sent', 'delivered', 'simulated')), 0) as segments,
           coalesce(sum(n.cost) filter (where n.status in ('sent', 'delivered', 'simulated')), 0) as cost
    from n group by grouping sets ((n.period), ())
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

-- ── Who may call them ────────────────────────────────────────────────────────────────────────────
revoke execute on function
  public.report_visits(uuid, date, date, text, text),
  public.report_busy_hours(uuid, date, date),
  public.report_wait_accuracy(uuid, date, date, text),
  public.report_sms(uuid, date, date, text)
from public, anon, authenticated;
grant execute on function
  public.report_visits(uuid, date, date, text, text),
  public.report_busy_hours(uuid, date, date),
  public.report_wait_accuracy(uuid, date, date, text),
  public.report_sms(uuid, date, date, text)
to authenticated, service_role;
