-- QueueMed baseline (3/8): the queue. Staff load a clinic-day queue (created on first use) and save one step
-- of it with the version it was loaded at (optimistic concurrency; stale → HTTP 409
-- QUEUE.VERSION_CONFLICT); the database verifies each step (verify_step) and runs the time-driven rules
-- (grace expiry, end of day) itself (sweep_queues). Also: the domain's order as the SQL reads it
-- (entry_extras & co., used by the patient's position, the board and the walk-in limit).

-- ── Caller checks ──────────────────────────────────────────────────────────────────────────────────

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

-- The caller's JWT identity (Supabase puts phone digits without '+', and the email): an identity claim
-- counts only when the JWT carries the same verified phone / email (issue 10).
create function private.jwt_phone_digits() returns text
language sql stable
set search_path = ''
as $$ select nullif(regexp_replace(coalesce(auth.jwt() ->> 'phone', ''), '\D', '', 'g'), '') $$;

create function private.jwt_email() returns text
language sql stable
set search_path = ''
as $$ select nullif(lower(btrim(coalesce(auth.jwt() ->> 'email', ''))), '') $$;

-- ── Queue day, version, event log ──────────────────────────────────────────────────────────────────
-- The clinic's local date on the database's clock (private.now(), pinnable in tests).
create function private.clinic_today(p_time_zone text) returns date
language sql stable
set search_path = ''
as $$ select (private.now() at time zone p_time_zone)::date $$;

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
       set status = 'no_show', no_show_at = grace_ends_at
     where queue_id = p_queue_id and status = 'absent' and grace_ends_at <= private.now()
    returning id, clinic_id, ticket_number, grace_ends_at
  loop
    -- the domain's event (GraceExpiredEvent) and no_show_at = the end of grace, as QueueAggregate does
    perform private.log_event(p_queue_id, r.clinic_id, r.id, 'GraceExpired',
      jsonb_build_object('graceEndsAt', r.grace_ends_at, 'automatic', true));
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

-- ── Staff RPCs: load, save a step ──────────────────────────────────────────────────────────────────
-- get_queue(p_clinic_id, p_day 'YYYY-MM-DD' default clinic's today, p_command_id default null) →
-- { queue, clinic, settings, entries[], members[], appointment_types[], applied_command: {id, version}|null }.
-- Staff of the clinic (or service role). p_day is text validated to YYYY-MM-DD within a year of the
-- clinic's today: '99999-01-01' or 'yesterday' are 422 VALIDATION.FAILED and create nothing (issue 10).
-- Reads never lock (issue 12 item 3): get_queue used to take the queue row FOR UPDATE on every load, so
-- every dashboard's read waited behind any save of the day. It locks only when it has a grace expiry to
-- write (rare); the snapshot is read without a lock (a save in flight is seen after it commits, and the
-- version check of save_queue_step catches a step computed from the older snapshot).
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
  return private.queue_snapshot(v_queue.id) || jsonb_build_object('applied_command', v_applied);
end
$$;

-- save_queue_step(p_queue_id, p_expected_version, p_entries, p_events, p_queue default null,
--                 p_command_id default null, p_patients default null) → new version
--   p_entries:    [{ id, …changed columns }] — existing entries of this queue (only the columns below), or
--                 new ones (walk-ins / staff additions: id, patient_id, kind, status, … ; ticket assigned
--                 when ticket_number is omitted).
--   p_events:     [{ type, entry_id?, payload?, correlation_id? }] appended with actor = caller.
--   p_queue:      optional { status: 'open'|'closed', summary: {…} } (ending the day).
--   p_command_id: the command's client-generated id (exactly-once, issue 12 item 1); a command id already
--                 applied to this queue → 409 QUEUE.COMMAND_ALREADY_APPLIED (detail: the version it
--                 produced), nothing written.
--   p_patients:   [{ id, full_name, phone?, preferred_language? }] clinic patient records created in the
--                 same transaction (walk-ins and emergencies without an account), so a refused step
--                 leaves no orphan patient row (issue 12 item 4).
-- The step is checked by private.verify_step (below) before it commits (issue 11).
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

-- sweep_queues() → { expired, closed }: absent entries past their grace become no_show, open days past
-- closing time + auto_end_day_after_closing_minutes are ended (service role; run every minute by pg_cron
-- on Supabase — 20261201000700_sweep_cron.sql — and by the local stack's timer).
create function public.sweep_queues() returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_expired integer := 0;
  v_closed integer := 0;
  q record;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  for q in
    select distinct e.queue_id from public.queue_entries e
    where e.status = 'absent' and e.grace_ends_at <= private.now()
  loop
    perform 1 from public.queues where id = q.queue_id for update;
    v_expired := v_expired + private.expire_grace(q.queue_id);
  end loop;
  for q in
    select qu.id
    from public.queues qu join public.clinics c on c.id = qu.clinic_id
    where qu.status = 'open'
      and private.now() >= ((qu.day + coalesce(
                      (select max(w.ends_at) from public.working_hours w
                        where w.clinic_id = qu.clinic_id and w.weekday = extract(dow from qu.day)),
                      time '23:59')) at time zone c.time_zone)
                   + make_interval(mins => (private.effective_settings(c.settings)
                                            ->> 'auto_end_day_after_closing_minutes')::integer)
    for update of qu skip locked
  loop
    perform private.close_day(q.id, true);
    v_closed := v_closed + 1;
  end loop;
  return jsonb_build_object('expired', v_expired, 'closed', v_closed);
end
$$;

-- ── Ending the day ─────────────────────────────────────────────────────────────────────────────────
-- Ending the day (DOMAIN.md "Ending the day"): called/in_service → completed, scheduled/waiting/absent →
-- no_show, the queue closes with a stored summary (served, no-shows, average and 90th-percentile wait,
-- average service time per practitioner). By staff (end_day) or automatically by the periodic sweep at
-- closing time + auto_end_day_after_closing_minutes.

create function private.day_summary(p_queue_id uuid) returns jsonb
language sql stable
set search_path = ''
as $$
  with e as (
    select * from public.queue_entries where queue_id = p_queue_id
  ), waits as (
    select extract(epoch from (called_at - checked_in_at)) / 60 as m
    from e where called_at is not null and checked_in_at is not null and called_at >= checked_in_at
  ), services as (
    select practitioner_id, extract(epoch from (finished_at - started_at)) / 60 as m
    from e where finished_at is not null and started_at is not null and finished_at >= started_at
  )
  select jsonb_build_object(
    'served', (select count(*) from e where status = 'completed'),
    'no_shows', (select count(*) from e where status = 'no_show'),
    'cancelled', (select count(*) from e where status = 'cancelled'),
    'walk_ins', (select count(*) from e where kind = 'walk_in'),
    'avg_wait_minutes', (select round(avg(m)::numeric, 1) from waits),
    'p90_wait_minutes', (select round((percentile_cont(0.9) within group (order by m))::numeric, 1) from waits),
    'avg_service_minutes_by_practitioner', coalesce((
      select jsonb_object_agg(coalesce(practitioner_id::text, 'any'), avg_m)
      from (select practitioner_id, round(avg(m)::numeric, 1) as avg_m from services group by practitioner_id) s),
      '{}'::jsonb))
$$;

-- Closes a locked, open queue; returns its summary.
create function private.close_day(p_queue_id uuid, p_automatic boolean) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_clinic_id uuid;
  v_summary jsonb;
begin
  select clinic_id into v_clinic_id from public.queues where id = p_queue_id;
  update public.queue_entries set status = 'completed', finished_at = coalesce(finished_at, private.now())
   where queue_id = p_queue_id and status in ('called', 'in_service');
  update public.queue_entries set status = 'no_show', no_show_at = private.now()
   where queue_id = p_queue_id and status in ('scheduled', 'waiting', 'absent');
  v_summary := private.day_summary(p_queue_id);
  update public.queues
     set status = 'closed', closed_at = private.now(), summary = v_summary, version = version + 1, updated_at = private.now()
   where id = p_queue_id;
  perform private.log_event(p_queue_id, v_clinic_id, null, 'DayEnded',
    jsonb_build_object('automatic', p_automatic, 'summary', v_summary));
  return v_summary;
end
$$;

-- end_day(p_queue_id, p_expected_version) → { version, summary }. Staff of the clinic; stale version →
-- 409 QUEUE.VERSION_CONFLICT; an already closed day → 409 QUEUE.CLOSED.
create function public.end_day(p_queue_id uuid, p_expected_version integer) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_queue public.queues;
  v_summary jsonb;
begin
  if p_queue_id is null or p_expected_version is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_queue_id and p_expected_version are required');
  end if;
  select * into v_queue from public.queues where id = p_queue_id for update;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'queue not found');
  end if;
  perform private.require_staff(v_queue.clinic_id);
  if v_queue.version <> p_expected_version then
    perform private.raise_error(409, 'QUEUE.VERSION_CONFLICT',
      format('queue is at version %s, not %s', v_queue.version, p_expected_version));
  end if;
  if v_queue.status = 'closed' then
    perform private.raise_error(409, 'QUEUE.CLOSED', 'the day is already closed');
  end if;
  v_summary := private.close_day(p_queue_id, false);
  return jsonb_build_object('version', v_queue.version + 1, 'summary', v_summary);
end
$$;

-- ── Walk-in limit ──────────────────────────────────────────────────────────────────────────────────
-- max_walk_ins_per_day (ClinicSettings, default none): a day's queue never takes more walk-ins than the
-- clinic allows, whichever path adds them (save_queue_step, service role). 409 QUEUE.WALK_IN_LIMIT_REACHED.
-- The count is what the domain counts (DOMAIN.md: emergencies are never refused): walk-ins of the day
-- that are neither cancelled nor emergencies, and an emergency is never refused.
create function private.queue_entries_walk_in_limit() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_max integer;
begin
  -- emergencies are never refused and do not use up the day's walk-in places
  if new.kind <> 'walk_in' or new.priority = 'emergency' then
    return new;
  end if;
  select (private.effective_settings(c.settings) ->> 'max_walk_ins_per_day')::integer into v_max
    from public.clinics c where c.id = new.clinic_id;
  if v_max is not null and (select count(*) from public.queue_entries e
                            where e.queue_id = new.queue_id and e.kind = 'walk_in'
                              and e.status <> 'cancelled' and e.priority <> 'emergency') >= v_max then
    perform private.raise_error(409, 'QUEUE.WALK_IN_LIMIT_REACHED', format('at most %s walk-ins per day', v_max));
  end if;
  return new;
end
$$;
create trigger queue_entries_walk_in_limit before insert on public.queue_entries
  for each row execute function private.queue_entries_walk_in_limit();

-- ── The domain's order, as SQL reads it ────────────────────────────────────────────────────────────
-- Staff and patients see the same queue.
--
-- get_visit_status's `position` follows the domain's definition (src/services/queue/models/QueueOrder.ts):
--    1 + the waiting entries of the SAME pool (same practitioner, or both unassigned = the "any" pool) that
--    come before it in ORDER: priority class (emergency, urgent, normal), then the order key, then the
--    tiebreak, then the ticket number, then the id. The queue service keeps the exact millisecond order key
--    and the tiebreak in `notes` (SupabaseQueueRepository's EntryExtras: {"qm":1,"k":…,"tb":…}); the key
--    counts only while `order_key` (epoch seconds) still says the same, as the repository reads it back.
--    Rows written by other RPCs (booking, patient check-in) have no extras: order_key × 1000 and the ticket
--    number, as the domain loads them.

-- The domain's extras from `notes`, or null when the repository would not read them (not JSON, not an
-- object with qm = 1, or a field of the wrong type: the repository's zod schema then drops them all).
create function private.entry_extras(p_notes text) returns jsonb
language plpgsql immutable
set search_path = ''
as $$
declare
  v jsonb;
begin
  if p_notes is null or left(p_notes, 1) <> '{' then
    return null;
  end if;
  begin
    v := p_notes::jsonb;
  exception when others then
    return null;
  end;
  if jsonb_typeof(v) <> 'object' or v -> 'qm' is distinct from '1'::jsonb
     or coalesce(jsonb_typeof(v -> 'k'), 'number') <> 'number'
     or coalesce(jsonb_typeof(v -> 'tb'), 'number') <> 'number'
     or coalesce(jsonb_typeof(v -> 'lt'), 'null') not in ('string', 'null')
     or coalesce(jsonb_typeof(v -> 'sb'), 'null') not in ('string', 'null')
     or coalesce(jsonb_typeof(v -> 'a'), 'null') not in ('string', 'null')
     or coalesce(jsonb_typeof(v -> 'rx'), 'number') <> 'number'
     or coalesce(jsonb_typeof(v -> 'd'), 'number') <> 'number' then
    return null;
  end if;
  if (v ? 'rx' and (v ->> 'rx')::numeric <> trunc((v ->> 'rx')::numeric))
     or (v ? 'd' and (v ->> 'd')::numeric <> trunc((v ->> 'd')::numeric)) then
    return null;
  end if;
  return v;
end
$$;

-- The domain's order key in milliseconds (QueueEntry.orderKey as SupabaseQueueRepository loads it).
create function private.entry_order_key_ms(p_order_key numeric, p_notes text) returns numeric
language sql immutable
set search_path = ''
as $$
  select case
           when x.k is not null and abs(x.k - p_order_key * 1000) < 1 then x.k
           else p_order_key * 1000
         end
  from (select (private.entry_extras(p_notes) ->> 'k')::numeric as k) x
$$;

-- The domain's tiebreak (QueueEntry.orderTiebreak): the stored one, else the ticket number.
create function private.entry_order_tiebreak(p_ticket_number integer, p_notes text) returns numeric
language sql immutable
set search_path = ''
as $$
  select coalesce((private.entry_extras(p_notes) ->> 'tb')::numeric, p_ticket_number::numeric)
$$;

-- ── Verifying a step (issue 11) ────────────────────────────────────────────────────────────────────
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
