-- Session 16 (abuse16), attack review item 2: one patient could hold many slots and drain the clinic's monthly
-- SMS budget. The reviewer held 25 visits at one clinic at once, and book/cancel loops spent 50 of the default 200
-- SMS in two minutes on `booking_confirmed` (sent 20 s after each booking; a cancel sends nothing) — after that
-- every patient's your_turn was skipped_budget.
--
-- Rules now:
--   * V1 "a patient holds at most N active upcoming visits at a clinic": a clinic setting
--     `max_active_visits_per_patient` (default 3, 1–50; ClinicSettings.ts is the source, settingsParity.test the
--     check). The patient's own booking (book_appointment, book_fluid_place) is refused with 409
--     BOOKING.TOO_MANY_VISITS when the patient record already has N visits scheduled / waiting / called on the
--     clinic's today or later. Staff bookings (staff_book_appointment, staff_book_fluid_place), moves
--     (reschedule, an earlier slot) and the same-day remote join are not counted against it. The patient row is
--     locked first, so two parallel bookings of one patient (different days lock different queue rows) cannot
--     both pass the count.
--   * C1 "at most 3 booking confirmations by SMS per patient per clinic day": the 4th and later
--     booking_confirmed SMS of a patient on the clinic's day (created_at from the start of the clinic's today) are
--     recorded as skipped_budget with the reason in `error`, nothing reserved, nothing sent.
--   * C2 "queue messages are never starved by confirmations": a booking_confirmed SMS may not take the last 20 %
--     of the month's count (at least one message) nor of its amount; the rest of the budget is for every other
--     kind (your_turn, almost_turn, reminders …), which may use it to the limit as before.
--
-- Redefined from their newest bodies: private.clinic_settings_defaults, private.clinic_settings_valid
-- (20261212600002), public.book_appointment and public.book_fluid_place (20261214200003: one
-- private.find_or_create_patient, fluid17d),
-- public.sms_budget_reserve (20261208500001).

create function private.confirmations_per_patient_day() returns integer
language sql immutable set search_path = '' as $$ select 3 $$;
revoke all on function private.confirmations_per_patient_day() from public;

create function private.sms_queue_reserve_ratio() returns numeric
language sql immutable set search_path = '' as $$ select 0.2::numeric $$;
revoke all on function private.sms_queue_reserve_ratio() from public;

-- V1: refuses a patient's own booking past the clinic's cap of active upcoming visits (before anything is written)
create function private.check_patient_visit_cap(p_clinic_id uuid, p_patient_id uuid) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_cap integer;
  v_active integer;
begin
  select * into v_clinic from public.clinics where id = p_clinic_id;
  -- one booking of this patient at a time; NO KEY UPDATE so new visits' foreign-key checks (FOR KEY SHARE) on the
  -- patient row — e.g. the desk booking the same patient while it holds the day's queue row — are not blocked
  perform 1 from public.patients where id = p_patient_id for no key update;
  v_cap := (private.effective_settings(v_clinic.settings) ->> 'max_active_visits_per_patient')::integer;
  select count(*) into v_active
    from public.queue_entries e join public.queues q on q.id = e.queue_id
   where e.clinic_id = p_clinic_id and e.patient_id = p_patient_id
     and e.status in ('scheduled', 'waiting', 'called')
     and q.day >= private.clinic_today(v_clinic.time_zone);
  if v_active >= v_cap then
    perform private.raise_error(409, 'BOOKING.TOO_MANY_VISITS',
      format('a patient may hold %s upcoming visits at this clinic; cancel one to book another', v_cap));
  end if;
end
$$;
revoke all on function private.check_patient_visit_cap(uuid, uuid) from public;

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
    'max_active_visits_per_patient', 3)
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
$$;

