-- Session 20 (lead, merging board20 and sec20): both branches redefined public.kiosk_register_walk_in from the same
-- body (20261217500001). board20's 20261220300003 added the walk-ins switch (409 KIOSK.WALK_INS_OFF, first, before
-- anything is written or counted); sec20's 20261220400002 sorts after it and added the neutral one-visit-a-day answer
-- (409 KIOSK.SEE_DESK) to the older body, so on main it silently dropped the switch (boardBranding.test's
-- "walk-ins off" case fails without this file). Body: 20261220400002's, with 20261220300003's check restored at the
-- same place. Grants unchanged (create or replace keeps them).

create or replace function public.kiosk_register_walk_in(
  p_kiosk_token text, p_full_name text, p_phone text, p_language public.app_language default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  -- the kiosk's row is locked for the call: one kiosk's registrations are counted one after the other
  d public.kiosk_devices := private.kiosk_device(p_kiosk_token);
  v_clinic public.clinics;
  v_now timestamptz := private.now();
  v_day date;
  v_queue public.queues;
  v_patient_id uuid;
  r jsonb;
begin
  select * into v_clinic from public.clinics where id = d.clinic_id;
  v_day := private.clinic_today(v_clinic.time_zone);
  -- kioskWalkInsSwitch (board20): the clinic turned walk-in registration at its kiosks off — before anything else,
  -- so a refusal writes nothing and counts nothing against the kiosk's rate limit
  if not coalesce((private.effective_settings(v_clinic.settings) ->> 'kiosk_walk_ins')::boolean, true) then
    perform private.raise_error(409, 'KIOSK.WALK_INS_OFF', 'this clinic registers walk-ins at the desk, not at the kiosk');
  end if;
  if p_full_name is null or p_phone is null or char_length(p_full_name) > 400 or char_length(p_phone) > 40 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a name and a phone number are required');
  end if;
  if (select count(*) from private.kiosk_walk_ins w
       where w.device_id = d.id and w.at > v_now - private.kiosk_walk_in_window()) >= private.kiosk_walk_in_max() then
    perform private.raise_error(429, 'RATE.LIMITED', 'this kiosk registered many walk-ins just now: please ask at the desk');
  end if;
  if exists (select 1 from public.closed_dates c where c.clinic_id = v_clinic.id and c.day = v_day) then
    perform private.raise_error(422, 'BOOKING.CLINIC_CLOSED', 'the clinic is closed today');
  end if;
  if not private.clinic_open_now(v_clinic) then
    perform private.raise_error(409, 'KIOSK.OUTSIDE_HOURS', 'the kiosk registers walk-ins during opening hours');
  end if;
  -- the desk's switches, read first so that a refusal writes nothing (judged again under the lock below)
  select * into v_queue from public.queues where clinic_id = v_clinic.id and day = v_day;
  if v_queue.status = 'closed' then
    perform private.raise_error(409, 'QUEUE.CLOSED', 'the day is closed');
  end if;
  if v_queue.intake_closed_at is not null then
    perform private.raise_error(409, 'QUEUE.INTAKE_CLOSED', 'the queue takes no new patients today');
  end if;
  -- the desk's find-or-create of a caller (name rules, E.164 phone: 422 VALIDATION.FAILED / PHONE.INVALID), before
  -- the queue's lock as at the desk (staff_desk_book: patient record, then queue), so the two never wait on each other
  v_patient_id := (private.find_or_create_patient(v_clinic.id, null, p_full_name, btrim(p_phone),
                                                   coalesce(p_language, v_clinic.default_language)) ->> 'patient_id')::uuid;
  -- the day's queue, locked: ticket, one visit a day and the walk-in cap are judged one walk-in at a time
  v_queue := private.lock_queue(v_clinic.id, v_day);
  if v_queue.status = 'closed' then
    perform private.raise_error(409, 'QUEUE.CLOSED', 'the day is closed');
  end if;
  if v_queue.intake_closed_at is not null then
    perform private.raise_error(409, 'QUEUE.INTAKE_CLOSED', 'the queue takes no new patients today');
  end if;
  v_queue.next_ticket := greatest(v_queue.next_ticket,
    coalesce((select max(x.ticket_number) + 1 from public.queue_entries x where x.queue_id = v_queue.id), 1));
  -- sec20: a visit of this person today (open, or today's no-show) is not the kiosk's to reveal: the same neutral
  -- answer as any other "ask at the desk", before admit_walk_in's own coded check could answer it
  if exists (select 1 from public.queue_entries x
              where x.queue_id = v_queue.id and x.patient_id = v_patient_id
                and x.status not in ('completed', 'cancelled')) then
    perform private.raise_error(409, 'KIOSK.SEE_DESK', 'the kiosk cannot give a ticket: please ask at the desk');
  end if;
  r := private.admit_walk_in(v_clinic, v_queue, v_patient_id, false, null);
  delete from private.kiosk_walk_ins w where w.device_id = d.id and w.at < v_now - interval '1 day';
  insert into private.kiosk_walk_ins (clinic_id, device_id, entry_id, at)
  values (d.clinic_id, d.id, (r ->> 'entry_id')::uuid, v_now);
  update public.kiosk_devices set last_used_at = v_now where id = d.id;
  return jsonb_build_object(
    'found', true,
    'entry_id', r -> 'entry_id',
    'ticket', r -> 'ticket',
    'status', 'waiting',
    'position', r -> 'position',
    'issued_at', to_char(v_now at time zone v_clinic.time_zone, 'YYYY-MM-DD HH24:MI'),
    'tracking_token', r -> 'tracking_token',
    'clinic_name', v_clinic.name);
end
$$;

