-- Every domain field a column (issue 11). The queue service kept seven domain fields of a visit as a JSON
-- document in queue_entries.notes ({"qm":1,"k":…,"tb":…,"lt":…,"sb":…,"rx":…,"d":…,"a":…}), parsed again
-- in SQL by private.entry_extras; `late` duplicated `running_late_at`. They become typed columns:
--   order_tiebreak            numeric, not null    QueueEntry.orderTiebreak (default: the ticket number)
--   late_turn_at              timestamptz          QueueEntry.lateTurnAt
--   served_by                 uuid → clinic_members QueueEntry.servedBy (the desk's practitioner)
--   reactivations             integer ≥ 0          QueueEntry.reactivations
--   expected_duration_minutes integer 1…1440       QueueEntry.expectedDurationMinutes (null: the visit
--                                                   type's length, read by the repository)
--   appointment_id            uuid                 QueueEntry.appointmentId (null on a booked row: its id)
-- The exact millisecond order key is order_key itself (numeric epoch seconds, written as an exact decimal by
-- SupabaseQueueRepository; get_queue returns it as text so no client rounds it). "Late" is
-- running_late_at is not null. Existing rows are backfilled from notes, then notes, late and the notes
-- readers (entry_extras, entry_order_key_ms, entry_order_tiebreak) are dropped; every function that read
-- them reads the columns.

alter table public.queue_entries
  add column order_tiebreak numeric,
  add column late_turn_at timestamptz,
  add column served_by uuid,
  add column reactivations integer not null default 0 constraint queue_entries_reactivations_check check (reactivations >= 0),
  add column expected_duration_minutes integer
    constraint queue_entries_expected_duration_check check (expected_duration_minutes between 1 and 1440),
  add column appointment_id uuid,
  add constraint queue_entries_served_by_fkey foreign key (served_by, clinic_id)
    references public.clinic_members (id, clinic_id);

-- Backfill from the JSON (each field on its own: a malformed one is left null, as the repository ignored it).
do $$
declare
  r record;
  x jsonb;
  c_uuid constant text := '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
begin
  for r in select id, clinic_id, notes from public.queue_entries where notes is not null loop
    x := private.entry_extras(r.notes);
    continue when x is null;
    update public.queue_entries set
      order_tiebreak = (x ->> 'tb')::numeric,
      reactivations = greatest(coalesce((x ->> 'rx')::integer, 0), 0),
      expected_duration_minutes = case when (x ->> 'd')::integer between 1 and 1440 then (x ->> 'd')::integer end,
      served_by = case when x ->> 'sb' ~ c_uuid and exists (
                    select 1 from public.clinic_members m where m.id = (x ->> 'sb')::uuid and m.clinic_id = r.clinic_id)
                  then (x ->> 'sb')::uuid end,
      appointment_id = case when x ->> 'a' ~ c_uuid then (x ->> 'a')::uuid end
    where id = r.id;
    begin
      update public.queue_entries set late_turn_at = (x ->> 'lt')::timestamptz where id = r.id and x ->> 'lt' is not null;
    exception when others then
      null;
    end;
  end loop;
end
$$;
update public.queue_entries set order_tiebreak = ticket_number where order_tiebreak is null;
update public.queue_entries set running_late_at = coalesce(running_late_at, updated_at) where late and running_late_at is null;
alter table public.queue_entries alter column order_tiebreak set not null;

comment on column public.queue_entries.order_key is
  'The order key: epoch seconds as an exact decimal (QueueEntry.orderKey / 1000, milliseconds kept).';
comment on column public.queue_entries.order_tiebreak is 'QueueEntry.orderTiebreak (default: the ticket number).';
comment on column public.queue_entries.served_by is 'The practitioner (member) whose desk called the patient.';

create or replace function private.queue_entries_guard() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    if new.queue_id <> old.queue_id or new.clinic_id <> old.clinic_id or new.patient_id <> old.patient_id
       or new.kind <> old.kind or new.ticket_number <> old.ticket_number
       or new.tracking_token_hash is distinct from old.tracking_token_hash then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'identity columns of a visit cannot change');
    end if;
    if not private.entry_transition_allowed(old.status, new.status) then
      perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION',
        format('%s -> %s is not an allowed move', old.status, new.status));
    end if;
  end if;
  if tg_op = 'INSERT' then
    -- rows added by other paths (booking, patient check-in, seed) tie-break on their ticket, as the domain does
    new.order_tiebreak := coalesce(new.order_tiebreak, new.ticket_number::numeric);
  end if;
  new.updated_at := now();
  return new;