create or replace function public.book_appointment(
  p_clinic_id uuid,
  p_slot_start timestamptz,
  p_appointment_type_id uuid default null,
  p_practitioner_id uuid default null,
  p_full_name text default null,
  p_language public.app_language default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
  v_patient_id uuid;
begin
  if p_clinic_id is null or not exists (select 1 from public.clinics where id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  v_patient_id := (private.find_or_create_patient(p_clinic_id, v_uid, p_full_name, null, p_language) ->> 'patient_id')::uuid;
  perform private.check_patient_visit_cap(p_clinic_id, v_patient_id);
  return private.book(p_clinic_id, v_patient_id, p_slot_start, p_appointment_type_id, p_practitioner_id, true);
end
$$;

create or replace function public.book_fluid_place(
  p_clinic_id uuid,
  p_day date,
  p_appointment_type_id uuid default null,
  p_practitioner_id uuid default null,
  p_full_name text default null,
  p_language public.app_language default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
  v_patient_id uuid;
begin
  if p_clinic_id is null or not exists (select 1 from public.clinics where id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  v_patient_id := (private.find_or_create_patient(p_clinic_id, v_uid, p_full_name, null, p_language) ->> 'patient_id')::uuid;
  perform private.check_patient_visit_cap(p_clinic_id, v_patient_id);
  return private.book_fluid(p_clinic_id, v_patient_id, p_day, p_appointment_type_id, p_practitioner_id, true);
end
$$;

create or replace function public.sms_budget_reserve(p_clinic_id uuid, p_idempotency_key text, p_kind notification_kind, p_segments integer, p_cost numeric, p_entry_id uuid DEFAULT NULL::uuid, p_event_id bigint DEFAULT NULL::bigint, p_recipient text DEFAULT NULL::text, p_language app_language DEFAULT NULL::app_language, p_body text DEFAULT NULL::text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_month date;
  v_n public.notifications;
  v_b public.sms_budgets;
  v_ratio numeric;
  v_alert boolean := false;
  v_inserted boolean := false;
  v_patient_id uuid;
  v_tz text;
  v_skip text;
  v_keep numeric;
begin
  perform private.require_staff(p_clinic_id);
  if p_idempotency_key is null or p_kind is null or p_segments is null or p_cost is null
     or p_segments < 0 or p_segments > 50 or p_cost < 0 or p_cost > 1000
     or char_length(p_idempotency_key) not between 1 and 200
     or (p_recipient is not null and not private.is_e164(p_recipient))
     or char_length(p_body) > 1600 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'key, kind, segments (0-50) and cost (>= 0) are required');
  end if;
  if p_entry_id is not null and not exists (
       select 1 from public.queue_entries where id = p_entry_id and clinic_id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found in this clinic');
  end if;
  if p_event_id is not null and not exists (
       select 1 from public.queue_events where id = p_event_id and clinic_id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'event not found in this clinic');
  end if;
  v_month := private.budget_month(p_clinic_id);
  perform private.ensure_budget(p_clinic_id, v_month);

  begin
    insert into public.notifications (clinic_id, entry_id, event_id, kind, recipient, language, body,
                                      idempotency_key, segments, budget_month)
    values (p_clinic_id, p_entry_id, p_event_id, p_kind, p_recipient, p_language, p_body,
            p_idempotency_key, p_segments, v_month)
    on conflict (clinic_id, idempotency_key) do nothing
    returning * into v_n;
    v_inserted := v_n.id is not null;
  exception
    when check_violation or foreign_key_violation or string_data_right_truncation then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'the message could not be recorded');
  end;
  if not v_inserted then
    select * into v_n from public.notifications
     where clinic_id = p_clinic_id and idempotency_key = p_idempotency_key for update;
    if v_n.status <> 'failed' or v_n.channel <> 'sms' then
      return jsonb_build_object('notification_id', v_n.id, 'status', v_n.status, 'reserved', false,
                                'duplicate', true, 'code', null, 'remaining_count', null,
                                'remaining_amount', null, 'alert', false, 'channel', v_n.channel);
    end if;
  end if;

  -- a booking confirmation is not sent past the patient's daily allowance (private.confirmations_per_patient_day)
  if p_kind = 'booking_confirmed' and p_entry_id is not null then
    select e.patient_id into v_patient_id from public.queue_entries e where e.id = p_entry_id;
    select c.time_zone into v_tz from public.clinics c where c.id = p_clinic_id;
    if (select count(*) from public.notifications n join public.queue_entries e on e.id = n.entry_id
         where n.clinic_id = p_clinic_id and n.kind = 'booking_confirmed' and n.id <> v_n.id
           and n.channel = 'sms' and n.status not in ('skipped_budget', 'skipped')
           and e.patient_id = v_patient_id
           and n.created_at >= (private.clinic_today(v_tz)::timestamp at time zone v_tz))
       >= private.confirmations_per_patient_day() then
      v_skip := 'daily booking confirmations of this patient used up';
    end if;
  end if;
  -- the queue messages' share: a booking confirmation may not take the budget's last
  -- private.sms_queue_reserve_ratio() (20 %, at least one message), kept for your_turn / almost_turn and the rest
  v_keep := case when p_kind = 'booking_confirmed' then private.sms_queue_reserve_ratio() else 0 end;
  if v_skip is null then
    update public.sms_budgets b
       set reserved_count = b.reserved_count + 1, reserved_amount = b.reserved_amount + p_cost
     where b.clinic_id = p_clinic_id and b.month = v_month
       and b.reserved_count + b.spent_count + 1
             <= b.limit_count - case when v_keep > 0 then greatest(1, ceil(b.limit_count * v_keep)) else 0 end
       and b.reserved_amount + b.spent_amount + p_cost <= b.limit_amount - b.limit_amount * v_keep
    returning * into v_b;
    if v_b.clinic_id is null and v_keep > 0 then
      v_skip := 'the rest of the monthly SMS budget is kept for queue messages';
    end if;
  end if;

  if v_b.clinic_id is null then
    update public.notifications set status = 'skipped_budget', reserved = false, reserved_cost = 0,
                                    segments = p_segments, error = coalesce(v_skip, 'monthly SMS budget exhausted')
     where id = v_n.id;
    select * into v_b from public.sms_budgets where clinic_id = p_clinic_id and month = v_month;
    return jsonb_build_object('notification_id', v_n.id, 'status', 'skipped_budget', 'reserved', false,
                              'duplicate', false, 'code', 'SMS.BUDGET_EXCEEDED',
                              'remaining_count', greatest(0, v_b.limit_count - v_b.reserved_count - v_b.spent_count),
                              'remaining_amount', greatest(0, v_b.limit_amount - v_b.reserved_amount - v_b.spent_amount),
                              'alert', false);
  end if;

  update public.notifications set status = 'queued', reserved = true, reserved_cost = p_cost,
                                  segments = p_segments, error = null
   where id = v_n.id;
  v_ratio := (select (private.effective_settings(settings) ->> 'budget_alert_ratio')::numeric
                from public.clinics where id = p_clinic_id);
  if v_b.alerted_at is null and (
       (v_b.limit_count > 0 and (v_b.reserved_count + v_b.spent_count)::numeric / v_b.limit_count >= v_ratio)
    or (v_b.limit_amount > 0 and (v_b.reserved_amount + v_b.spent_amount) / v_b.limit_amount >= v_ratio)) then
    update public.sms_budgets set alerted_at = private.now() where clinic_id = p_clinic_id and month = v_month;
    v_alert := true;
  end if;
  return jsonb_build_object('notification_id', v_n.id, 'status', 'queued', 'reserved', true,
                            'duplicate', false, 'code', null,
                            'remaining_count', v_b.limit_count - v_b.reserved_count - v_b.spent_count,
                            'remaining_amount', v_b.limit_amount - v_b.reserved_amount - v_b.spent_amount,
                            'alert', v_alert);
end
$function$;
