-- DB-side invariants and truthful audit for save_queue_step (issue 11). The browser decides, the database
-- verifies: a step is refused (nothing written) unless
--   * every event type is one of the domain's (QUEUE_EVENT_TYPES in src/services/queue/events), and every
--     event matches a change the step makes to its entry (PatientCalled ⇔ waiting → called, …; a skip
--     event ⇔ skip_count + 1; an arrival event ⇔ an inserted entry) — 422 QUEUE.EVENT_MISMATCH;
--   * every status change, skip-count change and priority change of the step has its event (end of day:
--     DayEnded closes the queue and covers its completed/no_show moves) — 422 QUEUE.EVENT_MISMATCH;
--   * an out-of-order call carries a reason — 422 QUEUE.REASON_REQUIRED;
--   * no starvation: a non-emergency call while a present entry of the caller's pools has reached
--     max_skips — 409 QUEUE.SKIP_CAP_REACHED;
--   * at most one called/in-service entry per desk (practitioner, else room) — 409 QUEUE.PRACTITIONER_BUSY;
--   * a booked entry added by staff fits its slot's capacity — 409 BOOKING.SLOT_FULL;
--   * a check-in is not earlier than check_in_window_minutes (60) before the slot — 409 QUEUE.CHECK_IN_TOO_EARLY.
-- The actor of every event is auth.uid() and its time the database's (queue_events.occurred_at default).

-- The database's clock for the queue's time rules; tests pin it (private.pinned_clock) so db and stack
-- tests pass at any hour. Production: the table is empty and this is now().
create table private.pinned_clock (
  id boolean primary key default true check (id),
  at timestamptz not null
);
-- readable by every role that runs the queue's functions (a timestamp, nothing secret); written by tests only
revoke all on private.pinned_clock from public, anon, authenticated;
grant select on private.pinned_clock to anon, authenticated, service_role;

create function private.now() returns timestamptz
language sql stable
set search_path = ''
as $$ select coalesce((select c.at from private.pinned_clock c), now()) $$;

create or replace function private.clinic_settings_defaults() returns jsonb
language sql immutable
set search_path = ''
as $$
  select jsonb_build_object(
    'on_time_tolerance_minutes', 10,
    'auto_finish_on_next', true,
    'max_skips', 3,
    'grace_period_minutes', 10,
    'late_return_policy', 'after_next',
    'late_return_offset', 1,
    'notify_at_position', 3,
    'budget_alert_ratio', 0.8,
    'buffer_minutes', 5,
    'slot_capacity', 1,
    'max_walk_ins_per_day', null,
    'booking_horizon_days', 30,
    'min_booking_notice_minutes', 60,
    'min_cancel_notice_minutes', 120,
    'auto_end_day_after_closing_minutes', 120,
    'board_show_names', false,
    'check_in_window_minutes', 60)
$$;

create or replace function private.clinic_settings_valid(s jsonb) returns boolean
language sql immutable
set search_path = ''
as $$
  select jsonb_typeof(s) = 'object'
    and not exists (
      select 1 from jsonb_object_keys(s) k
      where k not in (select jsonb_object_keys(private.clinic_settings_defaults())))
    and private.json_int_between(s -> 'on_time_tolerance_minutes', 0, 240)
    and private.json_is_bool(s -> 'auto_finish_on_next')
    and private.json_int_between(s -> 'max_skips', 1, 20)
    and private.json_int_between(s -> 'grace_period_minutes', 1, 240)
    and (s -> 'late_return_policy' is null
         or (s ->> 'late_return_policy') in ('after_next', 'front', 'end'))
    and private.json_int_between(s -> 'late_return_offset', 0, 50)
    and private.json_int_between(s -> 'notify_at_position', 1, 50)
    and (s -> 'budget_alert_ratio' is null
         or (jsonb_typeof(s -> 'budget_alert_ratio') = 'number'
             and (s ->> 'budget_alert_ratio')::numeric > 0 and (s ->> 'budget_alert_ratio')::numeric <= 1))
    and private.json_int_between(s -> 'buffer_minutes', 0, 240)
    and private.json_int_between(s -> 'slot_capacity', 1, 100)
    and (s -> 'max_walk_ins_per_day' is null or jsonb_typeof(s -> 'max_walk_ins_per_day') = 'null'
         or private.json_int_between(s -> 'max_walk_ins_per_day', 0, 10000))
    and private.json_int_between(s -> 'booking_horizon_days', 1, 365)
    and private.json_int_between(s -> 'min_booking_notice_minutes', 0, 43200)
    and private.json_int_between(s -> 'min_cancel_notice_minutes', 0, 43200)
    and private.json_int_between(s -> 'auto_end_day_after_closing_minutes', 0, 1440)
    and private.json_is_bool(s -> 'board_show_names')
    and private.json_int_between(s -> 'check_in_window_minutes', 0, 1440)
