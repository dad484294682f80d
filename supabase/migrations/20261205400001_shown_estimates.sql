-- Accuracy from what patients were actually shown (issue 16, session 7).
--
-- Until now the accuracy staff and the tracker see was a replay of TODAY's model on past days (a backtest).
-- This keeps the estimates as they were shown and compares them with when each patient was really called:
--
--   new      public.shown_wait_estimates: one row per waiting patient and 5-minute slot — the first estimate
--            stored in that slot (store_queue_estimates stores a version at most once a minute; the server
--            job refreshes every minute), i.e. every waiting patient judged every 5 minutes as the benchmark
--            does (bench:wait). Typed columns; staff of the clinic read (RLS), written only by the function.
--   new      private.shown_wait_accuracy(clinic, from, to): median |actual − shown| and share of actual waits
--            inside the shown range, over the shown estimates of those days whose patient was later called.
--   new      public.get_wait_accuracy(p_clinic_id): { yesterday: {day, …}, week: {from, to, …} } by the
--            clinic's day (private.now()); staff of the clinic (or the service role).
--   replaced public.store_queue_estimates (newest: 20261202600001): also logs what is shown.
--   replaced private.clinic_accuracy_minutes (newest: 20261201005001): the tracker's "± N min" is the
--            shown estimates' median error of the last 7 days once ≥ 20 were judged, else the backtest's.
--
-- "Shown": the display figures (WaitTime.roundForDisplay) — "about 20 min (15–35)" is judged as 20 with the
-- range 15–35; "a few minutes" (kind soon) as the stored minutes with the range 0–5. "Not known" is not
-- judged. The actual wait is shown_at → the patient's first PatientCalled event at or after shown_at (the
-- entry's called_at when the event log has none); patients never called (no-show, cancelled) are not judged.

create table public.shown_wait_estimates (
  entry_id uuid not null references public.queue_entries (id) on delete cascade,
  queue_id uuid not null,
  clinic_id uuid not null,
  -- the queue's (clinic-local) day
  day date not null,
  shown_at timestamptz not null,
  -- 5-minute slot of shown_at (epoch seconds / 300): at most one judged estimate per patient and slot
  slot bigint not null,
  -- the estimator's minutes from shown_at to the expected call
  minutes numeric(7, 2) not null check (minutes between 0 and 1440),
  display_kind text not null check (display_kind in ('minutes', 'soon')),
  display_minutes integer check (display_minutes between 0 and 1440),
  display_low integer check (display_low between 0 and 1440),
  display_high integer check (display_high between 0 and 1440),
  primary key (entry_id, slot),
  constraint shown_wait_estimates_display check (
    display_kind <> 'minutes' or (display_minutes is not null and display_low is not null and display_high is not null)),
  foreign key (queue_id, clinic_id) references public.queues (id, clinic_id) on delete cascade
);
create index shown_wait_estimates_clinic_day on public.shown_wait_estimates (clinic_id, day);

alter table public.shown_wait_estimates enable row level security;
create policy shown_wait_estimates_staff_read on public.shown_wait_estimates
  for select to authenticated using (private.is_clinic_staff(clinic_id));
revoke all on public.shown_wait_estimates from anon, authenticated;
grant select on public.shown_wait_estimates to authenticated;
grant all on public.shown_wait_estimates to service_role;

