-- Queue RPCs for staff: load a clinic-day queue (created on first use) and save one step of it with the
-- version it was loaded at (optimistic concurrency; stale → HTTP 409 QUEUE.VERSION_CONFLICT).

create function private.require_uid() returns uuid
language plpgsql stable
set search_path = ''
as $$
declare
  v uuid := auth.uid();
begin
  if v is null then
    perform private.raise_error(401, 'AUTH.REQUIRED', 'sign in first');
  end if;
  return v;
end
$$;

create function private.require_staff(p_clinic_id uuid) returns void
language plpgsql stable
set search_path = ''
as $$
begin
  if private.is_service() then
    return;
  end if;
  perform private.require_uid();
  if p_clinic_id is null or not private.is_clinic_staff(p_clinic_id) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'not a member of this clinic');
  end if;
end
$$;

create function private.require_admin(p_clinic_id uuid) returns void
language plpgsql stable
set search_path = ''
as $$
begin
  if private.is_service() then
    return;
  end if;
  perform private.require_uid();
  if p_clinic_id is null or not private.is_clinic_admin(p_clinic_id) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'owner or admin only');
  end if;
end
$$;

create function private.clinic_today(p_time_zone text) returns date
language sql stable
set search_path = ''
as $$ select (now() at time zone p_time_zone)::date $$;

-- The queue of a clinic-day, created on first use; returned locked FOR UPDATE.
create function private.lock_queue(p_clinic_id uuid, p_day date) returns public.queues
language plpgsql
set search_path = ''
as $$
declare
  q public.queues;
begin
  insert into public.queues (clinic_id, day) values (p_clinic_id, p_day)
  on conflict (clinic_id, day) do nothing;
  select * into q from public.queues where clinic_id = p_clinic_id and day = p_day for update;
  return q;
end
$$;

create function private.bump_version(p_queue_id uuid) returns integer
language sql
set search_path = ''
as $$
  update public.queues set version = version + 1, updated_at = now() where id = p_queue_id
  returning version
$$;

create function private.log_event(
  p_queue_id uuid, p_clinic_id uuid, p_entry_id uuid, p_type text, p_payload jsonb default '{}'::jsonb)
returns bigint
language sql
set search_path = ''
as $$
  insert into public.queue_events (queue_id, clinic_id, entry_id, type, payload, actor_id)
  values (p_queue_id, p_clinic_id, p_entry_id, p_type, coalesce(p_payload, '{}'::jsonb), auth.uid())
  returning id
$$;

-- Absent entries whose grace period is over become no_show (event + new version). Run on load and by
-- the periodic sweep, so the moment does not depend on anyone opening a screen.
create function private.expire_grace(p_queue_id uuid) returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_count integer := 0;
  r record;
begin
  for r in
    update public.queue_entries
       set status = 'no_show', no_show_at = now()
     where queue_id = p_queue_id and status = 'absent' and grace_ends_at <= now()
    returning id, clinic_id, ticket_number
  loop
    perform private.log_event(p_queue_id, r.clinic_id, r.id, 'PatientNoShow',
      jsonb_build_object('reason', 'grace_expired'));
    v_count := v_count + 1;
  end loop;
  if v_count > 0 then
    perform private.bump_version(p_queue_id);
  end if;
  return v_count;
end
$$;

create function private.entry_json(e public.queue_entries, p_prefix text) returns jsonb
language sql stable
set search_path = ''
as $$
  select (to_jsonb(e) - 'tracking_token_hash')
         || jsonb_build_object('ticket', private.ticket_label(p_prefix, e.ticket_number))
$$;

create function private.queue_snapshot(p_queue_id uuid) returns jsonb
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

-- get_queue(p_clinic_id, p_day default clinic's today) → { queue, clinic, settings, entries[], members[],
-- appointment_types[] }. Staff of the clinic (or service role).
create function public.get_queue(p_clinic_id uuid, p_day date default null) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_queue public.queues;
begin
  perform private.require_staff(p_clinic_id);
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  v_queue := private.lock_queue(p_clinic_id, coalesce(p_day, private.clinic_today(v_clinic.time_zone)));
  perform private.expire_grace(v_queue.id);
  return private.queue_snapshot(v_queue.id);
end
$$;

-- save_queue_step(p_queue_id, p_expected_version, p_entries, p_events, p_queue default null) → new version
--   p_entries: [{ id, …changed columns }] — existing entries of this queue (only the columns below), or
--              new ones (walk-ins / staff additions: id, patient_id, kind, status, … ; ticket assigned
--              when ticket_number is omitted).
--   p_events:  [{ type, entry_id?, payload?, correlation_id? }] appended with actor = caller.
--   p_queue:   optional { status: 'open'|'closed', summary: {…} } (ending the day).
create function public.save_queue_step(
  p_queue_id uuid,
  p_expected_version integer,
  p_entries jsonb,
  p_events jsonb,
  p_queue jsonb default null)
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
  v_id uuid;
  v_existing public.queue_entries;
  v_ticket integer;
  v_bad text;
  v_version integer;
begin
  if p_queue_id is null or p_expected_version is null or p_entries is null or p_events is null
     or jsonb_typeof(p_entries) <> 'array' or jsonb_typeof(p_events) <> 'array'
     or (p_queue is not null and jsonb_typeof(p_queue) <> 'object') then
    perform private.raise_error(422, 'VALIDATION.FAILED',
      'p_queue_id, p_expected_version, p_entries (array) and p_events (array) are required');
  end if;

  select * into v_queue from public.queues where id = p_queue_id for update;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'queue not found');
  end if;
  perform private.require_staff(v_queue.clinic_id);
  if v_queue.version <> p_expected_version then
    perform private.raise_error(409, 'QUEUE.VERSION_CONFLICT',
      format('queue is at version %s, the step was computed from version %s', v_queue.version, p_expected_version));
  end if;
  if v_queue.status = 'closed' and coalesce(p_queue ->> 'status', 'closed') <> 'open' then
    perform private.raise_error(409, 'QUEUE.CLOSED', 'the day is closed');
  end if;
  select ticket_prefix into v_prefix from public.clinics where id = v_queue.clinic_id;

  begin
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
  return v_version;
end
$$;

-- mark_events_notified(p_event_ids) → how many events were marked (outbox bookkeeping).
create function public.mark_events_notified(p_event_ids bigint[]) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_count integer;
begin
  if p_event_ids is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_event_ids is required');
  end if;
  if not private.is_service() then
    perform private.require_uid();
  end if;
  update public.queue_events ev set notified_at = now()
   where ev.id = any (p_event_ids) and ev.notified_at is null
     and (private.is_service() or private.is_clinic_staff(ev.clinic_id));
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

-- sweep_queues() → how many entries became no_show (service role; run periodically).
create function public.sweep_queues() returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_total integer := 0;
  q record;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  for q in
    select distinct e.queue_id from public.queue_entries e
    where e.status = 'absent' and e.grace_ends_at <= now()
  loop
    perform 1 from public.queues where id = q.queue_id for update;
    v_total := v_total + private.expire_grace(q.queue_id);
  end loop;
  return v_total;
end
$$;