end
$$;

create or replace function private.queue_snapshot(p_queue_id uuid) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'queue', to_jsonb(q),
    'clinic', jsonb_build_object('id', c.id, 'name', c.name, 'slug', c.slug, 'time_zone', c.time_zone,
                                 'default_language', c.default_language, 'ticket_prefix', c.ticket_prefix),
    'settings', private.effective_settings(c.settings),
    'entries', coalesce((
      select jsonb_agg(private.entry_json(e, c.ticket_prefix)
                       -- the exact decimal, not a JSON number a client would round
                       || jsonb_build_object('order_key', e.order_key::text)
                       || jsonb_build_object('patient', jsonb_build_object(
                            'id', p.id, 'full_name', p.full_name, 'phone', p.phone,
                            'preferred_language', p.preferred_language, 'sms_opt_out', p.sms_opt_out))
                       order by e.ticket_number)
      from public.queue_entries e join public.patients p on p.id = e.patient_id
      where e.queue_id = q.id), '[]'::jsonb),
    'members', coalesce((
      select jsonb_agg(jsonb_build_object('id', m.id, 'user_id', m.user_id, 'role', m.role,
                                          'display_name', m.display_name, 'room', m.room, 'active', m.active)
                       order by m.display_name)
      from public.clinic_members m where m.clinic_id = c.id), '[]'::jsonb),
    'appointment_types', coalesce((
      select jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name, 'duration_minutes', t.duration_minutes,
                                          'active', t.active) order by t.name)
      from public.appointment_types t where t.clinic_id = c.id), '[]'::jsonb))
  from public.queues q join public.clinics c on c.id = q.clinic_id
  where q.id = p_queue_id
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
          coalesce((e ->> 'order_key')::numeric, extract(epoch from now())::numeric),
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

create or replace function public.get_visit_status(p_tracking_token text) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  e public.queue_entries;
  v_clinic public.clinics;
  v_queue public.queues;
  v_position integer;
begin
  if p_tracking_token is null or char_length(p_tracking_token) > 200 then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found');
  end if;
  select * into e from public.queue_entries where tracking_token_hash = private.hash_token(p_tracking_token);
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found');
  end if;
  select * into v_clinic from public.clinics where id = e.clinic_id;
  select * into v_queue from public.queues where id = e.queue_id;
  if e.status = 'waiting' then
    -- QueueOrder.positions: same pool only, in ORDER (priority class, order key, tiebreak, ticket, id)
    with line as (
      select o.id, o.ticket_number,
             array_position(array['emergency', 'urgent', 'normal'], o.priority::text) as rank_priority,
             o.order_key * 1000 as key_ms,
             o.order_tiebreak as tiebreak
        from public.queue_entries o
       where o.queue_id = e.queue_id and o.status = 'waiting'
         and o.practitioner_id is not distinct from e.practitioner_id)
    select 1 + count(*) into v_position
      from line o, line me
     where me.id = e.id and o.id <> e.id
       and (o.rank_priority, o.key_ms, o.tiebreak, o.ticket_number, o.id)
         < (me.rank_priority, me.key_ms, me.tiebreak, me.ticket_number, me.id);
  end if;
  return jsonb_build_object(
    'entry_id', e.id,
    'clinic', jsonb_build_object('id', v_clinic.id, 'name', v_clinic.name, 'slug', v_clinic.slug,
                                 'default_language', v_clinic.default_language, 'time_zone', v_clinic.time_zone),
    'day', v_queue.day,
    'ticket', private.ticket_label(v_clinic.ticket_prefix, e.ticket_number),
    'status', e.status, 'kind', e.kind, 'priority', e.priority,
    'slot_start', e.slot_start, 'checked_in_at', e.checked_in_at, 'called_at', e.called_at,
    'room', coalesce(e.called_room, (select m.room from public.clinic_members m where m.id = e.practitioner_id)),
    'grace_ends_at', e.grace_ends_at, 'late', e.running_late_at is not null, 'position', v_position,
    'queue_id', e.queue_id, 'queue_version', v_queue.version);