-- ── private.shown_wait_accuracy(p_clinic_id, p_from, p_to) ───────────────────────────────────────
-- Over the shown estimates of days p_from..p_to (inclusive) whose patient was later called:
-- median |actual − shown| (minutes, 2 decimals; null without any), share of actual waits inside the shown
-- range (3 decimals; null without any), and how many were judged.
create function private.shown_wait_accuracy(p_clinic_id uuid, p_from date, p_to date)
returns table (median_abs_error numeric, within_share numeric, judged integer)
language sql stable
set search_path = ''
as $$
  with called as (
    select s.*,
           coalesce(
             (select min(ev.occurred_at) from public.queue_events ev
               where ev.entry_id = s.entry_id and ev.type = 'PatientCalled' and ev.occurred_at >= s.shown_at),
             (select e.called_at from public.queue_entries e
               where e.id = s.entry_id and e.called_at >= s.shown_at)) as called_at
      from public.shown_wait_estimates s
     where s.clinic_id = p_clinic_id and s.day between p_from and p_to
  ), judged as (
    select extract(epoch from (c.called_at - c.shown_at)) / 60 as actual,
           case when c.display_kind = 'minutes' then c.display_minutes else c.minutes end as shown,
           case when c.display_kind = 'minutes' then c.display_low else 0 end as low,
           case when c.display_kind = 'minutes' then c.display_high else 5 end as high
      from called c
     where c.called_at is not null
  )
  select round((percentile_cont(0.5) within group (order by abs(j.actual - j.shown)))::numeric, 2),
         round(avg(case when j.actual between j.low and j.high then 1.0 else 0.0 end), 3),
         count(*)::integer
    from judged j
$$;

-- ── get_wait_accuracy(p_clinic_id) ───────────────────────────────────────────────────────────────
-- → { yesterday: { day, median_abs_error, within_share, count }, week: { from, to, median_abs_error,
--     within_share, count } }: yesterday = the clinic's day before today (private.now()), week = the 7 days
-- before today. Staff of the clinic (or the service role); 404 for an unknown clinic.
create function public.get_wait_accuracy(p_clinic_id uuid)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_today date;
  v_y record;
  v_w record;
begin
  perform private.require_staff(p_clinic_id);
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  v_today := private.clinic_today(v_clinic.time_zone);
  select * into v_y from private.shown_wait_accuracy(p_clinic_id, v_today - 1, v_today - 1);
  select * into v_w from private.shown_wait_accuracy(p_clinic_id, v_today - 7, v_today - 1);
  return jsonb_build_object(
    'yesterday', jsonb_build_object('day', v_today - 1, 'median_abs_error', v_y.median_abs_error,
                                    'within_share', v_y.within_share, 'count', v_y.judged),
    'week', jsonb_build_object('from', v_today - 7, 'to', v_today - 1, 'median_abs_error', v_w.median_abs_error,
                               'within_share', v_w.within_share, 'count', v_w.judged));
end
$$;

revoke execute on function public.get_wait_accuracy(uuid) from public, anon;
grant execute on function public.get_wait_accuracy(uuid) to authenticated, service_role;

-- ── private.clinic_accuracy_minutes: the tracker's "usually accurate to ± N min" ─────────────────
-- The median |error| of the estimates shown in the last 7 days once ≥ 20 were judged; before that (a new
-- clinic, or days before this log existed) the backtest figure the staff client stored, as before.
create or replace function private.clinic_accuracy_minutes(p_clinic_id uuid) returns integer
language sql stable
set search_path = ''
as $$
  select coalesce(
    (select greatest(1, round(w.median_abs_error))::integer
       from public.clinics c,
            private.shown_wait_accuracy(p_clinic_id, private.clinic_today(c.time_zone) - 7,
                                        private.clinic_today(c.time_zone) - 1) w
      where c.id = p_clinic_id and w.judged >= 20 and w.median_abs_error is not null),
    (select greatest(1, round(a.week_median_abs_error))::integer
       from public.clinic_wait_accuracy a
      where a.clinic_id = p_clinic_id and a.week_count >= 20 and a.week_median_abs_error is not null))
$$;

