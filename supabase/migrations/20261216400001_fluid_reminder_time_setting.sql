-- The fluid day-before reminder's hour is a clinic setting (issue 17, session 17).
--
-- Session 15 (20261213400002) owed a fluid visit's one `fluid_reminder` from 18:00 the day before its day, fixed in
-- private.fluid_reminder_hour(). A clinic that opens at 07:00 wants it at 20:00, one whose patients travel from the
-- villages at 12:00. Now `fluid_reminder_time` ('HH:MM', 00:00–23:59 in the clinic's time zone, default '18:00' —
-- unchanged for every clinic that does not set it) lives in clinics.settings with the other rules, is validated by
-- private.clinic_settings_valid (clinics_settings_valid: a direct update with '24:00', '7:30', 1800 … is refused
-- with its coded error) and by the domain's ClinicSettingsSchema (settingsParity.test), and is read by the sweep:
-- owed from that time the day before the visit's day until the day begins, for a place taken before that time.
--
-- Redefined from their newest bodies: private.clinic_settings_defaults, private.clinic_settings_valid
-- (20261214800002), public.reminder_outbox (20261214200001). private.fluid_reminder_hour() (no argument) stays
-- for anything that still calls it; the sweep uses the new private.fluid_reminder_hour(settings).

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
    'fluid_reminder_time', '18:00')
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
$$;

-- the clinic's fluid reminder time; a missing or (never stored: the check refuses it) malformed value is 18:00
create or replace function private.fluid_reminder_hour(p_settings jsonb) returns time
language sql immutable
set search_path = ''
as $$
  select case when (private.effective_settings(p_settings) ->> 'fluid_reminder_time') ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'
              then (private.effective_settings(p_settings) ->> 'fluid_reminder_time')::time
              else time '18:00' end
$$;
revoke all on function private.fluid_reminder_hour(jsonb) from public;

create or replace function public.reminder_outbox(p_limit integer default 50)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.now();
  v_limit integer := least(greatest(coalesce(p_limit, 50), 1), 500);
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  return coalesce((
    select jsonb_agg(x.item order by x.slot_start, x.id)
      from (
        select e.id, e.slot_start,
               private.outbox_item('appointment_reminder', private.reminder_key(e.id, e.slot_start), null, e, p, c,
                 jsonb_build_object(
                   'appointment_time', to_char(e.slot_start at time zone c.time_zone, 'DD/MM HH24:MI'))) as item
          from public.queue_entries e
          join public.clinics c on c.id = e.clinic_id
          join public.patients p on p.id = e.patient_id
         where c.reminder_minutes_before is not null
           and e.kind = 'booked'
           and e.status in ('scheduled', 'waiting')
           and e.slot_start > v_now
           and e.slot_start <= v_now + make_interval(mins => c.reminder_minutes_before)
           -- a date the clinic closed after the visit was booked, or a weekday it no longer opens: no "your
           -- visit in N minutes" to a closed door (as the fluid reminder below, 20261213900005)
           and not exists (select 1 from public.queues q join public.closed_dates d
                                  on d.clinic_id = q.clinic_id and d.day = q.day
                            where q.id = e.queue_id)
           and exists (select 1 from public.queues q join public.working_hours h
                              on h.clinic_id = q.clinic_id and h.weekday = extract(dow from q.day)
                        where q.id = e.queue_id)
           and not exists (select 1 from public.notifications n
                            where n.clinic_id = e.clinic_id
                              and n.idempotency_key = private.reminder_key(e.id, e.slot_start))
         order by e.slot_start, e.id
         limit v_limit
      ) x), '[]'::jsonb)
    || coalesce((
    select jsonb_agg(y.item order by y.offered_at, y.id)
      from (
        select w.id, w.offered_at,
               private.outbox_item('waitlist_offer', private.waitlist_offer_key(w.id), null, e, p, c,
                 jsonb_build_object(
                   'appointment_time', to_char(w.offered_slot_start at time zone c.time_zone, 'DD/MM HH24:MI'),
                   'offer_expires_at', to_char(w.offer_expires_at at time zone c.time_zone, 'HH24:MI'))) as item
          from public.waitlist_requests w
          join public.queue_entries e on e.id = w.entry_id
          join public.clinics c on c.id = w.clinic_id
          join public.patients p on p.id = e.patient_id
         where w.status = 'offered'
           and w.offer_expires_at > v_now
           and not exists (select 1 from public.notifications n
                            where n.clinic_id = w.clinic_id
                              and n.idempotency_key = private.waitlist_offer_key(w.id))
         order by w.offered_at, w.id
         limit v_limit
      ) y), '[]'::jsonb)
    || coalesce((
    select jsonb_agg(z.item order by z.day, z.id)
      from (
        select e.id, q.day,
               private.outbox_item('fluid_reminder', private.fluid_reminder_key(e.id, q.day), null, e, p, c,
                 jsonb_build_object('appointment_time', to_char(q.day, 'DD/MM'))) as item
          from public.queue_entries e
          join public.queues q on q.id = e.queue_id
          join public.clinics c on c.id = e.clinic_id
          join public.patients p on p.id = e.patient_id
         where c.reminder_minutes_before is not null
           and e.fluid
           and e.kind = 'booked'
           and e.status in ('scheduled', 'waiting')
           -- from the clinic's reminder hour (fluid_reminder_time) the day before the visit's day until that day begins, in the clinic
           and v_now >= ((q.day - 1) + private.fluid_reminder_hour(c.settings)) at time zone c.time_zone
           and v_now < (q.day + time '00:00') at time zone c.time_zone
           and e.created_at < ((q.day - 1) + private.fluid_reminder_hour(c.settings)) at time zone c.time_zone
           -- a day the clinic closed after the place was taken, or a weekday it no longer opens: no "come tomorrow"
           and not exists (select 1 from public.closed_dates d where d.clinic_id = c.id and d.day = q.day)
           and exists (select 1 from public.working_hours h
                        where h.clinic_id = c.id and h.weekday = extract(dow from q.day))
           and not exists (select 1 from public.notifications n
                            where n.clinic_id = e.clinic_id
                              and n.idempotency_key = private.fluid_reminder_key(e.id, q.day))
         order by q.day, e.id
         limit v_limit
      ) z), '[]'::jsonb);
end
$$;
revoke all on function public.reminder_outbox(integer) from public, anon, authenticated;
grant execute on function public.reminder_outbox(integer) to service_role;
