-- Wait estimates (issue 16): one estimator everywhere.
--
-- The estimator is the pure TypeScript model (src/services/queue/models/WaitEstimator.ts). It runs where
-- the queue's service layer runs (the staff browser, ARCHITECTURE.md §1), learns from the clinic's own
-- days (get_wait_history), and the staff client stores each waiting patient's estimate for the queue
-- version it computed it on (store_queue_estimates). The tracker (get_visit_live), the board and SMS
-- {eta} (get_entry_estimate, called by send-sms) read that stored value: the same minutes as the
-- dashboard, never a second formula.
--
-- New objects only (no existing function is replaced):
--   tables  public.queue_entry_estimates, public.clinic_wait_accuracy   (RLS: staff of the clinic read)
--   RPCs    get_wait_history, store_queue_estimates, get_entry_estimate (staff / service)
--           get_visit_live (anyone with the visit's tracking token)

-- ── Stored estimates ──────────────────────────────────────────────────────────────────────────────
create table public.queue_entry_estimates (
  entry_id uuid primary key references public.queue_entries (id) on delete cascade,
  queue_id uuid not null,
  clinic_id uuid not null,
  -- the queue version the estimate was computed on
  queue_version integer not null check (queue_version >= 0),
  -- the estimator's figures (minutes from computed_at to the expected call) …
  minutes numeric(7, 2) not null check (minutes between 0 and 1440),
  low numeric(7, 2) not null check (low between 0 and 1440),
  high numeric(7, 2) not null check (high between 0 and 1440),
  -- … and what the patient is shown ("about 25 min (20–35)"): WaitTime.roundForDisplay of them
  display_kind text not null check (display_kind in ('minutes', 'soon', 'unknown')),
  display_minutes integer check (display_minutes between 0 and 1440),
  display_low integer check (display_low between 0 and 1440),
  display_high integer check (display_high between 0 and 1440),
  computed_at timestamptz not null default now(),
  constraint queue_entry_estimates_range check (low <= high),
  constraint queue_entry_estimates_display check (
    display_kind <> 'minutes' or (display_minutes is not null and display_low is not null and display_high is not null)),
  foreign key (queue_id, clinic_id) references public.queues (id, clinic_id) on delete cascade
);
create index queue_entry_estimates_queue on public.queue_entry_estimates (queue_id);

alter table public.queue_entry_estimates enable row level security;
create policy queue_entry_estimates_staff_read on public.queue_entry_estimates
  for select to authenticated using (private.is_clinic_staff(clinic_id));
revoke all on public.queue_entry_estimates from anon, authenticated;
grant select on public.queue_entry_estimates to authenticated;
grant all on public.queue_entry_estimates to service_role;

-- How accurate the clinic's estimates were (backtest on its own days; shown to staff and, as "± N min",
-- on the tracker).
create table public.clinic_wait_accuracy (
  clinic_id uuid primary key references public.clinics (id) on delete cascade,
  -- the day the figures were computed for (yesterday = day − 1, week = the 7 days before day)
  day date not null,
  yesterday_median_abs_error numeric(7, 2) check (yesterday_median_abs_error between 0 and 1440),
  yesterday_within_share numeric(4, 3) check (yesterday_within_share between 0 and 1),
  yesterday_count integer not null default 0 check (yesterday_count >= 0),
  week_median_abs_error numeric(7, 2) check (week_median_abs_error between 0 and 1440),
  week_within_share numeric(4, 3) check (week_within_share between 0 and 1),
  week_count integer not null default 0 check (week_count >= 0),
  computed_at timestamptz not null default now()
);
alter table public.clinic_wait_accuracy enable row level security;
create policy clinic_wait_accuracy_staff_read on public.clinic_wait_accuracy
  for select to authenticated using (private.is_clinic_staff(clinic_id));
revoke all on public.clinic_wait_accuracy from anon, authenticated;
grant select on public.clinic_wait_accuracy to authenticated;
grant all on public.clinic_wait_accuracy to service_role;