end
$$;

create or replace function public.kiosk_check_in(p_clinic_id uuid, p_code text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_queue public.queues;
  v_code text := upper(btrim(coalesce(p_code, '')));
  v_digits text;
  e public.queue_entries;
  v_position integer;
begin
  perform private.require_staff(p_clinic_id);
  if v_code = '' or char_length(v_code) > 40 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a ticket code or a phone number is required');
  end if;
  v_digits := regexp_replace(v_code, '[^0-9]', '', 'g');
  select * into v_clinic from public.clinics where id = p_clinic_id;
  select * into v_queue from public.queues
   where clinic_id = p_clinic_id and day = private.clinic_today(v_clinic.time_zone);
  if not found then
    return jsonb_build_object('found', false);
  end if;

  select * into e from public.queue_entries o
   where o.queue_id = v_queue.id
     and (private.ticket_label(v_clinic.ticket_prefix, o.ticket_number) = v_code
          or (position('-' in v_code) > 0 and v_digits <> '' and char_length(v_digits) <= 6
              and o.ticket_number = v_digits::integer))
   order by o.ticket_number
   limit 1;
  if not found and char_length(v_digits) >= 6 then
    select o.* into e from public.queue_entries o
      join public.patients p on p.id = o.patient_id
     where o.queue_id = v_queue.id and o.status in ('scheduled', 'waiting')
       and p.phone is not null
       and right(regexp_replace(p.phone, '[^0-9]', '', 'g'), 9) = right(v_digits, 9)
     order by o.ticket_number
     limit 1;
  end if;
  if e.id is null then
    return jsonb_build_object('found', false);
  end if;

  if e.status = 'scheduled' then
    perform public.check_in(e.id);
    select * into e from public.queue_entries where id = e.id;
  end if;

  if e.status = 'waiting' then
    with line as (
      select o.id, o.ticket_number,
             array_position(array['emergency', 'urgent', 'normal'], o.priority::text) as rank_priority,
             o.order_key * 1000 as key_ms,
             o.order_tiebreak as tiebreak
        from public.queue_entries o
       where o.queue_id = e.queue_id and o.status = 'waiting'
         and o.practitioner_id is not distinct from e.practitioner_id)
    select 1 + count(*) into v_position
      from line o, line me
     where me.id = e.id and o.id <> e.id
       and (o.rank_priority, o.key_ms, o.tiebreak, o.ticket_number, o.id)
         < (me.rank_priority, me.key_ms, me.tiebreak, me.ticket_number, me.id);
  end if;
  return jsonb_build_object(
    'found', true,
    'entry_id', e.id,
    'ticket', private.ticket_label(v_clinic.ticket_prefix, e.ticket_number),
    'status', e.status,
    'position', v_position);
end
$$;

create or replace function public.report_running_late(p_entry_id uuid default null, p_tracking_token text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record;
begin
  if p_tracking_token is null and not private.is_service() then
    perform private.require_uid();
  end if;
  select * into r from private.entry_for_actor(
    case when p_tracking_token is null then p_entry_id end, p_tracking_token);
  if (r.e).status not in ('scheduled', 'waiting', 'called') then
    perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'the visit can no longer be late');
  end if;
  update public.queue_entries set running_late_at = now() where id = (r.e).id;
  perform private.log_event((r.e).queue_id, (r.e).clinic_id, (r.e).id, 'PatientRunningLate', '{}'::jsonb);
  return jsonb_build_object('entry_id', (r.e).id, 'late', true,
                            'queue_version', private.bump_version((r.e).queue_id));
end
$$;

create or replace function public.sms_inbound_apply(p_from text, p_intent text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record;
  v_count integer;
  v_lang public.app_language;
  v_clinic text;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  if p_from is null or not private.is_e164(p_from) or p_intent is null or p_intent not in ('late', 'cancel', 'stop') then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'an E.164 sender and an intent (late, cancel, stop) are required');
  end if;

  if p_intent = 'stop' then
    update public.patients set sms_opt_out = true where phone = p_from and not sms_opt_out;
    get diagnostics v_count = row_count;
    select coalesce(p.preferred_language, c.default_language), c.name into v_lang, v_clinic
      from public.patients p join public.clinics c on c.id = p.clinic_id
     where p.phone = p_from order by p.updated_at desc limit 1;
    return jsonb_build_object('intent', p_intent, 'applied', v_lang is not null,
                              'reason', case when v_lang is null then 'unknown_sender' end,
                              'language', v_lang, 'clinic_name', v_clinic, 'ticket', null, 'entry_id', null,
                              'opted_out', v_count);
  end if;

  select e.id, e.queue_id, e.clinic_id, e.status, e.ticket_number, c.name as clinic_name, c.ticket_prefix,
         coalesce(p.preferred_language, c.default_language) as language
    into r
    from public.queue_entries e
    join public.patients p on p.id = e.patient_id
    join public.queues q on q.id = e.queue_id
    join public.clinics c on c.id = e.clinic_id
   where p.phone = p_from
     and q.day = private.clinic_today(c.time_zone)
     and e.status in ('scheduled', 'waiting', 'called', 'absent')
   order by (e.status = 'called') desc, e.slot_start nulls last, e.created_at desc
   limit 1;
  if r.id is null then
    select coalesce(p.preferred_language, c.default_language), c.name into v_lang, v_clinic
      from public.patients p join public.clinics c on c.id = p.clinic_id
     where p.phone = p_from order by p.updated_at desc limit 1;
    return jsonb_build_object('intent', p_intent, 'applied', false, 'reason', 'no_visit_today',
                              'language', v_lang, 'clinic_name', v_clinic, 'ticket', null, 'entry_id', null);
  end if;

  perform 1 from public.queues where id = r.queue_id for update;
  if p_intent = 'late' then
    if r.status = 'absent' then
      return jsonb_build_object('intent', p_intent, 'applied', false, 'reason', 'already_called',
                                'language', r.language, 'clinic_name', r.clinic_name,
                                'ticket', private.ticket_label(r.ticket_prefix, r.ticket_number), 'entry_id', r.id);
    end if;
    update public.queue_entries set running_late_at = now() where id = r.id;
    perform private.log_event(r.queue_id, r.clinic_id, r.id, 'PatientRunningLate',
      jsonb_build_object('ticket', private.ticket_label(r.ticket_prefix, r.ticket_number), 'source', 'sms'));
  else
    update public.queue_entries set status = 'cancelled', cancelled_at = now(), cancel_reason = 'SMS'
     where id = r.id;
    perform private.log_event(r.queue_id, r.clinic_id, r.id, 'AppointmentCancelled',
      jsonb_build_object('ticket', private.ticket_label(r.ticket_prefix, r.ticket_number), 'by', 'patient', 'via', 'sms'));
  end if;
  perform private.bump_version(r.queue_id);
  return jsonb_build_object('intent', p_intent, 'applied', true, 'reason', null, 'language', r.language,
                            'clinic_name', r.clinic_name,
                            'ticket', private.ticket_label(r.ticket_prefix, r.ticket_number), 'entry_id', r.id);
end
$$;

-- Nothing reads the JSON any more.
drop function private.entry_order_key_ms(numeric, text);
drop function private.entry_order_tiebreak(integer, text);
drop function private.entry_extras(text);
alter table public.queue_entries drop column notes, drop column late;