$$;

-- The queue's event vocabulary: one list shared by TS (QUEUE_EVENT_TYPES) and SQL, checked by a test.
create function private.queue_event_types() returns text[]
language sql immutable
set search_path = ''
as $$
  select array['DayEnded', 'EmergencyInserted', 'EntryCancelled', 'EntryMoved', 'EntryScheduled',
               'GraceExpired', 'LatePatientHeld', 'NoShowReactivated', 'PatientCalled', 'PatientCheckedIn',
               'PatientMarkedAbsent', 'PatientOvertaken', 'PatientPassedOver', 'PatientReturned',
               'PatientRunningLate', 'PriorityChanged', 'ServiceFinished', 'ServiceStarted', 'WalkInAdded']
$$;

-- Checks one applied (not yet committed) step against the rows it changed; raises on the first mismatch.
--   p_before: { entry id → row as it was before the step } for the existing entries the step touched.
create function private.verify_step(
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
                                                      or r.notes is distinct from o ->> 'notes'
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
    end if;

    if r.status = 'called' and v_from is distinct from 'called' then
      -- no starvation: a non-emergency call while a present entry of the caller's pools reached max_skips
      v_caller := private.entry_extras(r.notes) ->> 'sb';
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
      v_key := coalesce('p:' || (private.entry_extras(r.notes) ->> 'sb'), 'r:' || coalesce(r.called_room, ''));
      if (select count(*) from public.queue_entries a
           where a.queue_id = p_queue_id and a.status in ('called', 'in_service')
             and coalesce('p:' || (private.entry_extras(a.notes) ->> 'sb'), 'r:' || coalesce(a.called_room, '')) = v_key) > 1 then
        perform private.raise_error(409, 'QUEUE.PRACTITIONER_BUSY', 'this desk already has a patient');
      end if;
    end if;
  end loop;
end
$$;

create or replace function public.save_queue_step(
  p_queue_id uuid,
  p_expected_version integer,
  p_entries jsonb,
  p_events jsonb,
  p_queue jsonb default null,
  p_command_id uuid default null,
  p_patients jsonb default null)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  c_update_keys constant text[] := array[
    'id', 'status', 'priority', 'order_key', 'skip_count', 'practitioner_id', 'appointment_type_id',
    'late', 'running_late_at', 'checked_in_at', 'called_at', 'started_at', 'finished_at', 'absent_at',
    'grace_ends_at', 'returned_at', 'no_show_at', 'cancelled_at', 'called_room', 'call_reason',
    'priority_reason', 'cancel_reason', 'notes'];
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
          late = case when e ? 'late' then (e ->> 'late')::boolean else q.late end,
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
          notes = case when e ? 'notes' then e ->> 'notes' else q.notes end
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
          practitioner_id, appointment_type_id, slot_start, slot_end, late, running_late_at, checked_in_at,
          called_at, started_at, finished_at, absent_at, grace_ends_at, returned_at, no_show_at, cancelled_at,
          called_room, call_reason, priority_reason, cancel_reason, notes, created_by)
        values (
          v_id, p_queue_id, v_queue.clinic_id, (e ->> 'patient_id')::uuid,
          coalesce((e ->> 'kind')::public.entry_kind, 'walk_in'),
          coalesce((e ->> 'status')::public.entry_status, 'waiting'),
          coalesce((e ->> 'priority')::public.entry_priority, 'normal'),
          v_ticket,
          coalesce((e ->> 'order_key')::numeric, extract(epoch from now())::numeric),
          coalesce((e ->> 'skip_count')::integer, 0),
          (e ->> 'practitioner_id')::uuid, (e ->> 'appointment_type_id')::uuid,
          (e ->> 'slot_start')::timestamptz, (e ->> 'slot_end')::timestamptz,
          coalesce((e ->> 'late')::boolean, false), (e ->> 'running_late_at')::timestamptz,
          (e ->> 'checked_in_at')::timestamptz, (e ->> 'called_at')::timestamptz,
          (e ->> 'started_at')::timestamptz, (e ->> 'finished_at')::timestamptz,
          (e ->> 'absent_at')::timestamptz, (e ->> 'grace_ends_at')::timestamptz,
          (e ->> 'returned_at')::timestamptz, (e ->> 'no_show_at')::timestamptz,
          (e ->> 'cancelled_at')::timestamptz, e ->> 'called_room', e ->> 'call_reason',
          e ->> 'priority_reason', e ->> 'cancel_reason', e ->> 'notes', auth.uid());
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
        v_queue.closed_at := case when v_queue.status = 'closed' then now() end;
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
         closed_at = v_queue.closed_at, summary = v_queue.summary, updated_at = now()
   where id = p_queue_id
  returning version into v_version;
  if p_command_id is not null then
    insert into public.queue_commands (queue_id, command_id, version, actor_id)
    values (p_queue_id, p_command_id, v_version, auth.uid());
  end if;
  return v_version;