-- ── Reading a stored estimate ─────────────────────────────────────────────────────────────────────
-- The estimate of one entry as JSON (null when none is stored), and the clinic's "± N min".
create function private.entry_estimate_json(p_entry_id uuid) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'minutes', s.minutes, 'low', s.low, 'high', s.high,
    'display', case s.display_kind
                 when 'minutes' then jsonb_build_object('kind', 'minutes', 'minutes', s.display_minutes,
                                                        'low', s.display_low, 'high', s.display_high)
                 else jsonb_build_object('kind', s.display_kind) end,
    'queue_version', s.queue_version,
    'computed_at', s.computed_at)
  from public.queue_entry_estimates s
  where s.entry_id = p_entry_id
$$;

-- "usually accurate to ± N min": the median absolute error of the last 7 days, whole minutes (≥ 1),
-- null with fewer than 20 judged waits.
create function private.clinic_accuracy_minutes(p_clinic_id uuid) returns integer
language sql stable
set search_path = ''
as $$
  select greatest(1, round(a.week_median_abs_error))::integer
  from public.clinic_wait_accuracy a
  where a.clinic_id = p_clinic_id and a.week_count >= 20 and a.week_median_abs_error is not null
$$;

-- ── get_wait_history(p_clinic_id, p_days, p_day) — what the estimator learns from ────────────────
-- → { time_zone, day, sessions: [{start, end}] (the day's working intervals as instants, none on a
--     closed date), history: [{ day, practitioner_id, appointment_type_id, kind, slot_start,
--     checked_in_at, called_at, finished_at, no_show, absences, returned }] }
-- history: the finished and no-show visits of the p_days days before p_day (1–30; default 30, p_day
-- default today in the clinic's zone). practitioner_id is who called the patient (the last PatientCalled
-- event of the visit in the event log), else the practitioner the visit was booked with; absences and
-- returned count PatientMarkedAbsent / PatientReturned events. Staff of the clinic (or the service role).
create function public.get_wait_history(p_clinic_id uuid, p_days integer default 30, p_day date default null)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_day date;
  v_days integer := coalesce(p_days, 30);
begin
  perform private.require_staff(p_clinic_id);
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if v_days < 1 or v_days > 30 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_days must be between 1 and 30');
  end if;
  v_day := coalesce(p_day, private.clinic_today(v_clinic.time_zone));
  if abs(v_day - private.clinic_today(v_clinic.time_zone)) > 366 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_day must be within a year of today');
  end if;

  return jsonb_build_object(
    'time_zone', v_clinic.time_zone,
    'day', v_day,
    'sessions', coalesce((
      select jsonb_agg(jsonb_build_object(
               'start', (v_day + w.starts_at) at time zone v_clinic.time_zone,
               'end', (v_day + w.ends_at) at time zone v_clinic.time_zone) order by w.starts_at)
        from public.working_hours w
       where w.clinic_id = p_clinic_id and w.weekday = extract(dow from v_day)::integer
         and not exists (select 1 from public.closed_dates c where c.clinic_id = p_clinic_id and c.day = v_day)
    ), '[]'::jsonb),
    'history', coalesce((
      select jsonb_agg(jsonb_build_object(
               'day', q.day,
               'practitioner_id', coalesce(
                 (select (ev.payload ->> 'practitionerId')
                    from public.queue_events ev
                   where ev.entry_id = e.id and ev.type = 'PatientCalled'
                     and ev.payload ->> 'practitionerId' ~ '^[0-9a-f-]{36}$'
                   order by ev.id desc limit 1),
                 e.practitioner_id::text),
               'appointment_type_id', e.appointment_type_id,
               'kind', e.kind,
               'slot_start', e.slot_start,
               'checked_in_at', e.checked_in_at,
               'called_at', e.called_at,
               'finished_at', e.finished_at,
               'no_show', e.status = 'no_show',
               'absences', (select count(*) from public.queue_events ev
                             where ev.entry_id = e.id and ev.type = 'PatientMarkedAbsent'),
               'returned', (select count(*) from public.queue_events ev
                             where ev.entry_id = e.id and ev.type = 'PatientReturned'))
             order by q.day, e.called_at nulls last, e.ticket_number)
        from public.queues q
        join public.queue_entries e on e.queue_id = q.id
       where q.clinic_id = p_clinic_id
         and q.day >= v_day - v_days and q.day < v_day
         and (e.status = 'no_show' or (e.status = 'completed' and e.called_at is not null
                                         and e.finished_at is not null))
    ), '[]'::jsonb));
