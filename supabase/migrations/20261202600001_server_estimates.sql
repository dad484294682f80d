-- Wait estimates computed on the server (issue 16, session 4): a change made with no staff screen open
-- (a patient's check-in, the grace sweep) or time passing alone now gets fresh estimates.
--
-- The estimator stays the one TypeScript model (src/services/queue/models/WaitEstimator.ts). The edge
-- function `queue-estimates` (Deno, supabase/functions/queue-estimates) runs the same QueueService.status()
-- as a staff desk, acting as the service role, for every queue this function lists; the local stack calls
-- it on every queue change (LISTEN, debounced) and on a periodic tick; on Supabase pg_cron + pg_net or a
-- database webhook on public.queues call it (docs/wait-estimates.md "Server-side recompute").
--
--   new      public.queues_needing_estimates(p_clinic_id, p_max_age_seconds)   (service role only)
--   replaced public.store_queue_estimates: the same version may be stored again once its figures are a
--            minute old (it used to be refused for ever, so time passing kept the old minutes).

-- ── queues_needing_estimates(p_clinic_id, p_max_age_seconds) ─────────────────────────────────────
-- → { now: private.now(), queues: [{ clinic_id, day, version }] }: today's open queues (each clinic's own
-- day by private.now()) with at least one waiting patient whose stored estimates are missing, belong to
-- an older version, or were computed more than p_max_age_seconds ago (10–86400, default 60). p_clinic_id
-- narrows to one clinic. `now` is the clock the caller's estimator counts from (pinnable in tests).
create function public.queues_needing_estimates(p_clinic_id uuid default null, p_max_age_seconds integer default 60)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_age integer := coalesce(p_max_age_seconds, 60);
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  if v_age < 10 or v_age > 86400 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_max_age_seconds must be between 10 and 86400');
  end if;
  return jsonb_build_object(
    'now', private.now(),
    'queues', coalesce((
      select jsonb_agg(jsonb_build_object('clinic_id', q.clinic_id, 'day', q.day, 'version', q.version)
                       order by q.updated_at)
        from public.queues q
        join public.clinics c on c.id = q.clinic_id
       where (p_clinic_id is null or q.clinic_id = p_clinic_id)
         and q.status = 'open'
         and q.day = private.clinic_today(c.time_zone)
         and exists (select 1 from public.queue_entries e where e.queue_id = q.id and e.status = 'waiting')
         and not exists (select 1 from public.queue_entry_estimates s
                          where s.queue_id = q.id and s.queue_version >= q.version
                            and s.computed_at > private.now() - make_interval(secs => v_age))
    ), '[]'::jsonb));
end
$$;

revoke execute on function public.queues_needing_estimates(uuid, integer) from public, anon, authenticated;
grant execute on function public.queues_needing_estimates(uuid, integer) to service_role;

-- ── store_queue_estimates: as in 20261201005001_wait_estimates.sql, plus the refresh of an aged version ─
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
  -- wakes the screens that follow the queue (tracker, board: realtime on public.queues) to re-read the new
  -- estimates; the version is unchanged, so staff screens that hold this version do not reload
  update public.queues set updated_at = private.now() where id = v_queue.id;
  return jsonb_build_object('stored', v_n, 'stale', false);
end
$$;
