-- trk25 (issue 14: a desk's click → the tracker re-rendered < 300 ms p95). The tracker was two hops behind the
-- board: it waited for store_queue_estimates' touch of the queue row (postgres_changes, re-checked under RLS per
-- subscriber by the realtime server), then read get_tracker_view. Now the estimates store itself pushes, to each
-- visit whose tracker would show something else, what that tracker shows (its place in line, its estimate's
-- display, the doctor's pause, the day's intake, its arrive-by, its doctor's room and public name, running late): one Realtime broadcast per changed visit, on a
-- topic only the link's holder can name — so the phone renders at the store's commit, no read, no RLS re-check.
--
-- Privacy: the topic is 'tracker:' || hex(sha256(sha256(token))). The database keeps sha256(token) only
-- (queue_entries.tracking_token_hash, which anon cannot read and another clinic's staff cannot select); the phone
-- holds the token and computes the same name. 256 bits: a topic cannot be guessed, and nothing else is on it.
-- The payload carries no name, phone, id or token. (Supabase: realtime.send(payload, event, topic, private := false)
-- — a public broadcast channel, reached by its name; the local stack's shim defines the same function.)
--
-- Cost ∝ changes: private.tracker_pushes keeps what each visit was last pushed; only visits whose shown state
-- differs are sent (a walk-in behind everyone sends one message: its own). Runs in the estimates store, after
-- the save — never inside the queue's turn (issue 12).
--
-- Decision:
--   new private.tracker_pushes (entry_id → last pushed state), private.tracker_topic(bytea),
--       private.push_tracker_states(queues) (revoked from public/anon/authenticated)
--   replaced public.store_queue_estimates (newest: 20261224200001_estimates_as_of_required.sql): as there, plus
--       the push where it touches the queue row (what a patient is shown changed, or the version's first store).

create table private.tracker_pushes (
  entry_id uuid primary key references public.queue_entries (id) on delete cascade,
  state jsonb not null
);
revoke all on table private.tracker_pushes from public, anon, authenticated;

-- The broadcast topic of a visit's tracker, from the stored hash of its link's token (the phone: the same from the token).
create function private.tracker_topic(p_token_hash bytea) returns text
language sql immutable
set search_path = ''
as $$ select 'tracker:' || encode(sha256(p_token_hash), 'hex') $$;
revoke all on function private.tracker_topic(bytea) from public, anon, authenticated;

-- What each waiting visit's tracker shows of this queue now (the place in line exactly as get_visit_status counts
-- it: same doctor's pool, by priority class, order key, tiebreak, ticket, id — order_tiebreak and order_key are
-- NOT NULL, so the window's rank is 1 + the number ahead), sent to the visits whose state differs from the last
-- one pushed. Returns how many were sent.
create function private.push_tracker_states(p_queue public.queues) returns integer
language plpgsql volatile
security definer
set search_path = ''
as $$
declare
  v_n integer := 0;
  r record;
begin
  for r in
    with line as (
      select e.id, e.tracking_token_hash, e.practitioner_id, e.arrive_by, e.running_late_at, e.called_room,
             row_number() over (
               partition by e.practitioner_id
               order by array_position(array['emergency', 'urgent', 'normal'], e.priority::text),
                        e.order_key, e.order_tiebreak, e.ticket_number, e.id) as pos
        from public.queue_entries e
       where e.queue_id = p_queue.id and e.status = 'waiting'),
    st as (
      select l.id, l.tracking_token_hash,
             jsonb_build_object(
               'position', l.pos,
               'estimate', (select jsonb_build_object('display', j -> 'display')
                              from private.entry_estimate_json(l.id) j where j is not null),
               'desk_paused', coalesce(l.practitioner_id = any (p_queue.paused_practitioner_ids), false),
               'intake_closed', p_queue.intake_closed_at is not null,
               'arrive_by', l.arrive_by,
               'late', l.running_late_at is not null,
               -- as get_visit_status / get_visit_live: the doctor's room and public name (a transfer changes them)
               'room', coalesce(l.called_room, m.room),
               'doctor_name', case when m.clinic_id = p_queue.clinic_id
                                   then private.public_person_name(m.display_name) end) as state
        from line l
        left join public.clinic_members m on m.id = l.practitioner_id
       -- ranked among every waiting visit of the pool (above), pushed only to those with a link
       where l.tracking_token_hash is not null)
    select st.id, st.tracking_token_hash, st.state
      from st left join private.tracker_pushes p on p.entry_id = st.id
     where p.state is distinct from st.state
  loop
    insert into private.tracker_pushes (entry_id, state) values (r.id, r.state)
    on conflict (entry_id) do update set state = excluded.state;
    perform realtime.send(
      r.state || jsonb_build_object('status', 'waiting', 'queue_version', p_queue.version),
      'visit', private.tracker_topic(r.tracking_token_hash), false);
    v_n := v_n + 1;
  end loop;
  return v_n;
end
$$;
revoke all on function private.push_tracker_states(public.queues) from public, anon, authenticated;

create or replace function public.store_queue_estimates(
  p_clinic_id uuid,
  p_day date,
  p_version integer,
  p_estimates jsonb,
  p_accuracy jsonb default null,
  p_as_of timestamptz default null
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
  v_changed boolean;
  v_new_version boolean;
  v_m numeric;
  v_l numeric;
  v_h numeric;
  v_step numeric;
  v_dm numeric;
  v_dl numeric;
  v_dh numeric;
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
  -- skew22: the instant the caller computed for (the desk's clock, the job's database now). A clock more than
  -- 30 s from the database's stores figures that disagree with the tick's: nothing is written, the tick's stand
  -- rt24 (review23 L4): without p_as_of only the service role (the server tick, the database's clock) is trusted;
  -- a staff member's call that leaves it out is as stale as a skewed one
  if (p_as_of is null and not private.is_service())
     or abs(extract(epoch from (p_as_of - private.now()))) > 30 then
    return jsonb_build_object('stored', 0, 'stale', true, 'skewed', true);
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
    -- the display is what WaitTime.roundForDisplay makes of minutes/low/high (0.01 of the client's rounding)
    v_m := (v_el ->> 'minutes')::numeric;
    v_l := (v_el ->> 'low')::numeric;
    v_h := (v_el ->> 'high')::numeric;
    if v_m < v_l or v_m > v_h then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'low ≤ minutes ≤ high');
    end if;
    if v_kind = 'unknown' and (v_m <> 0 or v_l <> 0 or v_h <> 0) then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'a wait not known has minutes, low and high 0');
    end if;
    if v_kind = 'soon' and v_h > 5.01 then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'display "soon" only for a wait of at most 5 minutes');
    end if;
    if v_kind = 'minutes' then
      v_step := case when v_m < 60 then 5 when v_m < 120 then 10 else 15 end;
      v_dm := (v_el -> 'display' ->> 'minutes')::numeric;
      v_dl := (v_el -> 'display' ->> 'low')::numeric;
      v_dh := (v_el -> 'display' ->> 'high')::numeric;
      if v_h <= 4.99
         or not (v_dl <= v_dm and v_dm <= v_dh and v_dl < v_dh)
         or v_dm % 5 <> 0 or v_dl % 5 <> 0 or v_dh % 5 <> 0
         or abs(v_dm - v_m) > v_step + 0.01
         or v_dl > v_l + 0.01 or v_dl < v_l - v_step - 0.01
         or v_dh < v_h - 0.01 or v_dh > v_h + 2 * v_step + 0.01 then
        perform private.raise_error(422, 'VALIDATION.FAILED',
          'display must be the rounding of minutes, low, high (low ≤ minutes ≤ high, within a step)');
      end if;
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

  -- p_accuracy (the staff browser's replay figures) is checked above and otherwise ignored: the tracker's
  -- "± N min" is the database's own figure (private.clinic_accuracy_minutes), est22

  -- what the patients in line would be shown differs from what is stored for them (a visit listed with another
  -- display, a visit listed that has none, a visit in line stored that is no longer listed)
  v_changed := exists (
      (select (el ->> 'entry_id')::uuid, el -> 'display' ->> 'kind',
              round((el -> 'display' ->> 'minutes')::numeric)::integer,
              round((el -> 'display' ->> 'low')::numeric)::integer,
              round((el -> 'display' ->> 'high')::numeric)::integer
         from jsonb_array_elements(p_estimates) as x(el)
       except
       select s.entry_id, s.display_kind, s.display_minutes, s.display_low, s.display_high
         from public.queue_entry_estimates s
         join public.queue_entries e on e.id = s.entry_id
        where s.queue_id = v_queue.id and e.status in ('waiting', 'scheduled', 'absent'))
      union all
      (select s.entry_id, s.display_kind, s.display_minutes, s.display_low, s.display_high
         from public.queue_entry_estimates s
         join public.queue_entries e on e.id = s.entry_id
        where s.queue_id = v_queue.id and e.status in ('waiting', 'scheduled', 'absent')
       except
       select (el ->> 'entry_id')::uuid, el -> 'display' ->> 'kind',
              round((el -> 'display' ->> 'minutes')::numeric)::integer,
              round((el -> 'display' ->> 'low')::numeric)::integer,
              round((el -> 'display' ->> 'high')::numeric)::integer
         from jsonb_array_elements(p_estimates) as x(el)));
  v_new_version := not exists (select 1 from public.queue_entry_estimates s
                                where s.queue_id = v_queue.id and s.queue_version = p_version);

  -- stale: the queue has moved on, a newer version is stored, or this version was stored less than a
  -- minute ago (another desk, or the server job, did it) AND this computation shows every patient in line the
  -- same as the stored one. A version stored a minute ago or more is replaced: minutes count from computed_at,
  -- so time passing alone needs fresh figures (the server job's periodic tick). A fresh computation that
  -- changes what a patient is shown (time moved an estimate across a display step) replaces the stored one at
  -- once, even within the minute: the desk and the patient's phone never disagree until the next tick
  -- (flake22). Identical displays within the minute stay "stale": no write.
  if p_version <> v_queue.version
     or exists (select 1 from public.queue_entry_estimates s
                 where s.queue_id = v_queue.id and s.queue_version > p_version)
     or (not v_changed
         and exists (select 1 from public.queue_entry_estimates s
                      where s.queue_id = v_queue.id and s.queue_version = p_version
                        and s.computed_at > private.now() - interval '1 minute')) then
    return jsonb_build_object('stored', 0, 'stale', true);
  end if;

  -- a list that leaves out a visit waiting in this version would wipe its estimate: the desk and the server job
  -- send one per waiting visit ('unknown' where nobody will call it), so a shorter list is refused (est22)
  if exists (select 1 from public.queue_entries e
              where e.queue_id = v_queue.id and e.status = 'waiting' and not (e.id = any (v_ids))) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'the estimates must list every waiting visit');
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
  -- wakes the screens that follow the queue (the tracker: realtime on public.queues, a same-version row with a
  -- new updated_at re-reads its estimate) — only when what a patient is shown changed or the version's first
  -- estimates arrived: a minute's refresh with the same displays (the server tick) wakes no phone. The version is
  -- unchanged, so staff screens that hold this version do not reload
  if v_changed or v_new_version then
    -- always forward, even when private.now() stands still (a pinned clock): a phone compares it to the last one
    update public.queues set updated_at = greatest(private.now(), updated_at + interval '1 microsecond')
     where id = v_queue.id;
    -- trk25: each visit whose tracker would show something else gets it pushed (no read on the phone)
    perform private.push_tracker_states(v_queue);
  end if;
  return jsonb_build_object('stored', v_n, 'stale', false);
end
$$;

revoke execute on function public.store_queue_estimates(uuid, date, integer, jsonb, jsonb, timestamptz)
  from public, anon, authenticated;
grant execute on function public.store_queue_estimates(uuid, date, integer, jsonb, jsonb, timestamptz)
  to authenticated, service_role;