end
$$;

-- ── store_queue_estimates(p_clinic_id, p_day, p_version, p_estimates, p_accuracy) ────────────────
-- The staff client stores the estimates it computed on queue version p_version:
--   p_estimates: [{ entry_id, minutes, low, high, display: {kind: minutes|soon|unknown, minutes?, low?,
--                   high?} }] (≤ 500; every entry a waiting/scheduled/absent visit of that queue)
--   p_accuracy (optional): { yesterday: {median_abs_error, within_share, count}, week: {…} }
-- → { stored: n, stale: false } — or { stored: 0, stale: true } when the queue has moved on since
-- p_version (a newer save will store its own) or that version is already stored (another desk did).
-- The queue's estimates are replaced as a whole: entries no longer listed lose theirs.
-- Bad input → 422 VALIDATION.FAILED, nothing written. Staff of the clinic only.
create function public.store_queue_estimates(
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

  if p_version <> v_queue.version
     or exists (select 1 from public.queue_entry_estimates s
                 where s.queue_id = v_queue.id and s.queue_version >= p_version) then
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
  -- wakes the screens that follow the queue (tracker, board: realtime on public.queues) to re-read the new
  -- estimates; the version is unchanged, so staff screens that hold this version do not reload
  update public.queues set updated_at = private.now() where id = v_queue.id;
  return jsonb_build_object('stored', v_n, 'stale', false);
end
$$;

-- ── get_entry_estimate(p_clinic_id, p_entry_id) — SMS {eta} (send-sms, staff or service role) ─────
-- → { estimate: {minutes, low, high, display, queue_version, computed_at} | null, accuracy_minutes }
create function public.get_entry_estimate(p_clinic_id uuid, p_entry_id uuid) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform private.require_staff(p_clinic_id);
  if p_entry_id is null
     or not exists (select 1 from public.queue_entries e where e.id = p_entry_id and e.clinic_id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found');
  end if;
  return jsonb_build_object('estimate', private.entry_estimate_json(p_entry_id),
                            'accuracy_minutes', private.clinic_accuracy_minutes(p_clinic_id));
end
$$;

-- ── get_visit_live(p_tracking_token) — the tracker's one request ─────────────────────────────────
-- get_visit_status's answer plus { estimate: … | null (only while waiting), accuracy_minutes }.
create function public.get_visit_live(p_tracking_token text) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v jsonb;
begin
  v := public.get_visit_status(p_tracking_token);
  return v || jsonb_build_object(
    'estimate', case when v ->> 'status' = 'waiting'
                     then private.entry_estimate_json((v ->> 'entry_id')::uuid) end,
    'accuracy_minutes', private.clinic_accuracy_minutes((v -> 'clinic' ->> 'id')::uuid));
end
$$;

revoke execute on function
  public.get_wait_history(uuid, integer, date),
  public.store_queue_estimates(uuid, date, integer, jsonb, jsonb),
  public.get_entry_estimate(uuid, uuid),
  public.get_visit_live(text)
from public, anon, authenticated;
revoke all on function private.entry_estimate_json(uuid), private.clinic_accuracy_minutes(uuid) from public;
grant execute on function private.entry_estimate_json(uuid), private.clinic_accuracy_minutes(uuid)
  to anon, authenticated, service_role;
grant execute on function public.get_visit_live(text) to anon, authenticated;
grant execute on function
  public.get_wait_history(uuid, integer, date),
  public.store_queue_estimates(uuid, date, integer, jsonb, jsonb),
  public.get_entry_estimate(uuid, uuid)
to authenticated;
grant execute on function
  public.get_wait_history(uuid, integer, date),
  public.store_queue_estimates(uuid, date, integer, jsonb, jsonb),
  public.get_entry_estimate(uuid, uuid),
  public.get_visit_live(text)
to service_role;
