-- Issue 12, "no give-ups": a fair turn order among the desks that keep losing a version race on a queue day.
--
-- Before: every version-conflict round was a fresh lottery among the k desks that had loaded the same
-- version, so one desk could lose 10 rounds in a row (≈ ((k−1)/k)^10) and give up.
-- Now a command that lost TWICE registers a claim (public.claim_queue_turn; the first attempt and the first
-- retry never claim, so the uncontended path is one load and one save, as before). Claims are kept in
-- arrival order. The oldest live claim is "the turn"; each claim call records the queue version it saw
-- (seen_version). While the turn's claimant has claimed AT THE CURRENT VERSION, save_queue_step refuses every
-- other save with the usual retryable 409 QUEUE.VERSION_CONFLICT (hint: "turn of an earlier command") and
-- writes nothing; so the claimant's load and save right after its claim cannot lose. Once the queue has
-- moved past the version the turn was claimed at (its claimant was served, or another writer such as a
-- check-in moved it), nobody is held back until the claimant claims again: the queue is held only for the
-- length of one load + save of the desk whose turn it is, never while it is waking up, so desks that did not
-- conflict keep saving in the gaps (reliable6 held every save while any claim was live: every busy desk
-- queued behind strictly one-at-a-time turns, command p95 20 s).
--   * A claim lives CLAIM_LIFETIME (10 s) past its last refresh (each claim_queue_turn call refreshes it),
--     by private.now(): a closed tab or a crashed client holds its queue for at most that long.
--   * claim_queue_turn reads the version under FOR SHARE, so a save in flight commits before the claim
--     records what it saw (no claim "at v" recorded while the queue is already being moved to v+1).
--   * A command that ends without saving (refused by the rules, already applied, gave up) releases its claim
--     (public.release_queue_turn); an expired one is swept by the next successful save.
--   * Callers that never conflict: when the queue has no live claim, save_queue_step behaves exactly as
--     before (same contract, checks, audit, RLS).
--   * Claims are private: staff of the queue's clinic only (private.require_staff), table not exposed.
--   * (This file was reliable6's 20261204200001_queue_turns.sql, never on main; renamed to sort after main's
--     migrations and given the version-pinned turn.)

create table private.queue_turns (
  queue_id uuid not null references public.queues (id) on delete cascade,
  command_id uuid not null,
  -- order of arrival (ties of private.now() within one instant are broken by arrival)
  seq bigint generated always as identity,
  actor_id uuid,
  -- the queue version at the claimant's last claim call: the turn holds the queue only at this version
  seen_version integer not null,
  created_at timestamptz not null default private.now(),
  expires_at timestamptz not null,
  primary key (queue_id, command_id)
);
create index queue_turns_order on private.queue_turns (queue_id, seq);
comment on table private.queue_turns is
  'Claims of commands that lost a version race on a queue day: save_queue_step serves the oldest live one first (issue 12).';
revoke all on private.queue_turns from public, anon, authenticated;

-- How long a claim stays live after its last refresh.
create function private.queue_turn_lifetime() returns interval
language sql immutable set search_path = '' as $$ select interval '10 seconds' $$;

-- The command whose turn it is on a queue (its oldest live claim) when it claimed at version p_version
-- (the queue's current one), else null: nobody holds the queue.
create function private.queue_turn_holder(p_queue_id uuid, p_version integer) returns uuid
language sql stable security definer set search_path = '' as $$
  select h.command_id from (
    select t.command_id, t.seen_version from private.queue_turns t
     where t.queue_id = p_queue_id and t.expires_at > private.now()
     order by t.seq limit 1) h
   where h.seen_version = p_version
$$;

-- Registers (or refreshes) the claim of a command on a queue day, records the version it saw, and answers
-- how many live claims are ahead of it (0 = its turn: nobody else can save at this version until it saves,
-- claims again or its claim expires).
create function public.claim_queue_turn(p_queue_id uuid, p_command_id uuid)
returns integer
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_clinic uuid;
  v_version integer;
  v_seq bigint;
begin
  if p_queue_id is null or p_command_id is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_queue_id and p_command_id are required');
  end if;
  select clinic_id into v_clinic from public.queues where id = p_queue_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'queue not found');
  end if;
  perform private.require_staff(v_clinic);
  -- after any save in flight: the version recorded is the one the claimant's next load will read
  select version into v_version from public.queues where id = p_queue_id for share;
  insert into private.queue_turns as t (queue_id, command_id, actor_id, seen_version, expires_at)
  values (p_queue_id, p_command_id, auth.uid(), v_version, private.now() + private.queue_turn_lifetime())
  on conflict (queue_id, command_id) do update
     set expires_at = excluded.expires_at, seen_version = excluded.seen_version
   where t.actor_id is not distinct from excluded.actor_id
  returning seq into v_seq;
  if v_seq is null then
    -- the command id is claimed by another staff member: not this caller's claim to refresh
    perform private.raise_error(409, 'QUEUE.VERSION_CONFLICT', 'this command id is claimed by someone else');
  end if;
  return (select count(*)::integer from private.queue_turns t
           where t.queue_id = p_queue_id and t.seq < v_seq and t.expires_at > private.now());
