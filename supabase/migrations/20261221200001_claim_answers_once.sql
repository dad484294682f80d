-- storm21 (issue 12: a busy queue's cycle). claim_turn_and_load checked everything a command's load needs and
-- then called public.get_queue, which checked it all again: require_staff, the clinic, today, the day's text
-- parsed back into a date, an `insert … on conflict do nothing` of a queue row that exists, the grace sweep,
-- the command id, and the queue row once more (docs/operations.md "Where a busy queue's time goes"). And its
-- claim, public.claim_queue_turn, looked the queue up and asked require_staff a third time. All of it inside
-- the hold, under the queue row's FOR SHARE that the next save's FOR UPDATE waits on.
--
-- Now each is asked once per call:
--   * private.queue_active_answer builds get_queue's active answer (the one a command loads) from the queue and
--     clinic rows the caller already holds. get_queue's active branch and claim_turn_and_load both return it,
--     so the two answers cannot drift apart. The 'day' scope and an already applied command keep calling
--     get_queue (neither is on a contended command's path).
--   * private.take_queue_turn is claim_queue_turn's claim, after its checks; public.claim_queue_turn checks
--     (as before) and takes it; claim_turn_and_load, which has made those checks, takes it directly.
-- Kept in claim_turn_and_load: p_scope and p_entry_ids are validated (before the claim now, so a malformed call
-- claims nothing), and a queue day more than a year from the clinic's today is refused as get_queue refuses it.
-- Bodies from their newest definitions: get_queue 20261220200001, claim_turn_and_load and claim_queue_turn
-- 20261217400001.

create function private.queue_active_answer(
  p_queue_id uuid,
  p_clinic public.clinics,
  p_applied jsonb,
  p_entry_ids uuid[],
  p_since_queue_id uuid,
  p_since_version integer)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_queue public.queues;
  v_counts jsonb;
  v_delta boolean;
begin
  -- the queue row as it is now (the caller's grace sweep may have moved its version)
  select * into v_queue from public.queues where id = p_queue_id;
  select jsonb_build_object('walk_ins', c.walk_ins, 'last_ticket', c.last_ticket, 'entries', c.entries,
                            'completed', c.completed, 'no_shows', c.no_shows, 'cancelled', c.cancelled)
    into v_counts
    from private.queue_day_counts c where c.queue_id = v_queue.id;
  -- a delta answer only for the caller's own view of THIS queue day, at a version it could have seen
  v_delta := p_since_queue_id is not null and p_since_queue_id = v_queue.id
             and p_since_version is not null and p_since_version between 0 and v_queue.version;
  return jsonb_build_object(
    'queue', to_jsonb(v_queue),
    'clinic', jsonb_build_object('id', p_clinic.id, 'name', p_clinic.name, 'slug', p_clinic.slug,
                                 'time_zone', p_clinic.time_zone, 'default_language', p_clinic.default_language,
                                 'ticket_prefix', p_clinic.ticket_prefix),
    'settings', private.effective_settings(p_clinic.settings),
    'entries', case when v_delta
                    then private.queue_changed_entries(v_queue.id, p_since_version, p_entry_ids)
                    else private.queue_active_entries(v_queue.id, p_clinic.ticket_prefix, p_entry_ids) end,
    'delta_since', case when v_delta then p_since_version end,
    'active_count', (select count(*) from public.queue_entries a
                      where a.queue_id = v_queue.id
                        and a.status in ('scheduled', 'waiting', 'called', 'in_service', 'absent')),
    'members', coalesce((
      select jsonb_agg(jsonb_build_object('id', m.id, 'user_id', m.user_id, 'role', m.role,
                                          'display_name', m.display_name, 'room', m.room, 'active', m.active)
                       order by m.display_name)
      from public.clinic_members m where m.clinic_id = p_clinic.id), '[]'::jsonb),
    'appointment_types', coalesce((
      select jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name, 'duration_minutes', t.duration_minutes,
                                          'active', t.active, 'color', t.color, 'names', t.names) order by t.name)
      from public.appointment_types t where t.clinic_id = p_clinic.id), '[]'::jsonb),
    'applied_command', p_applied,
    'day_counts', coalesce(v_counts, jsonb_build_object('walk_ins', 0, 'last_ticket', 0, 'entries', 0,
                                                        'completed', 0, 'no_shows', 0, 'cancelled', 0)));
end
$$;

revoke all on function private.queue_active_answer(uuid, public.clinics, jsonb, uuid[], uuid, integer) from public;
revoke all on function private.queue_active_answer(uuid, public.clinics, jsonb, uuid[], uuid, integer) from anon, authenticated;

-- public.get_queue: as in 20261220200001, its active answer from private.queue_active_answer.
create or replace function public.get_queue(
  p_clinic_id uuid,
  p_day text default null,
  p_command_id uuid default null,
  p_scope text default 'day',
  p_entry_ids uuid[] default null,
  p_since_queue_id uuid default null,
  p_since_version integer default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_queue public.queues;
  v_today date;
  v_day date;
  v_applied jsonb;
begin
  perform private.require_staff(p_clinic_id);
  if p_scope is null or p_scope not in ('day', 'active') then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_scope must be day or active');
  end if;
  if p_entry_ids is not null and cardinality(p_entry_ids) > 100 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'at most 100 p_entry_ids');
  end if;
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  v_today := private.clinic_today(v_clinic.time_zone);
  if p_day is null then
    v_day := v_today;
  else
    if p_day !~ '^\d{4}-\d{2}-\d{2}$' then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'p_day must be a date YYYY-MM-DD');
    end if;
    begin
      v_day := to_date(p_day, 'YYYY-MM-DD');
    exception when others then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'p_day must be a date YYYY-MM-DD');
    end;
    if to_char(v_day, 'YYYY-MM-DD') <> p_day or v_day not between v_today - 366 and v_today + 366 then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'p_day must be a real date within a year of today');
    end if;
  end if;
  -- a read never waits behind a save: no FOR UPDATE unless there is an expiry to write
  insert into public.queues (clinic_id, day) values (p_clinic_id, v_day) on conflict (clinic_id, day) do nothing;
  select * into v_queue from public.queues where clinic_id = p_clinic_id and day = v_day;
  if exists (select 1 from public.queue_entries e
              where e.queue_id = v_queue.id and e.status = 'absent' and e.grace_ends_at <= private.now()) then
    perform 1 from public.queues where id = v_queue.id for update;
    perform private.expire_grace(v_queue.id);
  end if;
  if p_command_id is not null then
    select jsonb_build_object('id', c.command_id, 'version', c.version, 'applied_at', c.applied_at)
      into v_applied
      from public.queue_commands c where c.queue_id = v_queue.id and c.command_id = p_command_id;
  end if;
  if p_scope = 'day' then
    return private.queue_snapshot(v_queue.id) || jsonb_build_object('applied_command', v_applied);
  end if;
  return private.queue_active_answer(v_queue.id, v_clinic, v_applied, p_entry_ids, p_since_queue_id,
                                     p_since_version);
