-- Issue 11, server-timed rules and a payload schema per event type (private.verify_step).
--
-- A step a browser sends through save_queue_step is checked against the rows it changed (verify_step, since
-- 20261201000200). Added here:
--   * GraceExpired is due by the database's clock: the grace that was running before the step ended at or
--     before private.now() — a browser with a fast clock (or a forged step) cannot turn an absent patient
--     into a no-show early. 422 QUEUE.GRACE_MISMATCH.
--   * A grace period that starts in a step (PatientMarkedAbsent) lasts the clinic's grace_period_minutes
--     from the absence (grace_ends_at = absent_at + grace). 422 QUEUE.GRACE_MISMATCH.
--   * Each client event's payload follows its type's schema (private.queue_event_payload_schema): the keys
--     the domain event has (src/services/queue/events/*Event.ts), each with its JSON type, no other key
--     (correlationId: the repository keeps a non-uuid correlation id there). The payload feeds the SMS
--     outbox and the audit log. 422 QUEUE.EVENT_PAYLOAD_INVALID.
-- A refused step changes nothing (save_queue_step runs verify_step before it bumps the version).
-- The grace sweep itself runs on the server (sweep_queues: pg_cron on Supabase, a timer in the local
-- stack); the dashboard no longer drives it.

-- { event type → { key → allowed jsonb_typeof values } }; a key ending in '?' is optional. One list with
-- the TS payload interfaces: supabase/tests/eventPayloads.test.ts checks every event the domain records.
create function private.queue_event_payload_schema() returns jsonb
language sql immutable
set search_path = ''
as $$
  select '{
    "DayEnded": {"summary": ["object"], "automatic": ["boolean"], "completedEntryIds": ["array"], "noShowEntryIds": ["array"]},
    "EmergencyInserted": {"ticket": ["string"], "practitionerId": ["string", "null"], "reason": ["string"]},
    "EntryCancelled": {"ticket": ["string"], "fromStatus": ["string"], "reason": ["string", "null"], "by?": ["string"], "via?": ["string"]},
    "EntryMoved": {"ticket": ["string"], "fromPosition": ["number"], "toPosition": ["number"], "fromPractitionerId": ["string", "null"], "toPractitionerId": ["string", "null"], "reason": ["string"]},
    "EntryScheduled": {"ticket": ["string"], "appointmentId": ["string", "null"], "slotAt": ["string", "null"], "practitionerId": ["string", "null"]},
    "GraceExpired": {"ticket": ["string"], "graceEndsAt": ["string"]},
    "LatePatientHeld": {"ticket": ["string"], "turnCameAt": ["string"], "holdUntil": ["string"], "calledEntryId": ["string"]},
    "NoShowReactivated": {"ticket": ["string"], "freshArrival": ["boolean"], "previousNoShowAt": ["string", "null"], "position": ["number"]},
    "PatientCalled": {"ticket": ["string"], "room": ["string", "null"], "practitionerId": ["string", "null"], "outOfOrder": ["boolean"], "reason": ["string", "null"]},
    "PatientCheckedIn": {"ticket": ["string"], "onTime": ["boolean"], "orderKey": ["number"], "position": ["number"]},
    "PatientMarkedAbsent": {"ticket": ["string"], "fromStatus": ["string"], "graceMinutes": ["number"], "graceEndsAt": ["string"], "room": ["string", "null"]},
    "PatientOvertaken": {"ticket": ["string"], "skipCount": ["number"], "overtakenByEntryId": ["string"], "position": ["number"], "reason": ["string"]},
    "PatientPassedOver": {"ticket": ["string"], "skipCount": ["number"], "calledEntryId": ["string"], "lateHoldOver": ["boolean"]},
    "PatientReturned": {"ticket": ["string"], "policy": ["string"], "offset": ["number"], "position": ["number"]},
    "PatientRunningLate": {"ticket": ["string"], "source": ["string"]},
    "PriorityChanged": {"ticket": ["string"], "from": ["string"], "to": ["string"], "reason": ["string"]},
    "ServiceFinished": {"ticket": ["string"], "practitionerId": ["string", "null"], "fromStatus": ["string"], "serviceMinutes": ["number", "null"], "automatic": ["string", "null"]},
    "ServiceStarted": {"ticket": ["string"], "practitionerId": ["string", "null"], "room": ["string", "null"]},
    "WalkInAdded": {"ticket": ["string"], "priority": ["string"], "practitionerId": ["string", "null"], "position": ["number"]}
  }'::jsonb
$$;

-- What is wrong with a payload for its type (null: nothing). A type without a schema has none to break.
create function private.queue_event_payload_problem(p_type text, p_payload jsonb) returns text
language plpgsql immutable
set search_path = ''
as $$
declare
  v_schema jsonb := private.queue_event_payload_schema() -> p_type;
  v_key text;
  v_types jsonb;
  v_name text;
  v_optional boolean;
begin
  if p_payload is null or jsonb_typeof(p_payload) <> 'object' then
    return 'the payload is not an object';
  end if;
  if v_schema is null then
    return null;
  end if;
  for v_key, v_types in select * from jsonb_each(v_schema) loop
    v_optional := right(v_key, 1) = '?';
    v_name := case when v_optional then left(v_key, -1) else v_key end;
    if not p_payload ? v_name then
      if not v_optional then
        return format('%s is required', v_name);
      end if;
    elsif not v_types ? jsonb_typeof(p_payload -> v_name) then
      return format('%s must be %s', v_name, (select string_agg(x, ' or ') from jsonb_array_elements_text(v_types) x));
    end if;
  end loop;
  select k into v_name from jsonb_object_keys(p_payload) k
   where k <> 'correlationId' and not v_schema ? k and not v_schema ? (k || '?')
   order by k limit 1;
  if v_name is not null then
    return format('%s is not a field of %s', v_name, p_type);
  end if;
  if p_payload ? 'correlationId' and jsonb_typeof(p_payload -> 'correlationId') <> 'string' then
    return 'correlationId must be string';
  end if;
  return null;
end
$$;

revoke all on function private.queue_event_payload_schema() from public;
revoke all on function private.queue_event_payload_problem(text, jsonb) from public;
grant execute on function private.queue_event_payload_schema() to anon, authenticated, service_role;
grant execute on function private.queue_event_payload_problem(text, jsonb) to anon, authenticated, service_role;

-- verify_step: its newest definition (20261201001001_entry_columns.sql) + the payload schema and the grace
-- rules above.
create or replace function private.verify_step(
  p_queue_id uuid, p_before jsonb, p_entries jsonb, p_events jsonb, p_queue jsonb)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_settings jsonb;
  v_ids uuid[];
  v_day_end boolean;
  ev jsonb;
  r public.queue_entries;
  o jsonb;
  v_types text[];
  t text;
  v_from text;
  v_ok boolean;
  v_caller text;
  v_key text;
  v_sim text;
  v_problem text;
begin
  select private.effective_settings(c.settings) into v_settings
    from public.queues q join public.clinics c on c.id = q.clinic_id where q.id = p_queue_id;
  select coalesce(array_agg((x ->> 'id')::uuid), '{}') into v_ids from jsonb_array_elements(p_entries) x;
  v_day_end := coalesce(p_queue ->> 'status', '') = 'closed'
    and exists (select 1 from jsonb_array_elements(p_events) x where x ->> 'type' = 'DayEnded');

  -- every event: a known type; entry events only for entries this step changes
  for ev in select * from jsonb_array_elements(p_events) loop
    if not (ev ->> 'type' = any (private.queue_event_types())) then
      perform private.raise_error(422, 'QUEUE.EVENT_MISMATCH', format('unknown event type %s', ev ->> 'type'));
    end if;
    if ev ->> 'entry_id' is null then
      if ev ->> 'type' <> 'DayEnded' or not v_day_end then
        perform private.raise_error(422, 'QUEUE.EVENT_MISMATCH',
          format('%s needs an entry (DayEnded only with the day closing)', ev ->> 'type'));
      end if;
    elsif not ((ev ->> 'entry_id')::uuid = any (v_ids)) then
      perform private.raise_error(422, 'QUEUE.EVENT_MISMATCH',
        format('%s for an entry the step does not change', ev ->> 'type'));
    end if;
    if jsonb_typeof(coalesce(ev -> 'payload', '{}'::jsonb)) <> 'object' then
      perform private.raise_error(422, 'QUEUE.EVENT_MISMATCH', 'an event payload is an object');
    end if;
    -- the payload's keys and their JSON types, per event type (private.queue_event_payload_schema)
    v_problem := private.queue_event_payload_problem(ev ->> 'type', coalesce(ev -> 'payload', '{}'::jsonb));
    if v_problem is not null then
      perform private.raise_error(422, 'QUEUE.EVENT_PAYLOAD_INVALID', format('%s: %s', ev ->> 'type', v_problem));
    end if;
    if ev ->> 'type' = 'PatientCalled' and coalesce(ev -> 'payload' ->> 'outOfOrder', 'false') = 'true'
       and coalesce(btrim(ev -> 'payload' ->> 'reason'), '') = '' then
      perform private.raise_error(422, 'QUEUE.REASON_REQUIRED', 'a call out of order needs a reason');
    end if;
    if ev ->> 'type' in ('EmergencyInserted', 'EntryMoved', 'PriorityChanged')
       and coalesce(btrim(ev -> 'payload' ->> 'reason'), '') = '' then
      perform private.raise_error(422, 'QUEUE.REASON_REQUIRED', format('%s needs a reason', ev ->> 'type'));
    end if;
  end loop;

  for r in select * from public.queue_entries e where e.id = any (v_ids) loop
    o := p_before -> r.id::text;
    select coalesce(array_agg(x ->> 'type'), '{}') into v_types
      from jsonb_array_elements(p_events) x where x ->> 'entry_id' = r.id::text;
    v_from := o ->> 'status';

    -- replay the entry's events in order from its old status (an arrival event first for a new entry):
    -- each must be possible where it happens, and they must end at the row's new status
    v_sim := v_from;
    foreach t in array v_types loop
      v_ok := case
        when t in ('WalkInAdded', 'EmergencyInserted', 'EntryScheduled') then
          o is null and v_sim is null
          and (t <> 'WalkInAdded' or r.kind = 'walk_in')
          and (t <> 'EmergencyInserted' or (r.kind = 'walk_in' and r.priority = 'emergency'))
          and (t <> 'EntryScheduled' or r.kind = 'booked')
        when v_sim is null then false
        when t = 'PatientCheckedIn' then v_sim = 'scheduled'
        when t = 'PatientCalled' then v_sim = 'waiting'
        when t = 'ServiceStarted' then v_sim = 'called'
        when t = 'ServiceFinished' then v_sim in ('called', 'in_service')
        when t = 'PatientMarkedAbsent' then v_sim in ('waiting', 'called')
        when t = 'PatientReturned' then v_sim = 'absent'
        when t = 'GraceExpired' then v_sim = 'absent'
        when t = 'EntryCancelled' then v_sim not in ('completed', 'cancelled', 'no_show')
        when t = 'NoShowReactivated' then v_sim = 'no_show'
        when t in ('PatientPassedOver', 'PatientOvertaken') then
          o is not null and r.skip_count = (o ->> 'skip_count')::integer + 1
        when t = 'PriorityChanged' then o is not null and r.priority::text <> o ->> 'priority'
        when t = 'EntryMoved' then o is not null and (r.order_key <> (o ->> 'order_key')::numeric
                                                      or r.order_tiebreak is distinct from (o ->> 'order_tiebreak')::numeric
                                                      or r.practitioner_id::text is distinct from o ->> 'practitioner_id')
        when t = 'PatientRunningLate' then r.running_late_at is not null
        when t = 'LatePatientHeld' then true
        else false end;
      if not coalesce(v_ok, false) then
        perform private.raise_error(422, 'QUEUE.EVENT_MISMATCH',
          format('%s does not match entry %s (%s -> %s)', t, r.id, coalesce(v_from, 'new'), r.status));
      end if;
      v_sim := case t
        when 'WalkInAdded' then 'waiting' when 'EmergencyInserted' then 'waiting'
        when 'EntryScheduled' then 'scheduled' when 'PatientCheckedIn' then 'waiting'
        when 'PatientCalled' then 'called' when 'ServiceStarted' then 'in_service'
        when 'ServiceFinished' then 'completed' when 'PatientMarkedAbsent' then 'absent'
        when 'PatientReturned' then 'waiting' when 'GraceExpired' then 'no_show'
        when 'EntryCancelled' then 'cancelled' when 'NoShowReactivated' then 'waiting'
        else v_sim end;
    end loop;
    if v_sim is distinct from r.status::text
       and not (v_day_end and r.status in ('completed', 'no_show') and v_sim is not null) then
      perform private.raise_error(422, 'QUEUE.EVENT_MISMATCH',
        format('entry %s: %s -> %s does not match its events', r.id, coalesce(v_from, 'new'), r.status));
    end if;

    if o is null then
      -- slot capacity for any booked entry, however added
      if r.kind = 'booked' and r.slot_start is not null and r.status not in ('cancelled', 'no_show')
         and private.booked_overlapping(r.clinic_id, r.slot_start,
               coalesce(r.slot_end, r.slot_start + interval '1 minute')) > (v_settings ->> 'slot_capacity')::integer then
        perform private.raise_error(409, 'BOOKING.SLOT_FULL', 'this slot is full');
      end if;
    else
      if r.skip_count <> (o ->> 'skip_count')::integer and not (
           (r.skip_count = (o ->> 'skip_count')::integer + 1
            and v_types && array['PatientPassedOver', 'PatientOvertaken'])
           or (r.skip_count = 0 and v_types && array['PatientCheckedIn', 'NoShowReactivated'])) then
        perform private.raise_error(422, 'QUEUE.EVENT_MISMATCH',
          format('skip count of entry %s changed %s -> %s without its event', r.id, o ->> 'skip_count', r.skip_count));
      end if;
      if r.priority::text <> o ->> 'priority' and not (v_types && array['PriorityChanged']) then
        perform private.raise_error(422, 'QUEUE.EVENT_MISMATCH', format('priority of entry %s changed without its event', r.id));
      end if;
      -- check-in window
      if v_from = 'scheduled' and r.status = 'waiting' and r.slot_start is not null
         and r.slot_start > private.now() + make_interval(mins => (v_settings ->> 'check_in_window_minutes')::integer) then
        perform private.raise_error(409, 'QUEUE.CHECK_IN_TOO_EARLY',
          format('check-in opens %s minutes before the slot', v_settings ->> 'check_in_window_minutes'));
      end if;
      -- grace expiry is due by the database's clock, not the browser's: the grace that was running
      -- (before the step) is over by private.now()
      if 'GraceExpired' = any (v_types) and not coalesce((o ->> 'grace_ends_at')::timestamptz <= private.now(), false) then
        perform private.raise_error(422, 'QUEUE.GRACE_MISMATCH',
          format('the grace period of entry %s is not over yet (ends %s)', r.id, coalesce(o ->> 'grace_ends_at', 'never')));
      end if;
    end if;
    -- a grace period that starts in this step lasts grace_period_minutes from the absence (clinic settings)
    if r.status = 'absent' and 'PatientMarkedAbsent' = any (v_types)
       and not coalesce(r.grace_ends_at = r.absent_at + make_interval(mins => (v_settings ->> 'grace_period_minutes')::integer), false) then
      perform private.raise_error(422, 'QUEUE.GRACE_MISMATCH',
        format('the grace period of entry %s is not %s minutes from its absence', r.id, v_settings ->> 'grace_period_minutes'));
    end if;

    if r.status = 'called' and v_from is distinct from 'called' then
      -- no starvation: a non-emergency call while a present entry of the caller's pools reached max_skips
      v_caller := r.served_by::text;
      if r.priority <> 'emergency' and exists (
           select 1 from public.queue_entries s
            where s.queue_id = p_queue_id and s.id <> r.id and s.status = 'waiting'
              and coalesce((p_before -> s.id::text ->> 'skip_count')::integer, s.skip_count)
                  >= (v_settings ->> 'max_skips')::integer
              and (s.practitioner_id is null or s.practitioner_id::text = coalesce(v_caller, r.practitioner_id::text))
              and (v_caller is not null or r.practitioner_id is not null or s.practitioner_id is null)) then
        perform private.raise_error(409, 'QUEUE.SKIP_CAP_REACHED',
          'a patient passed over too often must be called first');
      end if;
    end if;

    if r.status in ('called', 'in_service') and v_from is distinct from r.status::text then
      -- one patient at a time per desk: the practitioner serving, else the room
      v_key := coalesce('p:' || r.served_by::text, 'r:' || coalesce(r.called_room, ''));
      if (select count(*) from public.queue_entries a
           where a.queue_id = p_queue_id and a.status in ('called', 'in_service')
             and coalesce('p:' || a.served_by::text, 'r:' || coalesce(a.called_room, '')) = v_key) > 1 then
        perform private.raise_error(409, 'QUEUE.PRACTITIONER_BUSY', 'this desk already has a patient');
      end if;
    end if;
  end loop;
end
$$;
