-- Pause / reopen (issue 17, "Running the day"), as typed state on the day's queue:
--   queues.paused_practitioner_ids  the doctors whose calling is paused (break, emergency elsewhere)
--   queues.intake_closed_at / _by   no more walk-ins or online joins for the rest of the day
-- Changed only through public.set_desk_paused / public.set_queue_intake (staff of the clinic, today's queue),
-- each one transaction that bumps the queue's version (every screen re-reads: the desk, the board, the
-- trackers) and records who and why in the queue's event log (DeskPaused, DeskResumed, IntakeClosed,
-- IntakeReopened — control events of the day, outside the step vocabulary that verify_step replays).
-- The database refuses what a pause forbids, whatever path writes:
--   * a paused doctor's desk calls nobody: 409 QUEUE.DESK_PAUSED (an emergency is still called);
--   * a closed intake takes no new walk-in and no new booking into today's queue: 409 QUEUE.INTAKE_CLOSED
--     (an emergency is never refused; patients already booked still check in).
-- get_queue's snapshot carries the queue row, so the domain (QueueAggregate) sees the same state and refuses
-- the same commands before anything is sent.
alter table public.queues
  add column paused_practitioner_ids uuid[] not null default '{}',
  add column intake_closed_at timestamptz,
  add column intake_closed_by uuid references auth.users (id) on delete set null;

comment on column public.queues.paused_practitioner_ids is 'clinic_members ids whose calling is paused today';
comment on column public.queues.intake_closed_at is 'set: no new walk-ins or online joins for the rest of the day';

-- every paused id is a member of the queue's clinic (an array has no foreign key)
create function private.queues_pause_guard() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if exists (select 1 from unnest(new.paused_practitioner_ids) p
              where not exists (select 1 from public.clinic_members m where m.id = p and m.clinic_id = new.clinic_id)) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a paused desk is a member of the clinic');
  end if;
  return new;
end
$$;
create trigger queues_pause_guard before insert or update of paused_practitioner_ids on public.queues
  for each row execute function private.queues_pause_guard();

-- a call for a paused doctor's desk (served_by) is refused; emergencies are still called
create function private.queue_entries_pause_guard() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_queue public.queues;
begin
  select * into v_queue from public.queues where id = new.queue_id;
  if tg_op = 'UPDATE' then
    if new.status = 'called' and old.status is distinct from 'called' and new.priority <> 'emergency'
       and new.served_by = any (v_queue.paused_practitioner_ids) then
      perform private.raise_error(409, 'QUEUE.DESK_PAUSED', 'calling is paused for this doctor');
    end if;
  elsif v_queue.intake_closed_at is not null and new.priority <> 'emergency' then
    perform private.raise_error(409, 'QUEUE.INTAKE_CLOSED', 'the queue takes no new patients today');
  end if;
  return new;
end
$$;
create trigger queue_entries_pause_guard before insert or update of status on public.queue_entries
  for each row execute function private.queue_entries_pause_guard();

-- set_desk_paused(p_clinic_id, p_practitioner_id, p_paused, p_reason) → { version, paused_practitioner_ids }
-- Staff of the clinic; the doctor is an active practitioner or owner. Pausing a paused desk (or resuming a
-- running one) is refused with 409 QUEUE.ILLEGAL_TRANSITION, so an event is only logged for a real change.
create function public.set_desk_paused(
  p_clinic_id uuid, p_practitioner_id uuid, p_paused boolean, p_reason text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_queue public.queues;
  v_tz text;
  v_reason text := nullif(btrim(p_reason), '');
  v_version integer;
begin
  perform private.require_staff(p_clinic_id);
  if p_practitioner_id is null or p_paused is null or char_length(coalesce(v_reason, '')) > 500 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a doctor, paused true/false and a reason of at most 500 characters');
  end if;
  if not exists (select 1 from public.clinic_members m
                  where m.id = p_practitioner_id and m.clinic_id = p_clinic_id and m.active
                    and m.role in ('practitioner', 'owner')) then
    perform private.raise_error(404, 'NOT_FOUND', 'no such doctor in this clinic');
  end if;
  select time_zone into v_tz from public.clinics where id = p_clinic_id;
  v_queue := private.lock_queue(p_clinic_id, private.clinic_today(v_tz));
  if v_queue.status = 'closed' then
    perform private.raise_error(409, 'QUEUE.CLOSED', 'the day is closed');
  end if;
  if (p_practitioner_id = any (v_queue.paused_practitioner_ids)) = p_paused then
    perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION',
      case when p_paused then 'calling is already paused for this doctor' else 'calling is not paused for this doctor' end);
  end if;
  update public.queues set
    paused_practitioner_ids = case when p_paused then paused_practitioner_ids || p_practitioner_id
                                   else array_remove(paused_practitioner_ids, p_practitioner_id) end,
    version = version + 1, updated_at = private.now()
  where id = v_queue.id
  returning version, paused_practitioner_ids into v_version, v_queue.paused_practitioner_ids;
  insert into public.queue_events (queue_id, clinic_id, entry_id, type, payload, actor_id)
  values (v_queue.id, p_clinic_id, null, case when p_paused then 'DeskPaused' else 'DeskResumed' end,
          jsonb_build_object('practitionerId', p_practitioner_id, 'reason', v_reason), auth.uid());
  return jsonb_build_object('version', v_version, 'paused_practitioner_ids', to_jsonb(v_queue.paused_practitioner_ids));
end
$$;