end
$function$;

-- Gives up a command's claim (it ended without saving). Only the claimant's own claim is removed.
create function public.release_queue_turn(p_queue_id uuid, p_command_id uuid)
returns void
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
  delete from private.queue_turns t
   where t.queue_id = p_queue_id and t.command_id = p_command_id
     and t.actor_id is not distinct from auth.uid();
end
$function$;

revoke all on function private.queue_turn_lifetime() from public;
revoke all on function private.queue_turn_holder(uuid, integer) from public, anon, authenticated;
revoke all on function public.claim_queue_turn(uuid, uuid) from public, anon;
revoke all on function public.release_queue_turn(uuid, uuid) from public, anon;
grant execute on function private.queue_turn_lifetime() to authenticated, service_role;
grant execute on function private.queue_turn_holder(uuid, integer) to service_role;
grant execute on function public.claim_queue_turn(uuid, uuid) to authenticated, service_role;
grant execute on function public.release_queue_turn(uuid, uuid) to authenticated, service_role;

-- public.save_queue_step: as in 20261202100001 (its newest definition), plus the turn order above.
create or replace function public.save_queue_step(p_queue_id uuid, p_expected_version integer, p_entries jsonb, p_events jsonb, p_queue jsonb DEFAULT NULL::jsonb, p_command_id uuid DEFAULT NULL::uuid, p_patients jsonb DEFAULT NULL::jsonb)
returns integer
language plpgsql
security definer
set search_path = ''
as $function$
declare
  c_update_keys constant text[] := array[
    'id', 'status', 'priority', 'order_key', 'skip_count', 'practitioner_id', 'appointment_type_id',
    'running_late_at', 'checked_in_at', 'called_at', 'started_at', 'finished_at', 'absent_at',
    'grace_ends_at', 'returned_at', 'no_show_at', 'cancelled_at', 'called_room', 'call_reason',
    'priority_reason', 'cancel_reason', 'order_tiebreak', 'late_turn_at', 'served_by', 'reactivations',
    'expected_duration_minutes', 'appointment_id'];
  c_insert_keys constant text[] := c_update_keys || array['patient_id', 'kind', 'ticket_number', 'slot_start', 'slot_end'];
  v_queue public.queues;
  v_prefix text;
  e jsonb;
  ev jsonb;
  p jsonb;
  v_id uuid;
  v_existing public.queue_entries;
  v_ticket integer;
  v_bad text;
  v_version integer;
  v_applied integer;
  v_before jsonb;
  v_turn uuid;
