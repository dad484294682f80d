-- Exactly-once queue commands, patient + step in one transaction, a sane day for get_queue.
--
-- 1. Every queue command carries a client-generated id (uuid). The database records the ids it applied
--    per queue day (public.queue_commands); a command id seen again is never applied a second time:
--    save_queue_step answers 409 QUEUE.COMMAND_ALREADY_APPLIED (nothing written, detail = the version it
--    produced) and get_queue(p_command_id) reports it as `applied_command`, so a retried or duplicated
--    command answers with the first result instead of deciding again (issue 12 item 1).
-- 2. save_queue_step(p_patients): the clinic patient records a step needs (walk-ins, emergencies) are
--    created in the step's own transaction, so a refused step leaves no orphan patient row (item 4).
-- 3. get_queue's p_day is text validated to YYYY-MM-DD within a year of the clinic's today:
--    '99999-01-01' or 'yesterday' are 422 VALIDATION.FAILED and create nothing (issue 10).

create table public.queue_commands (
  queue_id uuid not null references public.queues (id) on delete cascade,
  command_id uuid not null,
  version integer not null,
  actor_id uuid references auth.users (id) on delete set null,
  applied_at timestamptz not null default now(),
  primary key (queue_id, command_id)
);
comment on table public.queue_commands is
  'Ids of the queue commands applied per queue day (exactly-once); written only by save_queue_step.';
alter table public.queue_commands enable row level security;
revoke all on public.queue_commands from anon, authenticated;
grant all on public.queue_commands to service_role;

drop function public.get_queue(uuid, date);
-- get_queue(p_clinic_id, p_day 'YYYY-MM-DD' default clinic's today, p_command_id default null) →
-- { queue, clinic, settings, entries[], members[], appointment_types[], applied_command: {id, version}|null }.
create function public.get_queue(p_clinic_id uuid, p_day text default null, p_command_id uuid default null)
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
  v_queue := private.lock_queue(p_clinic_id, v_day);
  perform private.expire_grace(v_queue.id);
  if p_command_id is not null then
    select jsonb_build_object('id', c.command_id, 'version', c.version, 'applied_at', c.applied_at)
      into v_applied
      from public.queue_commands c where c.queue_id = v_queue.id and c.command_id = p_command_id;
  end if;
  return private.queue_snapshot(v_queue.id) || jsonb_build_object('applied_command', v_applied);
end
$$;

drop function public.save_queue_step(uuid, integer, jsonb, jsonb, jsonb);
-- save_queue_step(p_queue_id, p_expected_version, p_entries, p_events, p_queue default null,
--                 p_command_id default null, p_patients default null) → new version
--   p_entries:    [{ id, …changed columns }] — existing entries of this queue (only the columns below), or
--                 new ones (walk-ins / staff additions: id, patient_id, kind, status, … ; ticket assigned
--                 when ticket_number is omitted).
--   p_events:     [{ type, entry_id?, payload?, correlation_id? }] appended with actor = caller.
--   p_queue:      optional { status: 'open'|'closed', summary: {…} } (ending the day).
--   p_command_id: the command's client-generated id; a command id already applied to this queue →
--                 409 QUEUE.COMMAND_ALREADY_APPLIED (detail: the version it produced), nothing written.
--   p_patients:   [{ id, full_name, phone?, preferred_language? }] clinic patient records created in the
--                 same transaction (walk-ins and emergencies without an account).
create function public.save_queue_step(
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

revoke execute on function public.get_queue(uuid, text, uuid),
  public.save_queue_step(uuid, integer, jsonb, jsonb, jsonb, uuid, jsonb) from public, anon;
grant execute on function public.get_queue(uuid, text, uuid),
  public.save_queue_step(uuid, integer, jsonb, jsonb, jsonb, uuid, jsonb) to authenticated, service_role;
