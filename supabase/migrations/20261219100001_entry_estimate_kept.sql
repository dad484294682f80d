-- The "almost your turn" SMS never has an empty wait (CI flake, issue 14 determinism; session 19).
--
-- The race (reproduced: a 3 s pause before send-sms reads the estimate turns morningSmsLog's first SMS into
-- "Position 1, attente. Merci…"): a staff browser sends "almost your turn" right after a step; send-sms checks the
-- visit still waits (notification_prepare), then reads its stored estimate (get_entry_estimate). On a busy machine
-- the desk calls that patient in between, and the next store_queue_estimates — which replaced the queue's estimates
-- as a whole — had deleted the patient's row, so {eta} rendered as ''. Waiting for the "current" version instead
-- would not help: a message owed at version v is legitimately sent at v+1.
--
-- Decision: an estimate is a fact about what a visit was shown; it is not thrown away when the visit leaves the line.
--   replaced public.store_queue_estimates (newest: 20261205400001_shown_estimates.sql): only the visits still in
--            line (waiting, scheduled, absent) that are not listed lose their estimate; a visit that was called,
--            finished, cancelled or became a no-show keeps its last one. Nothing else changes (validation, the
--            stale rule — kept rows are of older versions —, the shown log, which takes waiting visits only).
--            The tracker (get_visit_live) shows an estimate only while the visit waits, and queues_needing_estimates
--            looks at waiting visits only, so neither sees a kept row. report_wait_accuracy, which judges "the last
--            estimate computed while it waited" of each called visit, now finds one for every called visit
--            instead of only those called after the day's last store.
--   replaced public.get_entry_estimate (newest: 20261201005001_wait_estimates.sql): the visit's LATEST stored
--            estimate, whatever version it was computed on, with how old it is and whether it is the queue's
--            current version: + age_seconds (private.now() − computed_at, ≥ 0) and current (boolean). The sender
--            (supabase/functions/_shared/eta.ts) decides what a patient reads: the estimate's phrase while it is
--            recent, else the template language's "not known yet" — never an empty wait.

-- ── store_queue_estimates: as in 20261205400001_shown_estimates.sql, but visits that left the line keep theirs ─
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

  -- the queue's estimates are replaced as a whole for the visits still in line (waiting, scheduled, absent):
  -- those not listed lose theirs. A visit that has LEFT the line (called, in service, finished, cancelled,
  -- no-show) keeps its last estimate: what it was shown while it waited, read by a message owed while it
  -- waited and sent a moment later (get_entry_estimate) and judged by the reports (report_wait_accuracy)
  delete from public.queue_entry_estimates s
   using public.queue_entries e
   where s.queue_id = v_queue.id and e.id = s.entry_id and e.status in ('waiting', 'scheduled', 'absent');
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

-- ── get_entry_estimate(p_clinic_id, p_entry_id) — SMS {eta} (send-sms, the sweep; staff or service role) ──
-- → { estimate: { minutes, low, high, display, queue_version, computed_at, age_seconds, current } | null,
--     accuracy_minutes }: the visit's latest stored estimate (also after it left the line, see above); null only
-- when none was ever stored for it. Staff of the clinic or the service role; another clinic's visit → 404.
create or replace function public.get_entry_estimate(p_clinic_id uuid, p_entry_id uuid) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_estimate jsonb;
begin
  perform private.require_staff(p_clinic_id);
  if p_entry_id is null
     or not exists (select 1 from public.queue_entries e where e.id = p_entry_id and e.clinic_id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found');
  end if;
  v_estimate := private.entry_estimate_json(p_entry_id);
  if v_estimate is not null then
    select v_estimate || jsonb_build_object(
             'age_seconds', greatest(0, floor(extract(epoch from private.now() - s.computed_at)))::integer,
             'current', s.queue_version = q.version)
      into v_estimate
      from public.queue_entry_estimates s
      join public.queues q on q.id = s.queue_id
     where s.entry_id = p_entry_id;
  end if;
  return jsonb_build_object('estimate', v_estimate,
                            'accuracy_minutes', private.clinic_accuracy_minutes(p_clinic_id));
end
$$;

-- create or replace keeps the grants of 20261201005001 (staff through authenticated, the service role); restated
revoke execute on function public.get_entry_estimate(uuid, uuid) from public, anon;