-- set_queue_intake(p_clinic_id, p_open, p_reason) → { version, intake_closed_at }
create function public.set_queue_intake(p_clinic_id uuid, p_open boolean, p_reason text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_queue public.queues;
  v_tz text;
  v_reason text := nullif(btrim(p_reason), '');
  v_version integer;
  v_at timestamptz;
begin
  perform private.require_staff(p_clinic_id);
  if p_open is null or char_length(coalesce(v_reason, '')) > 500 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'open true/false and a reason of at most 500 characters');
  end if;
  select time_zone into v_tz from public.clinics where id = p_clinic_id;
  v_queue := private.lock_queue(p_clinic_id, private.clinic_today(v_tz));
  if v_queue.status = 'closed' then
    perform private.raise_error(409, 'QUEUE.CLOSED', 'the day is closed');
  end if;
  if (v_queue.intake_closed_at is null) = p_open then
    perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION',
      case when p_open then 'the queue already takes new patients' else 'the queue already takes no new patients' end);
  end if;
  update public.queues set
    intake_closed_at = case when p_open then null else private.now() end,
    intake_closed_by = case when p_open then null else auth.uid() end,
    version = version + 1, updated_at = private.now()
  where id = v_queue.id
  returning version, intake_closed_at into v_version, v_at;
  insert into public.queue_events (queue_id, clinic_id, entry_id, type, payload, actor_id)
  values (v_queue.id, p_clinic_id, null, case when p_open then 'IntakeReopened' else 'IntakeClosed' end,
          jsonb_build_object('reason', v_reason), auth.uid());
  return jsonb_build_object('version', v_version, 'intake_closed_at', v_at);
end
$$;

revoke all on function public.set_desk_paused(uuid, uuid, boolean, text), public.set_queue_intake(uuid, boolean, text)
  from public, anon;
grant execute on function public.set_desk_paused(uuid, uuid, boolean, text), public.set_queue_intake(uuid, boolean, text)
  to authenticated, service_role;

-- The board says so: `paused_rooms` (the rooms — or, without a room, the names — of the doctors whose calling
-- is paused) and `intake_closed`. Otherwise as 20261202700001_transfer.sql.
create or replace function public.get_waiting_board(p_clinic_id uuid) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_names boolean;
  v_queue public.queues;
  v_day date;
begin
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  v_names := (private.effective_settings(v_clinic.settings) ->> 'board_show_names')::boolean;
  v_day := private.clinic_today(v_clinic.time_zone);
  select * into v_queue from public.queues where clinic_id = p_clinic_id and day = v_day;
  return jsonb_build_object(
    'clinic', jsonb_build_object('name', v_clinic.name, 'default_language', v_clinic.default_language,
                                 'time_zone', v_clinic.time_zone),
    'day', v_day,
    'version', coalesce(v_queue.version, 0),
    'now_serving', coalesce((
      select jsonb_agg(jsonb_build_object(
               'ticket', private.ticket_label(v_clinic.ticket_prefix, e.ticket_number),
               'room', coalesce(e.called_room, m.room),
               'name', case when v_names then private.board_name(p.full_name) end)
             order by e.called_at desc nulls last)
      from public.queue_entries e
      join public.patients p on p.id = e.patient_id
      left join public.clinic_members m on m.id = e.practitioner_id
      where e.queue_id = v_queue.id and e.status in ('called', 'in_service')), '[]'::jsonb),
    'next', coalesce((
      select jsonb_agg(x.item order by x.rank_priority desc, x.order_key)
      from (
        select jsonb_build_object(
                 'ticket', private.ticket_label(v_clinic.ticket_prefix, e.ticket_number),
                 'room', m.room,
                 'name', case when v_names then private.board_name(p.full_name) end) as item,
               array_position(array['normal', 'urgent', 'emergency'], e.priority::text) as rank_priority,
               e.order_key
        from public.queue_entries e join public.patients p on p.id = e.patient_id
        left join public.clinic_members m on m.id = e.practitioner_id
        where e.queue_id = v_queue.id and e.status = 'waiting'
        order by rank_priority desc, e.order_key
        limit 10) x), '[]'::jsonb),
    'paused_rooms', coalesce((
      select jsonb_agg(coalesce(m.room, m.display_name) order by coalesce(m.room, m.display_name))
        from public.clinic_members m
       where m.clinic_id = p_clinic_id and m.id = any (coalesce(v_queue.paused_practitioner_ids, '{}'))), '[]'::jsonb),
    'intake_closed', coalesce(v_queue.intake_closed_at is not null, false));
end
$$;

-- The tracker says so: `desk_paused` (the visit's doctor has paused calling) and `intake_closed`.
-- Otherwise as 20261201005001_wait_estimates.sql.
create or replace function public.get_visit_live(p_tracking_token text) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v jsonb;
  v_queue public.queues;
  v_practitioner uuid;
begin
  v := public.get_visit_status(p_tracking_token);
  select * into v_queue from public.queues where id = (v ->> 'queue_id')::uuid;
  select e.practitioner_id into v_practitioner from public.queue_entries e where e.id = (v ->> 'entry_id')::uuid;
  return v || jsonb_build_object(
    'estimate', case when v ->> 'status' = 'waiting'
                     then private.entry_estimate_json((v ->> 'entry_id')::uuid) end,
    'accuracy_minutes', private.clinic_accuracy_minutes((v -> 'clinic' ->> 'id')::uuid),
    'desk_paused', coalesce(v_practitioner = any (v_queue.paused_practitioner_ids), false),
    'intake_closed', v_queue.intake_closed_at is not null);
end
$$;