end
$$;

-- claim_queue_turn's claim, after its checks (the caller has made them: the queue exists, the caller is its
-- clinic's staff). Body as in 20261217400001 from the FOR SHARE on.
create function private.take_queue_turn(p_queue_id uuid, p_command_id uuid, p_clinic_id uuid)
returns integer
language plpgsql
set search_path = ''
as $function$
declare
  v_version integer;
  v_seq bigint;
  v_lapsed bigint;
begin
  -- after any save in flight: the version recorded is the one the claimant's next load will read
  select version into v_version from public.queues where id = p_queue_id for share;
  -- the claimant's own lapsed claim (its lease ran out and it was swept): it comes back at its old place, and
  -- that changes the line — the release counter first (lock order above), then the lapse
  if exists (select 1 from private.queue_turn_lapses l
              where l.queue_id = p_queue_id and l.command_id = p_command_id
                and l.actor_id is not distinct from auth.uid()
                and l.expired_at + private.queue_turn_lifetime() > private.now()) then
    perform private.lock_turn_releases(p_queue_id, p_clinic_id);
  end if;
  delete from private.queue_turn_lapses l
   where l.queue_id = p_queue_id and l.command_id = p_command_id
     and l.actor_id is not distinct from auth.uid()
     and l.expired_at + private.queue_turn_lifetime() > private.now()
  returning l.seq into v_lapsed;
  if v_lapsed is not null then
    insert into private.queue_turns as t (queue_id, command_id, seq, actor_id, seen_version, expires_at)
    overriding system value
    values (p_queue_id, p_command_id, v_lapsed, auth.uid(), v_version,
            private.now() + private.queue_turn_lifetime())
    on conflict (queue_id, command_id) do update
       set expires_at = excluded.expires_at, seen_version = excluded.seen_version
     where t.actor_id is not distinct from excluded.actor_id
    returning seq into v_seq;
    if v_seq is not null then
      -- one change of the line, as a release writes it: the waiters behind re-aim (session 18)
      perform private.count_turn_releases(p_queue_id, p_clinic_id, 1);
    end if;
  else
    insert into private.queue_turns as t (queue_id, command_id, actor_id, seen_version, expires_at)
    values (p_queue_id, p_command_id, auth.uid(), v_version, private.now() + private.queue_turn_lifetime())
    on conflict (queue_id, command_id) do update
       set expires_at = excluded.expires_at, seen_version = excluded.seen_version
     where t.actor_id is not distinct from excluded.actor_id
    returning seq into v_seq;
  end if;
  if v_seq is null then
    -- the command id is claimed by another staff member: not this caller's claim to refresh
    perform private.raise_error(409, 'QUEUE.VERSION_CONFLICT', 'this command id is claimed by someone else');
  end if;
  return (select count(*)::integer from private.queue_turns t
           where t.queue_id = p_queue_id and t.seq < v_seq and t.expires_at > private.now());
