-- Session 20 (board20), issue 17 "kiosk mode: walk-in self-registration", switchable per clinic.
--
-- kioskWalkInsSwitch: `kiosk_walk_ins` (boolean, default TRUE) in clinics.settings with the other rules. Default on:
-- session 18 shipped the kiosk's walk-in button on every paired kiosk, and clinics that use it must not lose it
-- silently with this release; a kiosk exists only where staff paired one, and its walk-ins are already bounded
-- (opening hours, intake closed, max_walk_ins_per_day, 10 per kiosk in 10 minutes, one visit a day). A clinic whose
-- desk wants to see every walk-in first turns it off in Admin → Queue rules. Off: kiosk_register_walk_in answers
-- 409 KIOSK.WALK_INS_OFF before anything is written or counted, get_kiosk says `walk_ins: false`, and the kiosk
-- screen hides its walk-in button (check-in stays). Validated by private.clinic_settings_valid (a direct update
-- with a non-boolean is refused) and by the domain's ClinicSettingsSchema (settingsParity.test).
--
-- Redefined from their newest bodies: private.clinic_settings_defaults and private.clinic_settings_valid
-- (20261216400001_fluid_reminder_time_setting.sql), public.kiosk_register_walk_in
-- (20261217500001_kiosk_walk_in_and_pairing_codes.sql), public.get_kiosk (20261216200001_kiosk_devices.sql).

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
    'check_in_window_minutes', 60,
    'booking_mode', 'slotted',
    'waitlist_min_lead_minutes', 30,
    'max_active_visits_per_patient', 3,
    'fluid_reminder_time', '18:00',
    'kiosk_walk_ins', true)
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
         or (jsonb_typeof(s -> 'late_return_policy') = 'string'
             and (s ->> 'late_return_policy') in ('after_next', 'front', 'end')))
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
    and (s -> 'booking_mode' is null
         or (jsonb_typeof(s -> 'booking_mode') = 'string' and (s ->> 'booking_mode') in ('slotted', 'fluid')))
    and private.json_int_between(s -> 'waitlist_min_lead_minutes', 0, 1440)
    and private.json_int_between(s -> 'max_active_visits_per_patient', 1, 50)
    and (s -> 'fluid_reminder_time' is null
         or (jsonb_typeof(s -> 'fluid_reminder_time') = 'string'
             and (s ->> 'fluid_reminder_time') ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'))
    and private.json_is_bool(s -> 'kiosk_walk_ins')
$$;

create or replace function public.get_kiosk(p_kiosk_token text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  d public.kiosk_devices := private.kiosk_device(p_kiosk_token);
  c public.clinics;
begin
  select * into c from public.clinics where id = d.clinic_id;
  return jsonb_build_object('id', d.id, 'label', d.label, 'clinic_id', c.id, 'clinic_name', c.name,
                            'default_language', c.default_language, 'ticket_prefix', c.ticket_prefix,
                            'walk_ins', coalesce((private.effective_settings(c.settings) ->> 'kiosk_walk_ins')::boolean,
                                                 true));
end
$$;

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