end
$$;


-- check_in: the same check-in window as a staff check-in (verify_step).
create or replace function public.check_in(p_entry_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record;
  v_clinic public.clinics;
  v_day date;
  v_key numeric;
begin
  if not private.is_service() then
    perform private.require_uid();
  end if;
  select * into r from private.entry_for_actor(p_entry_id, null);
  select * into v_clinic from public.clinics where id = (r.e).clinic_id;
  select day into v_day from public.queues where id = (r.e).queue_id;
  if v_day <> private.clinic_today(v_clinic.time_zone) then
    perform private.raise_error(409, 'QUEUE.NOT_TODAY', 'check-in opens on the day of the visit');
  end if;
  if (r.e).status <> 'scheduled' then
    perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'only a scheduled visit can check in');
  end if;
  if (r.e).slot_start is not null and (r.e).slot_start > private.now() + make_interval(
       mins => (private.effective_settings(v_clinic.settings) ->> 'check_in_window_minutes')::integer) then
    perform private.raise_error(409, 'QUEUE.CHECK_IN_TOO_EARLY',
      format('check-in opens %s minutes before the slot',
             private.effective_settings(v_clinic.settings) ->> 'check_in_window_minutes'));
  end if;
  v_key := case
    when (r.e).slot_start is not null and now() <= (r.e).slot_start + make_interval(
           mins => (private.effective_settings(v_clinic.settings) ->> 'on_time_tolerance_minutes')::integer)
      then extract(epoch from (r.e).slot_start)::numeric
    else extract(epoch from now())::numeric end;
  update public.queue_entries set status = 'waiting', checked_in_at = now(), order_key = v_key
   where id = (r.e).id;
  perform private.log_event((r.e).queue_id, (r.e).clinic_id, (r.e).id, 'PatientCheckedIn',
    jsonb_build_object('by', case when r.is_staff then 'staff' else 'patient' end));
  return jsonb_build_object('entry_id', (r.e).id, 'status', 'waiting', 'order_key', v_key,
                            'queue_version', private.bump_version((r.e).queue_id));
end
$$;

revoke all on function private.now(), private.queue_event_types(), private.verify_step(uuid, jsonb, jsonb, jsonb, jsonb) from public;
grant execute on function private.now(), private.queue_event_types(), private.verify_step(uuid, jsonb, jsonb, jsonb, jsonb) to anon, authenticated, service_role;