-- ── store_queue_estimates: as in 20261202600001_server_estimates.sql, plus the log of what is shown ─
create or replace function public.store_queue_estimates(
  p_clinic_id uuid,
  p_day date,
  p_version integer,
  p_estimates jsonb,
  p_accuracy jsonb default null
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_queue public.queues;
  v_el jsonb;
  v_entry public.queue_entries;
  v_n integer := 0;
  v_kind text;
  v_ids uuid[] := '{}';
begin
  perform private.require_staff(p_clinic_id);
  if p_day is null or p_version is null or p_version < 0 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_day and a non-negative p_version are required');
  end if;
  if p_estimates is null or jsonb_typeof(p_estimates) <> 'array' or jsonb_array_length(p_estimates) > 500 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_estimates must be an array of at most 500');
  end if;
  if p_accuracy is not null and jsonb_typeof(p_accuracy) <> 'object' then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_accuracy must be an object');
  end if;
  select * into v_queue from public.queues where clinic_id = p_clinic_id and day = p_day for update;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'no queue for that day');
  end if;

  -- validate everything before writing anything
  for v_el in select * from jsonb_array_elements(p_estimates) loop
    if jsonb_typeof(v_el) <> 'object' or coalesce(v_el ->> 'entry_id', '') !~ '^[0-9a-fA-F-]{36}$'
       or jsonb_typeof(v_el -> 'minutes') <> 'number' or jsonb_typeof(v_el -> 'low') <> 'number'
       or jsonb_typeof(v_el -> 'high') <> 'number' or jsonb_typeof(v_el -> 'display') <> 'object' then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'each estimate needs entry_id, minutes, low, high, display');
    end if;
    if (v_el ->> 'minutes')::numeric not between 0 and 1440 or (v_el ->> 'low')::numeric not between 0 and 1440
       or (v_el ->> 'high')::numeric not between 0 and 1440 or (v_el ->> 'low')::numeric > (v_el ->> 'high')::numeric then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'minutes, low, high must be 0–1440 with low ≤ high');
    end if;
    v_kind := v_el -> 'display' ->> 'kind';
    if v_kind is null or v_kind not in ('minutes', 'soon', 'unknown') then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'display.kind must be minutes, soon or unknown');
    end if;
    if v_kind = 'minutes' and not (
         jsonb_typeof(v_el -> 'display' -> 'minutes') = 'number' and jsonb_typeof(v_el -> 'display' -> 'low') = 'number'
         and jsonb_typeof(v_el -> 'display' -> 'high') = 'number'
         and (v_el -> 'display' ->> 'minutes')::numeric between 0 and 1440
         and (v_el -> 'display' ->> 'low')::numeric between 0 and 1440
         and (v_el -> 'display' ->> 'high')::numeric between 0 and 1440) then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'display needs minutes, low, high (0–1440)');
    end if;
    select * into v_entry from public.queue_entries where id = (v_el ->> 'entry_id')::uuid;
    if not found or v_entry.queue_id <> v_queue.id or v_entry.status not in ('waiting', 'scheduled', 'absent') then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'an estimate for a visit that is not waiting in this queue');
    end if;
    if (v_el ->> 'entry_id')::uuid = any (v_ids) then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'one estimate per visit');
    end if;
    v_ids := v_ids || (v_el ->> 'entry_id')::uuid;
  end loop;
  if p_accuracy is not null then
    if exists (select 1 from jsonb_each(p_accuracy) a
                where a.key not in ('yesterday', 'week') or jsonb_typeof(a.value) not in ('object', 'null'))
       or exists (select 1 from jsonb_each(p_accuracy) a, jsonb_each(case when jsonb_typeof(a.value) = 'object'
                                                                       then a.value else '{}' end) f
                   where f.key not in ('median_abs_error', 'within_share', 'count')
                      or jsonb_typeof(f.value) not in ('number', 'null')
                      or (f.key = 'median_abs_error' and (f.value #>> '{}')::numeric not between 0 and 1440)
                      or (f.key = 'within_share' and (f.value #>> '{}')::numeric not between 0 and 1)
                      or (f.key = 'count' and (f.value #>> '{}')::numeric not between 0 and 1000000000)) then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'p_accuracy: {yesterday, week: {median_abs_error, within_share, count}}');
    end if;
  end if;

  if p_accuracy is not null then
    insert into public.clinic_wait_accuracy as a (clinic_id, day, yesterday_median_abs_error, yesterday_within_share,
                                                  yesterday_count, week_median_abs_error, week_within_share,
                                                  week_count, computed_at)
    values (p_clinic_id, p_day,
            (p_accuracy #>> '{yesterday,median_abs_error}')::numeric,
            (p_accuracy #>> '{yesterday,within_share}')::numeric,
            coalesce((p_accuracy #>> '{yesterday,count}')::numeric, 0)::integer,
            (p_accuracy #>> '{week,median_abs_error}')::numeric,
            (p_accuracy #>> '{week,within_share}')::numeric,
            coalesce((p_accuracy #>> '{week,count}')::numeric, 0)::integer,
            private.now())
    on conflict (clinic_id) do update
      set day = excluded.day, yesterday_median_abs_error = excluded.yesterday_median_abs_error,
          yesterday_within_share = excluded.yesterday_within_share, yesterday_count = excluded.yesterday_count,
          week_median_abs_error = excluded.week_median_abs_error, week_within_share = excluded.week_within_share,
          week_count = excluded.week_count, computed_at = excluded.computed_at
      where a.day <= excluded.day;
  end if;

  -- stale: the queue has moved on, a newer version is stored, or this version was stored less than a
  -- minute ago (another desk, or the server job, did it). A version stored a minute ago or more is
  -- replaced: minutes count from computed_at, so time passing alone needs fresh figures (the server job's
  -- periodic tick).
  if p_version <> v_queue.version
     or exists (select 1 from public.queue_entry_estimates s
                 where s.queue_id = v_queue.id
                   and (s.queue_version > p_version
                        or (s.queue_version = p_version and s.computed_at > private.now() - interval '1 minute'))) then
    return jsonb_build_object('stored', 0, 'stale', true);
  end if;

  delete from public.queue_entry_estimates where queue_id = v_queue.id;
  insert into public.queue_entry_estimates (entry_id, queue_id, clinic_id, queue_version, minutes, low, high,
                                            display_kind, display_minutes, display_low, display_high, computed_at)
  select (el ->> 'entry_id')::uuid, v_queue.id, p_clinic_id, p_version,
         (el ->> 'minutes')::numeric, (el ->> 'low')::numeric, (el ->> 'high')::numeric,
         el -> 'display' ->> 'kind',
         round((el -> 'display' ->> 'minutes')::numeric)::integer,
         round((el -> 'display' ->> 'low')::numeric)::integer,
         round((el -> 'display' ->> 'high')::numeric)::integer,
         private.now()
    from jsonb_array_elements(p_estimates) as x(el);
  get diagnostics v_n = row_count;
  -- what the waiting patients are shown, kept (one judged estimate per patient every 5 minutes) to be
  -- compared with when they were really called (private.shown_wait_accuracy)
  insert into public.shown_wait_estimates (entry_id, queue_id, clinic_id, day, shown_at, slot, minutes,
                                           display_kind, display_minutes, display_low, display_high)
  select s.entry_id, s.queue_id, s.clinic_id, v_queue.day, s.computed_at,
         floor(extract(epoch from s.computed_at) / 300)::bigint, s.minutes,
         s.display_kind, s.display_minutes, s.display_low, s.display_high
    from public.queue_entry_estimates s
    join public.queue_entries e on e.id = s.entry_id
   where s.queue_id = v_queue.id and e.status = 'waiting' and s.display_kind in ('minutes', 'soon')
  on conflict (entry_id, slot) do nothing;
  -- wakes the screens that follow the queue (tracker, board: realtime on public.queues) to re-read the new
  -- estimates; the version is unchanged, so staff screens that hold this version do not reload
  update public.queues set updated_at = private.now() where id = v_queue.id;
  return jsonb_build_object('stored', v_n, 'stale', false);
end
$$;