begin
  if p_queue_id is null or p_expected_version is null or p_entries is null or p_events is null
     or jsonb_typeof(p_entries) <> 'array' or jsonb_typeof(p_events) <> 'array'
     or (p_queue is not null and jsonb_typeof(p_queue) <> 'object')
     or (p_patients is not null and jsonb_typeof(p_patients) <> 'array') then
    perform private.raise_error(422, 'VALIDATION.FAILED',
      'p_queue_id, p_expected_version, p_entries (array) and p_events (array) are required');
  end if;

  select * into v_queue from public.queues where id = p_queue_id for update;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'queue not found');
  end if;
  perform private.require_staff(v_queue.clinic_id);
  if p_command_id is not null then
    select c.version into v_applied from public.queue_commands c
     where c.queue_id = p_queue_id and c.command_id = p_command_id;
    if found then
      perform private.raise_error(409, 'QUEUE.COMMAND_ALREADY_APPLIED',
        format('command %s was applied at version %s', p_command_id, v_applied));
    end if;
  end if;
  if v_queue.version <> p_expected_version then
    perform private.raise_error(409, 'QUEUE.VERSION_CONFLICT',
      format('queue is at version %s, the step was computed from version %s', v_queue.version, p_expected_version));
  end if;
  -- fairness (issue 12): while the command whose turn it is holds this version, only it may save
  v_turn := private.queue_turn_holder(p_queue_id, v_queue.version);
  if v_turn is not null and v_turn is distinct from p_command_id then
    perform private.raise_error(409, 'QUEUE.VERSION_CONFLICT',
      'turn of an earlier command: a desk that lost a race is served first; reload and try again');
  end if;
  if v_queue.status = 'closed' and coalesce(p_queue ->> 'status', 'closed') <> 'open' then
    perform private.raise_error(409, 'QUEUE.CLOSED', 'the day is closed');
  end if;
  select ticket_prefix into v_prefix from public.clinics where id = v_queue.clinic_id;

  begin
    -- the touched entries as they were, for verify_step
    select coalesce(jsonb_object_agg(q.id::text, to_jsonb(q)), '{}'::jsonb) into v_before
      from public.queue_entries q
     where q.queue_id = p_queue_id
       and q.id in (select (x ->> 'id')::uuid from jsonb_array_elements(p_entries) x
                     where jsonb_typeof(x) = 'object' and x ? 'id');

    for p in select * from jsonb_array_elements(coalesce(p_patients, '[]'::jsonb)) loop
      if jsonb_typeof(p) <> 'object' or p ->> 'id' is null then
        perform private.raise_error(422, 'VALIDATION.FAILED', 'each patient needs an id');
      end if;
      select string_agg(k, ', ') into v_bad from jsonb_object_keys(p) k
       where k not in ('id', 'full_name', 'phone', 'preferred_language');
      if v_bad is not null then
        perform private.raise_error(422, 'VALIDATION.FAILED', 'patient columns not settable: ' || v_bad);
      end if;
      insert into public.patients (id, clinic_id, full_name, phone, preferred_language)
      values ((p ->> 'id')::uuid, v_queue.clinic_id, btrim(p ->> 'full_name'), p ->> 'phone',
              (p ->> 'preferred_language')::public.app_language);
    end loop;

    for e in select * from jsonb_array_elements(p_entries) loop
      if jsonb_typeof(e) <> 'object' or e ->> 'id' is null then
        perform private.raise_error(422, 'VALIDATION.FAILED', 'each entry needs an id');
      end if;
      v_id := (e ->> 'id')::uuid;
      select * into v_existing from public.queue_entries where id = v_id for update;
      if found then
        if v_existing.queue_id <> p_queue_id then
          perform private.raise_error(404, 'QUEUE.ENTRY_NOT_FOUND', 'entry is not in this queue');
        end if;
        select string_agg(k, ', ') into v_bad from jsonb_object_keys(e) k where k <> all (c_update_keys);
        if v_bad is not null then
          perform private.raise_error(422, 'VALIDATION.FAILED', 'columns not changeable: ' || v_bad);
        end if;
        update public.queue_entries q set
          status = case when e ? 'status' then (e ->> 'status')::public.entry_status else q.status end,
          priority = case when e ? 'priority' then (e ->> 'priority')::public.entry_priority else q.priority end,
          order_key = case when e ? 'order_key' then (e ->> 'order_key')::numeric else q.order_key end,
          skip_count = case when e ? 'skip_count' then (e ->> 'skip_count')::integer else q.skip_count end,
          practitioner_id = case when e ? 'practitioner_id' then (e ->> 'practitioner_id')::uuid else q.practitioner_id end,
          appointment_type_id = case when e ? 'appointment_type_id' then (e ->> 'appointment_type_id')::uuid else q.appointment_type_id end,
          running_late_at = case when e ? 'running_late_at' then (e ->> 'running_late_at')::timestamptz else q.running_late_at end,
          checked_in_at = case when e ? 'checked_in_at' then (e ->> 'checked_in_at')::timestamptz else q.checked_in_at end,
          called_at = case when e ? 'called_at' then (e ->> 'called_at')::timestamptz else q.called_at end,
          started_at = case when e ? 'started_at' then (e ->> 'started_at')::timestamptz else q.started_at end,
          finished_at = case when e ? 'finished_at' then (e ->> 'finished_at')::timestamptz else q.finished_at end,
          absent_at = case when e ? 'absent_at' then (e ->> 'absent_at')::timestamptz else q.absent_at end,
          grace_ends_at = case when e ? 'grace_ends_at' then (e ->> 'grace_ends_at')::timestamptz else q.grace_ends_at end,
          returned_at = case when e ? 'returned_at' then (e ->> 'returned_at')::timestamptz else q.returned_at end,
          no_show_at = case when e ? 'no_show_at' then (e ->> 'no_show_at')::timestamptz else q.no_show_at end,
          cancelled_at = case when e ? 'cancelled_at' then (e ->> 'cancelled_at')::timestamptz else q.cancelled_at end,
          called_room = case when e ? 'called_room' then e ->> 'called_room' else q.called_room end,
          call_reason = case when e ? 'call_reason' then e ->> 'call_reason' else q.call_reason end,
          priority_reason = case when e ? 'priority_reason' then e ->> 'priority_reason' else q.priority_reason end,
          cancel_reason = case when e ? 'cancel_reason' then e ->> 'cancel_reason' else q.cancel_reason end,
          order_tiebreak = case when e ? 'order_tiebreak' then coalesce((e ->> 'order_tiebreak')::numeric, q.ticket_number::numeric) else q.order_tiebreak end,
          late_turn_at = case when e ? 'late_turn_at' then (e ->> 'late_turn_at')::timestamptz else q.late_turn_at end,
          served_by = case when e ? 'served_by' then (e ->> 'served_by')::uuid else q.served_by end,
          reactivations = case when e ? 'reactivations' then (e ->> 'reactivations')::integer else q.reactivations end,
          expected_duration_minutes = case when e ? 'expected_duration_minutes' then (e ->> 'expected_duration_minutes')::integer else q.expected_duration_minutes end,
          appointment_id = case when e ? 'appointment_id' then (e ->> 'appointment_id')::uuid else q.appointment_id end
        where q.id = v_id;
      else
        select string_agg(k, ', ') into v_bad from jsonb_object_keys(e) k where k <> all (c_insert_keys);
        if v_bad is not null then
          perform private.raise_error(422, 'VALIDATION.FAILED', 'columns not settable: ' || v_bad);
        end if;
        if e ->> 'patient_id' is null or not exists (
             select 1 from public.patients p
             where p.id = (e ->> 'patient_id')::uuid and p.clinic_id = v_queue.clinic_id) then
          perform private.raise_error(404, 'NOT_FOUND', 'patient not found in this clinic');
        end if;
        v_ticket := coalesce((e ->> 'ticket_number')::integer, v_queue.next_ticket);
        insert into public.queue_entries (
          id, queue_id, clinic_id, patient_id, kind, status, priority, ticket_number, order_key, skip_count,
          practitioner_id, appointment_type_id, slot_start, slot_end, running_late_at, checked_in_at,
          called_at, started_at, finished_at, absent_at, grace_ends_at, returned_at, no_show_at, cancelled_at,
          called_room, call_reason, priority_reason, cancel_reason, order_tiebreak, late_turn_at, served_by,
          reactivations, expected_duration_minutes, appointment_id, created_by)
        values (
          v_id, p_queue_id, v_queue.clinic_id, (e ->> 'patient_id')::uuid,
          coalesce((e ->> 'kind')::public.entry_kind, 'walk_in'),
          coalesce((e ->> 'status')::public.entry_status, 'waiting'),
          coalesce((e ->> 'priority')::public.entry_priority, 'normal'),
          v_ticket,
          coalesce((e ->> 'order_key')::numeric, extract(epoch from private.now())::numeric),
          coalesce((e ->> 'skip_count')::integer, 0),
          (e ->> 'practitioner_id')::uuid, (e ->> 'appointment_type_id')::uuid,
          (e ->> 'slot_start')::timestamptz, (e ->> 'slot_end')::timestamptz,
          (e ->> 'running_late_at')::timestamptz,
          (e ->> 'checked_in_at')::timestamptz, (e ->> 'called_at')::timestamptz,
          (e ->> 'started_at')::timestamptz, (e ->> 'finished_at')::timestamptz,
          (e ->> 'absent_at')::timestamptz, (e ->> 'grace_ends_at')::timestamptz,
          (e ->> 'returned_at')::timestamptz, (e ->> 'no_show_at')::timestamptz,
          (e ->> 'cancelled_at')::timestamptz, e ->> 'called_room', e ->> 'call_reason',
          e ->> 'priority_reason', e ->> 'cancel_reason', (e ->> 'order_tiebreak')::numeric,
          (e ->> 'late_turn_at')::timestamptz, (e ->> 'served_by')::uuid,
          coalesce((e ->> 'reactivations')::integer, 0), (e ->> 'expected_duration_minutes')::integer,
          (e ->> 'appointment_id')::uuid, auth.uid());
        v_queue.next_ticket := greatest(v_queue.next_ticket, v_ticket + 1);
      end if;
    end loop;

    for ev in select * from jsonb_array_elements(p_events) loop
      if jsonb_typeof(ev) <> 'object' or ev ->> 'type' is null then
        perform private.raise_error(422, 'VALIDATION.FAILED', 'each event needs a type');
      end if;
      if ev ->> 'entry_id' is not null and not exists (
           select 1 from public.queue_entries x where x.id = (ev ->> 'entry_id')::uuid and x.queue_id = p_queue_id) then
        perform private.raise_error(404, 'QUEUE.ENTRY_NOT_FOUND', 'event entry is not in this queue');
      end if;
      insert into public.queue_events (queue_id, clinic_id, entry_id, type, payload, actor_id, correlation_id)
      values (p_queue_id, v_queue.clinic_id, (ev ->> 'entry_id')::uuid, ev ->> 'type',
              coalesce(ev -> 'payload', '{}'::jsonb), auth.uid(), (ev ->> 'correlation_id')::uuid);
    end loop;

    perform private.verify_step(p_queue_id, v_before, p_entries, p_events, p_queue);

    if p_queue is not null then
      select string_agg(k, ', ') into v_bad from jsonb_object_keys(p_queue) k where k not in ('status', 'summary');
      if v_bad is not null then
        perform private.raise_error(422, 'VALIDATION.FAILED', 'queue columns not changeable: ' || v_bad);
      end if;
      if p_queue ? 'status' then
        v_queue.status := (p_queue ->> 'status')::public.queue_status;
        v_queue.closed_at := case when v_queue.status = 'closed' then private.now() end;
      end if;
      if p_queue ? 'summary' then
        v_queue.summary := p_queue -> 'summary';
      end if;
    end if;
  exception
    when invalid_text_representation or invalid_datetime_format or datetime_field_overflow
      or numeric_value_out_of_range or invalid_parameter_value or not_null_violation or check_violation
      or foreign_key_violation or string_data_right_truncation or data_exception then
      perform private.raise_error(422, 'VALIDATION.FAILED', sqlerrm);
    when unique_violation then
      perform private.raise_error(409, 'QUEUE.DUPLICATE_ENTRY', sqlerrm);
  end;

  update public.queues
     set version = version + 1, next_ticket = v_queue.next_ticket, status = v_queue.status,
         closed_at = v_queue.closed_at, summary = v_queue.summary, updated_at = private.now()
   where id = p_queue_id
  returning version into v_version;
  if p_command_id is not null then
    insert into public.queue_commands (queue_id, command_id, version, actor_id)
    values (p_queue_id, p_command_id, v_version, auth.uid());
  end if;
  -- served: its claim ends; expired claims (closed tabs) are swept on the way
  delete from private.queue_turns t
   where t.queue_id = p_queue_id
     and (t.command_id = p_command_id or t.expires_at <= private.now());
  return v_version;
end
$function$;

