-- Issue 17, waitlist minimum lead time — W8 "waitlist: a slot too soon to reach is offered to nobody": a freed
-- slot (W1 cancellation, W7 no-show, W3 an offer expiring or declined, W4 a held slot passing on) is offered to
-- the waitlist only if it starts at least `waitlist_min_lead_minutes` after private.now() — a clinic setting in
-- clinics.settings (default 30, 0–1440; 0 = any slot still ahead, the old rule). An offer nobody can reach in
-- time would only hold the slot away from a walk-in or a booking. The slot stays free for anyone to book.
-- The domain's statement: src/services/appointment/models/FreedSlot.ts (W8); the setting's default and bounds
-- are ClinicSettings.ts's (settingsParity.test.ts checks both sides agree).
--
-- Redefined from their newest bodies: private.clinic_settings_defaults and private.clinic_settings_valid
-- (20261211300001: + the key), private.waitlist_offer_slot (20261208400002: + the lead-time check).

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
    'waitlist_min_lead_minutes', 30)
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
$$;

create or replace function private.waitlist_offer_slot(p_clinic_id uuid, p_day date, p_slot_start timestamptz)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_req uuid;
  v_duration integer;
  v_end timestamptz;
begin
  if p_slot_start is null or p_slot_start <= private.now() then
    return null;
  end if;
  select * into v_clinic from public.clinics where id = p_clinic_id;
  -- W8: a slot starting sooner than the clinic's lead time is offered to nobody (nobody could reach it)
  if p_slot_start < private.now()
       + make_interval(mins => (private.effective_settings(v_clinic.settings) ->> 'waitlist_min_lead_minutes')::integer)
  then
    return null;
  end if;
  if exists (select 1 from public.closed_dates d where d.clinic_id = p_clinic_id and d.day = p_day) then
    return null;
  end if;
  v_req := private.waitlist_next(p_clinic_id, p_day, p_slot_start);
  if v_req is null then
    return null;
  end if;
  select private.type_duration(e.clinic_id, e.appointment_type_id) into v_duration
    from public.waitlist_requests w join public.queue_entries e on e.id = w.entry_id where w.id = v_req;
  select s.slot_end into v_end from private.day_slots(p_clinic_id, p_day, v_duration) s
   where s.slot_start = p_slot_start;
  if v_end is null
     or private.booked_overlapping(p_clinic_id, p_slot_start, v_end)
          >= (private.effective_settings(v_clinic.settings) ->> 'slot_capacity')::integer then
    return null;
  end if;
  update public.waitlist_requests
     set status = 'offered', offered_slot_start = p_slot_start, offered_slot_end = v_end,
         offered_at = private.now(),
         offer_expires_at = least(private.now() + make_interval(mins => v_clinic.waitlist_offer_minutes),
                                  p_slot_start),
         updated_at = private.now()
   where id = v_req;
  return v_req;
end
$$;
