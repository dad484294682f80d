-- Owners' reports (issue 19) fast on a year of a busy clinic: per-day summary tables.
--
-- Each ended day (a closed queue) is summarised once into "cells" — per practitioner × visit type the
-- counts and the exact wait / visit-length values (float8 arrays, the very numbers the raw query sorts),
-- arrivals per local weekday × hour, the estimate errors — and the reports read the cells of summarised
-- days plus the raw rows of every other day (today, an open queue, a day changed since). Every figure is
-- therefore identical to the raw computation (the medians/p90 sort the same float8 values; counts add up):
-- both paths go through the same private.report_*_live functions, which is also what summarising stores.
--
-- When a day is summarised:
--   • at end of day: the queue turning 'closed' summarises it in the same transaction;
--   • catch-up: each report first summarises the closed days of its range that are not (yet / any more)
--     summarised — a day is a few ms, so a year is summarised once and then read from the cells.
-- When a summary is dropped (the day is read raw again until summarised anew): any insert/update/delete of
-- one of its visits or stored estimates (row triggers: one primary-key delete, a no-op for today's queue),
-- the queue reopening, or the clinic changing its time zone (weekday × hour are local).
-- report_sms stays on its per-day index ranges (fast without cells).
--
-- Owned by the reports: new private tables and functions; report_visits, report_busy_hours,
-- report_wait_accuracy re-created (now VOLATILE: they may write the catch-up summaries; PostgREST calls
-- them by POST, as supabase-js rpc() does).

create table private.report_days (
  queue_id uuid primary key references public.queues (id) on delete cascade,
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  day date not null,
  summarised_at timestamptz not null default private.now()
);
create index report_days_clinic_day_idx on private.report_days (clinic_id, day);

create table private.report_visit_cells (
  queue_id uuid not null references public.queues (id) on delete cascade,
  clinic_id uuid not null,
  day date not null,
  practitioner_id uuid,
  appointment_type_id uuid,
  visits integer not null,
  seen integer not null,
  walk_in integer not null,
  booked integer not null,
  no_show integer not null,
  cancelled integer not null,
  late integer not null,
  waits float8[] not null,
  visit_lengths float8[] not null
);
create index report_visit_cells_idx on private.report_visit_cells (clinic_id, day);
create index report_visit_cells_queue_idx on private.report_visit_cells (queue_id);

create table private.report_hour_cells (
  queue_id uuid not null references public.queues (id) on delete cascade,
  clinic_id uuid not null,
  day date not null,
  weekday integer not null,
  hour integer not null,
  arrivals integer not null
);
create index report_hour_cells_idx on private.report_hour_cells (clinic_id, day);
create index report_hour_cells_queue_idx on private.report_hour_cells (queue_id);

create table private.report_accuracy_cells (
  queue_id uuid not null references public.queues (id) on delete cascade,
  clinic_id uuid not null,
  day date not null,
  judged integer not null,
  within integer not null,
  errors float8[] not null
);
create index report_accuracy_cells_idx on private.report_accuracy_cells (clinic_id, day);
create index report_accuracy_cells_queue_idx on private.report_accuracy_cells (queue_id);

revoke all on private.report_days, private.report_visit_cells, private.report_hour_cells,
  private.report_accuracy_cells from public, anon, authenticated;

-- ── The raw computation, per day and cell (plain SQL functions without SET clauses, so the planner inlines
--    them into the reports' queries; every name is schema-qualified): of the given queues (summarising) or of the range's
--    not-summarised days (reports). One definition for both, so the figures cannot drift apart. ─────────
create function private.report_visit_cells_live(p_clinic_id uuid, p_from date, p_to date, p_queue_id uuid default null)
returns table (queue_id uuid, day date, practitioner_id uuid, appointment_type_id uuid, visits integer,
               seen integer, walk_in integer, booked integer, no_show integer, cancelled integer, late integer,
               waits float8[], visit_lengths float8[])
language sql stable
as $$
  select q.id, q.day, coalesce(e.served_by, e.practitioner_id), e.appointment_type_id,
         (count(*) filter (where e.status <> 'cancelled'))::integer,
         (count(*) filter (where e.status = 'completed'))::integer,
         (count(*) filter (where e.status <> 'cancelled' and e.kind = 'walk_in'))::integer,
         (count(*) filter (where e.status <> 'cancelled' and e.kind = 'booked'))::integer,
         (count(*) filter (where e.status = 'no_show'))::integer,
         (count(*) filter (where e.status = 'cancelled'))::integer,
         (count(*) filter (where e.status <> 'cancelled' and e.running_late_at is not null))::integer,
         coalesce(array_agg(greatest(0, date_part('epoch', e.called_at - greatest(e.checked_in_at, coalesce(e.slot_start, e.checked_in_at))) / 60))
                    filter (where e.called_at is not null and e.checked_in_at is not null), '{}'),
         coalesce(array_agg(greatest(0, date_part('epoch', e.finished_at - e.started_at) / 60))
                    filter (where e.status = 'completed' and e.started_at is not null and e.finished_at is not null), '{}')
  from public.queues q
  join public.queue_entries e on e.queue_id = q.id and e.clinic_id = q.clinic_id
  where q.clinic_id = p_clinic_id and q.day between p_from and p_to
    and (case when p_queue_id is null
              then not exists (select 1 from private.report_days r where r.queue_id = q.id)
              else q.id = p_queue_id end)
  group by q.id, q.day, coalesce(e.served_by, e.practitioner_id), e.appointment_type_id
$$;

create function private.report_hour_cells_live(p_clinic_id uuid, p_from date, p_to date, p_tz text, p_queue_id uuid default null)
returns table (queue_id uuid, day date, weekday integer, hour integer, arrivals integer)
language sql stable
as $$
  select q.id, q.day, extract(dow from e.checked_in_at at time zone p_tz)::integer,
         extract(hour from e.checked_in_at at time zone p_tz)::integer, count(*)::integer
  from public.queues q
  join public.queue_entries e on e.queue_id = q.id and e.clinic_id = q.clinic_id
  where q.clinic_id = p_clinic_id and q.day between p_from and p_to and e.checked_in_at is not null
    and (case when p_queue_id is null
              then not exists (select 1 from private.report_days r where r.queue_id = q.id)
              else q.id = p_queue_id end)
  group by 1, 2, 3, 4
$$;

create function private.report_accuracy_cells_live(p_clinic_id uuid, p_from date, p_to date, p_queue_id uuid default null)
returns table (queue_id uuid, day date, judged integer, within integer, errors float8[])
language sql stable
as $$
  select q.id, q.day, count(*)::integer,
         (count(*) filter (where e.called_at between s.computed_at + s.low * interval '1 minute'
                                               and s.computed_at + s.high * interval '1 minute'))::integer,
         array_agg(abs(date_part('epoch', e.called_at - s.computed_at) / 60 - s.minutes::float8))
  from public.queues q
  join public.queue_entry_estimates s on s.queue_id = q.id and s.clinic_id = q.clinic_id
  join public.queue_entries e on e.queue_id = q.id and e.clinic_id = q.clinic_id and e.id = s.entry_id
  where q.clinic_id = p_clinic_id and q.day between p_from and p_to and e.called_at is not null
    and (case when p_queue_id is null
              then not exists (select 1 from private.report_days r where r.queue_id = q.id)
              else q.id = p_queue_id end)
  group by q.id, q.day
$$;

-- ── Summarise one day (a queue) / forget it ─────────────────────────────────────────────────────────
create function private.report_summarise(p_queue_id uuid) returns void
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
  insert into private.report_visit_cells (queue_id, clinic_id, day, practitioner_id, appointment_type_id, visits,
                                          seen, walk_in, booked, no_show, cancelled, late, waits, visit_lengths)
  select l.queue_id, v_queue.clinic_id, l.day, l.practitioner_id, l.appointment_type_id, l.visits, l.seen,
         l.walk_in, l.booked, l.no_show, l.cancelled, l.late, l.waits, l.visit_lengths
  from private.report_visit_cells_live(v_queue.clinic_id, v_queue.day, v_queue.day, p_queue_id) l;
  insert into private.report_hour_cells (queue_id, clinic_id, day, weekday, hour, arrivals)
  select l.queue_id, v_queue.clinic_id, l.day, l.weekday, l.hour, l.arrivals
  from private.report_hour_cells_live(v_queue.clinic_id, v_queue.day, v_queue.day, v_tz, p_queue_id) l;
  insert into private.report_accuracy_cells (queue_id, clinic_id, day, judged, within, errors)
  select l.queue_id, v_queue.clinic_id, l.day, l.judged, l.within, l.errors
  from private.report_accuracy_cells_live(v_queue.clinic_id, v_queue.day, v_queue.day, p_queue_id) l;
  insert into private.report_days (queue_id, clinic_id, day) values (p_queue_id, v_queue.clinic_id, v_queue.day);
end
$$;

-- The ended days of a clinic's range that are not summarised (or no longer): summarise them now.
create function private.report_catch_up(p_clinic_id uuid, p_from date, p_to date) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_queue uuid;
  v_n integer := 0;
begin
  for v_queue in
    select q.id from public.queues q
    where q.clinic_id = p_clinic_id and q.day between p_from and p_to and q.status = 'closed'
      and not exists (select 1 from private.report_days r where r.queue_id = q.id)
    order by q.day
  loop
    perform private.report_summarise(v_queue);
    v_n := v_n + 1;
  end loop;
  return v_n;
end
$$;

-- Row triggers: a change to a summarised day's visits or estimates drops its summary (a primary-key delete;
-- nothing to delete for today's open queue, whose visits change all day).
create function private.report_forget_entry() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op <> 'INSERT' then
    delete from private.report_days where queue_id = old.queue_id;
  end if;
  if tg_op <> 'DELETE' and (tg_op = 'INSERT' or new.queue_id is distinct from old.queue_id) then
    delete from private.report_days where queue_id = new.queue_id;
  end if;
  return null;
end
$$;
create trigger queue_entries_report_forget after insert or update or delete on public.queue_entries
  for each row execute function private.report_forget_entry();
create trigger queue_entry_estimates_report_forget after insert or update or delete on public.queue_entry_estimates
  for each row execute function private.report_forget_entry();

-- The queue ends its day → summarised in the same transaction; reopened → read raw again.
create function private.report_queue_status() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.status = 'closed' and (tg_op = 'INSERT' or old.status is distinct from 'closed') then
    perform private.report_summarise(new.id);
  elsif new.status <> 'closed' and tg_op = 'UPDATE' then
    delete from private.report_days where queue_id = new.id;
  end if;
  return null;
end
$$;
create trigger queues_report_status after insert or update of status on public.queues
  for each row execute function private.report_queue_status();

-- weekday × hour are clinic-local: a new time zone drops the clinic's summaries
create function private.report_clinic_zone() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.time_zone is distinct from old.time_zone then
    delete from private.report_days where clinic_id = new.id;
  end if;
  return null;
end
$$;
create trigger clinics_report_zone after update of time_zone on public.clinics
  for each row execute function private.report_clinic_zone();

-- The summarised days' cells of a range (only days whose summary is current).
create function private.report_visit_cells_of(p_clinic_id uuid, p_from date, p_to date)
returns setof private.report_visit_cells
language sql stable
as $$
  select c.* from private.report_visit_cells c
  join private.report_days r on r.queue_id = c.queue_id
  where c.clinic_id = p_clinic_id and c.day between p_from and p_to
$$;

-- ── report_visits (same output as 20261202800001; from cells + the live days) ────────────────────────
create or replace function public.report_visits(
  p_clinic_id uuid, p_from date, p_to date, p_period text default 'day', p_by text default 'total')
returns jsonb
language plpgsql volatile
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
  perform private.report_catch_up(p_clinic_id, p_from, p_to);

  with c as (
    select s.day, s.practitioner_id, s.appointment_type_id, s.visits, s.seen, s.walk_in, s.booked, s.no_show,
           s.cancelled, s.late, s.waits, s.visit_lengths
    from private.report_visit_cells_of(p_clinic_id, p_from, p_to) s
    union all
    select l.day, l.practitioner_id, l.appointment_type_id, l.visits, l.seen, l.walk_in, l.booked, l.no_show,
           l.cancelled, l.late, l.waits, l.visit_lengths
    from private.report_visit_cells_live(p_clinic_id, p_from, p_to) l
  ),
  v as (
    select private.report_period(c.day, p_period) as period,
           case p_by when 'practitioner' then c.practitioner_id when 'type' then c.appointment_type_id end as dim,
           c.*
    from c
  ),
  counts as (
    select grouping(v.period) as g_period, v.period, v.dim,
           sum(v.visits) as visits, sum(v.seen) as seen, sum(v.walk_in) as walk_in, sum(v.booked) as booked,
           sum(v.no_show) as no_show, sum(v.cancelled) as cancelled, sum(v.late) as late
    from v group by grouping sets ((v.period, v.dim), (v.dim))
  ),
  waits as (
    select grouping(v.period) as g_period, v.period, v.dim,
           percentile_cont(0.5) within group (order by w.x) as wait_median,
           percentile_cont(0.9) within group (order by w.x) as wait_p90
    from v cross join lateral unnest(v.waits) w(x)
    group by grouping sets ((v.period, v.dim), (v.dim))
  ),
  lengths as (
    select grouping(v.period) as g_period, v.period, v.dim,
           percentile_cont(0.5) within group (order by w.x) as visit_median,
           percentile_cont(0.9) within group (order by w.x) as visit_p90
    from v cross join lateral unnest(v.visit_lengths) w(x)
    group by grouping sets ((v.period, v.dim), (v.dim))
  ),
  g as (
    select k.*, w.wait_median, w.wait_p90, l.visit_median, l.visit_p90
    from counts k
    left join waits w on w.g_period = k.g_period and w.period is not distinct from k.period
                     and w.dim is not distinct from k.dim
    left join lengths l on l.g_period = k.g_period and l.period is not distinct from k.period
                       and l.dim is not distinct from k.dim
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
create or replace function public.report_busy_hours(p_clinic_id uuid, p_from date, p_to date)
returns jsonb
language plpgsql volatile
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
  perform private.report_catch_up(p_clinic_id, p_from, p_to);
  select coalesce(jsonb_agg(jsonb_build_object('weekday', c.weekday, 'hour', c.hour, 'arrivals', c.n)
                            order by c.weekday, c.hour), '[]'::jsonb)
    into v_cells
  from (
    select x.weekday, x.hour, sum(x.arrivals) as n
    from (
      select h.weekday, h.hour, h.arrivals from private.report_hour_cells h
      join private.report_days r on r.queue_id = h.queue_id
      where h.clinic_id = p_clinic_id and h.day between p_from and p_to
      union all
      select l.weekday, l.hour, l.arrivals from private.report_hour_cells_live(p_clinic_id, p_from, p_to, v_tz) l
    ) x
    group by 1, 2
  ) c;
  return jsonb_build_object('from', p_from, 'to', p_to, 'cells', v_cells);
end
$$;

-- ── report_wait_accuracy ─────────────────────────────────────────────────────────────────────────
create or replace function public.report_wait_accuracy(
  p_clinic_id uuid, p_from date, p_to date, p_period text default 'day')
returns jsonb
language plpgsql volatile
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
  perform private.report_catch_up(p_clinic_id, p_from, p_to);
  with c as (
    select private.report_period(x.day, p_period) as period, x.judged, x.within, x.errors
    from (
      select a.day, a.judged, a.within, a.errors from private.report_accuracy_cells a
      join private.report_days r on r.queue_id = a.queue_id
      where a.clinic_id = p_clinic_id and a.day between p_from and p_to
      union all
      select l.day, l.judged, l.within, l.errors from private.report_accuracy_cells_live(p_clinic_id, p_from, p_to) l
    ) x
  ),
  k as (
    select grouping(c.period) as g_period, c.period, sum(c.judged) as judged, sum(c.within) as within
    from c group by grouping sets ((c.period), ())
  ),
  m as (
    select grouping(c.period) as g_period, c.period, percentile_cont(0.5) within group (order by e.x) as mae
    from c cross join lateral unnest(c.errors) e(x) group by grouping sets ((c.period), ())
  ),
  g as (
    select k.g_period, k.period, k.judged, m.mae,
           case when k.judged > 0 then k.within::numeric / k.judged end as within_share
    from k left join m on m.g_period = k.g_period and m.period is not distinct from k.period
    where k.judged > 0
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

-- the ended days that exist already
do $$
declare
  v_queue uuid;
begin
  for v_queue in select q.id from public.queues q where q.status = 'closed' loop
    perform private.report_summarise(v_queue);
  end loop;
end
$$;

revoke execute on function
  private.report_summarise(uuid), private.report_catch_up(uuid, date, date)
from public, anon, authenticated;