end
$function$;

revoke all on function private.take_queue_turn(uuid, uuid, uuid) from public;
revoke all on function private.take_queue_turn(uuid, uuid, uuid) from anon, authenticated;

-- public.claim_queue_turn: as in 20261217400001 (its checks), the claim in private.take_queue_turn.
create or replace function public.claim_queue_turn(p_queue_id uuid, p_command_id uuid)
returns integer
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_clinic uuid;
begin
  if p_queue_id is null or p_command_id is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_queue_id and p_command_id are required');
  end if;
  select clinic_id into v_clinic from public.queues where id = p_queue_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'queue not found');
  end if;
  perform private.require_staff(v_clinic);
  return private.take_queue_turn(p_queue_id, p_command_id, v_clinic);
end
$function$;

-- public.claim_turn_and_load: as in 20261217400001, each check made once (above).
create or replace function public.claim_turn_and_load(
  p_queue_id uuid,
  p_command_id uuid,
  p_scope text default 'active',
  p_entry_ids uuid[] default null,
  p_since_queue_id uuid default null,
  p_since_version integer default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_queue public.queues;
  v_clinic public.clinics;
  v_today date;
  v_ahead integer;
  v_seen integer;
  v_seq bigint;
  v_swept integer;
  v_releases integer;
  v_head_ms integer;
  v_lease_ms integer := private.queue_turn_lease_ms();
begin
  if p_queue_id is null or p_command_id is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_queue_id and p_command_id are required');
  end if;
  select * into v_queue from public.queues where id = p_queue_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'queue not found');
  end if;
  perform private.require_staff(v_queue.clinic_id);
  -- what get_queue refused (it was called at the end): refused before anything is claimed
  if p_scope is null or p_scope not in ('day', 'active') then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_scope must be day or active');
  end if;
  if p_entry_ids is not null and cardinality(p_entry_ids) > 100 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'at most 100 p_entry_ids');
  end if;
  select * into v_clinic from public.clinics where id = v_queue.clinic_id;
  v_today := private.clinic_today(v_clinic.time_zone);
  if v_queue.day not between v_today - 366 and v_today + 366 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_day must be a real date within a year of today');
  end if;
  if exists (select 1 from public.queue_entries e
              where e.queue_id = p_queue_id and e.status = 'absent' and e.grace_ends_at <= private.now()) then
    perform 1 from public.queues where id = p_queue_id for update;
    perform private.expire_grace(p_queue_id);
  end if;
  -- the queue row before the turn claims, as save_queue_step (FOR UPDATE) does: no lock-order deadlock
  perform 1 from public.queues where id = p_queue_id for share;
  -- claims whose lease ran out ended without a save: swept here and counted, so the command now first in
  -- line checks again at once (the caller's own expired claim too: its claim below starts afresh); the
  -- counter is locked before the sweep (lock order above)
  if exists (select 1 from private.queue_turns t
              where t.queue_id = p_queue_id and t.expires_at <= private.now()) then
    perform private.lock_turn_releases(p_queue_id, v_queue.clinic_id);
    delete from private.queue_turns t
     where t.queue_id = p_queue_id and t.expires_at <= private.now();
    get diagnostics v_swept = row_count;
    if v_swept > 0 then
      perform private.count_turn_releases(p_queue_id, v_queue.clinic_id, v_swept);
    end if;
  end if;
  -- a command this queue day already applied waits in no line: the answer says so (applied_command), no claim
  if exists (select 1 from public.queue_commands c where c.queue_id = p_queue_id and c.command_id = p_command_id) then
    return public.get_queue(v_queue.clinic_id, to_char(v_queue.day, 'YYYY-MM-DD'), p_command_id, p_scope,
                            p_entry_ids, p_since_queue_id, p_since_version)
           || jsonb_build_object('turn_ahead', 0,
                                 'seen_version', (select q.version from public.queues q where q.id = p_queue_id),
                                 'turn_releases', private.turn_releases(p_queue_id),
                                 'turn_lease_ms', v_lease_ms);
  end if;
  -- the count BEFORE the claim (an earlier snapshot): a release committed between the two is above it, so it
  -- wakes this waiter (at worst one check too many) instead of being counted both ahead and as seen
  v_releases := private.turn_releases(p_queue_id);
  v_ahead := private.take_queue_turn(p_queue_id, p_command_id, v_queue.clinic_id);
  -- the caller's place marker in a release's line: its claim's token, never the global arrival number
  select t.seen_version, private.queue_turn_token(t.queue_id, t.command_id) into v_seen, v_seq
    from private.queue_turns t
   where t.queue_id = p_queue_id and t.command_id = p_command_id;
  if v_ahead > 0 then
    -- how long the claim whose turn it is may still hold it (a dead tab's claim ends then)
    select greatest(0, ceil(extract(epoch from (t.expires_at - private.now())) * 1000))::integer into v_head_ms
      from private.queue_turns t
     where t.queue_id = p_queue_id and t.expires_at > private.now()
     order by t.seq limit 1;
    return jsonb_build_object('turn_ahead', v_ahead, 'seen_version', v_seen, 'turn_releases', v_releases,
                              'turn_seq', v_seq, 'turn_head_ms', v_head_ms, 'turn_lease_ms', v_lease_ms);
  end if;
  if p_scope = 'day' then
    return public.get_queue(v_queue.clinic_id, to_char(v_queue.day, 'YYYY-MM-DD'), p_command_id, p_scope,
                            p_entry_ids, p_since_queue_id, p_since_version)
           || jsonb_build_object('turn_ahead', 0, 'seen_version', v_seen, 'turn_releases', v_releases,
                                 'turn_seq', v_seq, 'turn_lease_ms', v_lease_ms);
  end if;
  -- the command's load: get_queue's active answer, from the rows checked above (applied_command: none, above)
  return private.queue_active_answer(p_queue_id, v_clinic, null, p_entry_ids, p_since_queue_id, p_since_version)
         || jsonb_build_object('turn_ahead', 0, 'seen_version', v_seen, 'turn_releases', v_releases,
                               'turn_seq', v_seq, 'turn_lease_ms', v_lease_ms);
end
$$;

-- The two builders of a command's load (its entries in full, or only those changed since the caller's version)
-- were `language sql` with a pinned search_path: never inlined, so PostgreSQL planned their ~30-key
-- jsonb_build_object over a join again on every call (the session-20 finding for the hot checks, see
-- hotChecksPlpgsql.test). Measured on this shared machine at load ≈ 20, 300 waiting entries: a delta with no
-- changed row took ≈ 44 ms, most of a turn check's ≈ 60 ms. As PL/pgSQL their plan is prepared once per
-- connection. Bodies unchanged: queue_active_entries from 20261206200001, queue_changed_entries from
-- 20261210100001.

create or replace function private.queue_active_entries(p_queue_id uuid, p_prefix text, p_entry_ids uuid[])
returns jsonb
language plpgsql stable
set search_path = ''
as $$
begin
  return (select coalesce(jsonb_agg(jsonb_build_object(
           'id', e.id,
           'patient_id', e.patient_id,
           'practitioner_id', e.practitioner_id,
           'appointment_type_id', e.appointment_type_id,
           'kind', e.kind,
           'status', e.status,
           'priority', e.priority,
           'ticket_number', e.ticket_number,
           'order_key', e.order_key::text,
           'order_tiebreak', e.order_tiebreak,
           'skip_count', e.skip_count,
           'slot_start', e.slot_start,
           'running_late_at', e.running_late_at,
           'running_late_minutes', e.running_late_minutes,
           'late_turn_at', e.late_turn_at,
           'checked_in_at', e.checked_in_at,
           'called_at', e.called_at,
           'started_at', e.started_at,
           'finished_at', e.finished_at,
           'absent_at', e.absent_at,
           'grace_ends_at', e.grace_ends_at,
           'no_show_at', e.no_show_at,
           'cancelled_at', e.cancelled_at,
           'called_room', e.called_room,
           'served_by', e.served_by,
           'reactivations', e.reactivations,
           'expected_duration_minutes', e.expected_duration_minutes,
           'appointment_id', e.appointment_id,
           'patient', jsonb_build_object('full_name', p.full_name))
         order by e.ticket_number), '[]'::jsonb)
    from public.queue_entries e
    join public.patients p on p.id = e.patient_id
   where e.queue_id = p_queue_id
     and (e.status in ('scheduled', 'waiting', 'called', 'in_service', 'absent')
          or e.id = any (coalesce(p_entry_ids, '{}'::uuid[]))));
end
$$;

create or replace function private.queue_changed_entries(p_queue_id uuid, p_since integer, p_entry_ids uuid[])
returns jsonb
language plpgsql stable
set search_path = ''
as $$
begin
  return (select coalesce(jsonb_agg(jsonb_build_object(
           'id', e.id,
           'patient_id', e.patient_id,
           'practitioner_id', e.practitioner_id,
           'appointment_type_id', e.appointment_type_id,
           'kind', e.kind,
           'status', e.status,
           'priority', e.priority,
           'ticket_number', e.ticket_number,
           'order_key', e.order_key::text,
           'order_tiebreak', e.order_tiebreak,
           'skip_count', e.skip_count,
           'slot_start', e.slot_start,
           'running_late_at', e.running_late_at,
           'running_late_minutes', e.running_late_minutes,
           'late_turn_at', e.late_turn_at,
           'checked_in_at', e.checked_in_at,
           'called_at', e.called_at,
           'started_at', e.started_at,
           'finished_at', e.finished_at,
           'absent_at', e.absent_at,
           'grace_ends_at', e.grace_ends_at,
           'no_show_at', e.no_show_at,
           'cancelled_at', e.cancelled_at,
           'called_room', e.called_room,
           'served_by', e.served_by,
           'reactivations', e.reactivations,
           'expected_duration_minutes', e.expected_duration_minutes,
           'appointment_id', e.appointment_id,
           'patient', jsonb_build_object('full_name', p.full_name))
         order by e.ticket_number), '[]'::jsonb)
    from public.queue_entries e
    join public.patients p on p.id = e.patient_id
   where e.queue_id = p_queue_id
     and (e.queue_version >= p_since
          or e.id = any (coalesce(p_entry_ids, '{}'::uuid[]))));
end
$$;
