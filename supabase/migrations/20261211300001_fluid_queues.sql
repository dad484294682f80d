-- Fluid vs slotted queues (issue 17; design docs/fluid-queues.md, rules F1–F4 in
-- src/services/appointment/models/BookingMode.ts, tested there, in the booking repository contract on the
-- fake and the stack, and in supabase/tests/fluidBooking.test.ts on both databases).
--
-- A SLOTTED visit books a time (the model so far). A FLUID visit books a place in a day's line: no time, the
-- patient comes during opening hours and is served in order of arrival (check-in time, as a walk-in).
--   F1 a fluid booking takes a place in the day, not a time: book_fluid_place takes a day; private.book refuses
--      a slot on a fluid type (BOOKING.MODE_MISMATCH) and get_free_slots answers no times for it;
--      get_fluid_days answers its days with the places left.
--   F2 the day's places: floor((open minutes × slot_capacity − minutes the day's bookings hold) / duration);
--      a slotted booking holds its slot's minutes, a fluid one its type's duration; 0 left → BOOKING.DAY_FULL.
--      Counted under the day queue's lock, like slot capacity.
--   F3 in line by arrival: a fluid visit's order key is its booking time until check-in, then the check-in time
--      (check_in already does so for a visit without a slot); never passed over before check-in.
--   F4 the visit type's mode overrides the clinic's: coalesce(type.booking_mode, settings.booking_mode).
-- The one-visit-per-day rule (private.check_same_day_visit) and RLS are unchanged.
-- Redefined from their newest bodies: clinic_settings_defaults (20261201000000), clinic_settings_valid
-- (20261203100001), private.book (20261210800001), get_free_slots (20261202100001), get_public_clinic
-- (20261201000300), set_appointment_types (20261201002001), notification_outbox (20261210500002).

alter table public.appointment_types add column booking_mode text
  constraint appointment_types_booking_mode check (booking_mode in ('slotted', 'fluid'));

alter table public.queue_entries add column fluid boolean not null default false;
grant select (fluid) on public.queue_entries to authenticated;
alter table public.queue_entries drop constraint queue_entries_booked_has_slot;
alter table public.queue_entries add constraint queue_entries_booked_has_slot
  check (kind = 'walk_in' or slot_start is not null or fluid);
alter table public.queue_entries add constraint queue_entries_fluid_is_booked
  check (not fluid or (kind = 'booked' and slot_start is null));

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
    'booking_mode', 'slotted')
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
$$;

-- F4: the visit type's own mode, else the clinic's (a null type: the clinic's).
create or replace function private.type_booking_mode(p_clinic_id uuid, p_type_id uuid) returns text
language sql stable
set search_path = ''
as $$
  select coalesce(
    (select t.booking_mode from public.appointment_types t where t.id = p_type_id and t.clinic_id = p_clinic_id),
    (select private.effective_settings(c.settings) ->> 'booking_mode' from public.clinics c where c.id = p_clinic_id),
    'slotted')
$$;

-- F2: places left in a clinic's day for a fluid visit of p_duration minutes.
create or replace function private.fluid_places_left(p_clinic_id uuid, p_day date, p_duration integer)
returns integer
language sql stable
set search_path = ''
as $$
  with c as (
    select (private.effective_settings(settings) ->> 'slot_capacity')::integer as capacity
    from public.clinics where id = p_clinic_id
  ), open_minutes as (
    select coalesce(sum(extract(epoch from (w.ends_at - w.starts_at)) / 60), 0)::integer as m
    from public.working_hours w
    where w.clinic_id = p_clinic_id and w.weekday = extract(dow from p_day)
      and not exists (select 1 from public.closed_dates d where d.clinic_id = p_clinic_id and d.day = p_day)
  ), held as (
    select coalesce(sum(case when e.fluid
                             then coalesce(t.duration_minutes, private.type_duration(p_clinic_id, null))
                             else extract(epoch from (e.slot_end - e.slot_start)) / 60 end), 0)::integer as m
    from public.queue_entries e
    join public.queues q on q.id = e.queue_id and q.clinic_id = p_clinic_id and q.day = p_day
    left join public.appointment_types t on t.id = e.appointment_type_id
    where e.kind = 'booked' and e.status not in ('cancelled', 'no_show') and e.reactivations = 0
  )
  select greatest(0, floor((o.m * c.capacity - h.m)::numeric / greatest(p_duration, 1)))::integer
  from c, open_minutes o, held h
$$;

-- Why a fluid day cannot be booked (null when it can): closed, past, over, beyond the horizon.
create or replace function private.fluid_day_refusal(p_clinic public.clinics, p_day date, p_enforce_notice boolean)
returns text
language plpgsql stable
set search_path = ''
as $$
declare
  v_s jsonb := private.effective_settings(p_clinic.settings);
  v_today date := private.clinic_today(p_clinic.time_zone);
  v_last_close timestamptz;
  v_notice interval;
begin
  if p_day < v_today then
    return 'BOOKING.TOO_SOON';
  end if;
  if p_enforce_notice and p_day > v_today + (v_s ->> 'booking_horizon_days')::integer then
    return 'BOOKING.BEYOND_HORIZON';
  end if;
  select max((p_day + w.ends_at) at time zone p_clinic.time_zone) into v_last_close
    from public.working_hours w
   where w.clinic_id = p_clinic.id and w.weekday = extract(dow from p_day);
  if v_last_close is null
     or exists (select 1 from public.closed_dates d where d.clinic_id = p_clinic.id and d.day = p_day) then
    return 'BOOKING.CLINIC_CLOSED';
  end if;
  -- today's line can be joined until the last opening hour ends (minus the notice, for patients)
  v_notice := case when p_enforce_notice
    then make_interval(mins => (v_s ->> 'min_booking_notice_minutes')::integer) else interval '0' end;
  if v_last_close <= private.now() + v_notice then
    return 'BOOKING.TOO_SOON';
  end if;
  return null;
end
$$;

create or replace function private.book(p_clinic_id uuid, p_patient_id uuid, p_slot_start timestamp with time zone, p_type_id uuid, p_practitioner_id uuid, p_enforce_notice boolean)
returns jsonb
language plpgsql
set search_path = ''
as $function$
declare
  v_clinic public.clinics;
  v_settings jsonb;
  v_duration integer;
  v_day date;
  v_today date;
  v_slot_end timestamptz;
  v_queue public.queues;
  v_token text;
  v_entry_id uuid := gen_random_uuid();
begin
  -- the link token is derived from the visit (private.entry_link_token): the server can render it again
  v_token := private.entry_link_token(v_entry_id);
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if p_slot_start is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_slot_start is required');
  end if;
  v_settings := private.effective_settings(v_clinic.settings);
  v_duration := private.type_duration(p_clinic_id, p_type_id);
  if private.type_booking_mode(p_clinic_id, p_type_id) = 'fluid' then
    -- F1: a fluid visit type takes a place in the day's line, never a time (a forged slot is refused)
    perform private.raise_error(422, 'BOOKING.MODE_MISMATCH', 'this visit type takes a place in the day, not a slot');
  end if;
  if p_practitioner_id is not null and not exists (
       select 1 from public.clinic_members m
       where m.id = p_practitioner_id and m.clinic_id = p_clinic_id and m.active and m.role = 'practitioner') then
    perform private.raise_error(404, 'NOT_FOUND', 'practitioner not found');
  end if;
  v_day := (p_slot_start at time zone v_clinic.time_zone)::date;
  v_today := private.clinic_today(v_clinic.time_zone);

  if p_slot_start <= private.now() or (p_enforce_notice and p_slot_start
       < private.now() + make_interval(mins => (v_settings ->> 'min_booking_notice_minutes')::integer)) then
    perform private.raise_error(422, 'BOOKING.TOO_SOON', 'the slot starts too soon to book');
  end if;
  if p_enforce_notice and v_day > v_today + (v_settings ->> 'booking_horizon_days')::integer then
    perform private.raise_error(422, 'BOOKING.BEYOND_HORIZON', 'the slot is beyond the booking horizon');
  end if;
  if exists (select 1 from public.closed_dates d where d.clinic_id = p_clinic_id and d.day = v_day) then
    perform private.raise_error(422, 'BOOKING.CLINIC_CLOSED', 'the clinic is closed that day');
  end if;
  select s.slot_end into v_slot_end from private.day_slots(p_clinic_id, v_day, v_duration) s
   where s.slot_start = p_slot_start;
  if not found then
    perform private.raise_error(422, 'BOOKING.SLOT_UNAVAILABLE', 'not a bookable slot');
  end if;

  v_queue := private.lock_queue(p_clinic_id, v_day); -- serializes bookings of this clinic-day
  -- tickets stay unique even if an entry was added with an explicit number
  v_queue.next_ticket := greatest(v_queue.next_ticket,
    coalesce((select max(x.ticket_number) + 1 from public.queue_entries x where x.queue_id = v_queue.id), 1));
  if v_queue.status = 'closed' then
    perform private.raise_error(409, 'QUEUE.CLOSED', 'the day is closed');
  end if;
  if private.booked_overlapping(p_clinic_id, p_slot_start, v_slot_end)
       >= (v_settings ->> 'slot_capacity')::integer then
    perform private.raise_error(409, 'BOOKING.SLOT_FULL', 'the slot is full');
  end if;
  perform private.check_same_day_visit(v_queue.id, p_patient_id);

  insert into public.queue_entries (
    id, queue_id, clinic_id, patient_id, practitioner_id, appointment_type_id, kind, status, ticket_number,
    order_key, slot_start, slot_end, tracking_token_hash, created_by, appointment_id)
  values (
    v_entry_id, v_queue.id, p_clinic_id, p_patient_id, p_practitioner_id, p_type_id, 'booked', 'scheduled',
    v_queue.next_ticket, extract(epoch from p_slot_start)::numeric, p_slot_start, v_slot_end,
    private.hash_token(v_token), auth.uid(), v_entry_id);
  update public.queues set next_ticket = v_queue.next_ticket + 1 where id = v_queue.id;
  perform private.log_event(v_queue.id, p_clinic_id, v_entry_id, 'EntryScheduled',
    jsonb_build_object('ticket', private.ticket_label(v_clinic.ticket_prefix, v_queue.next_ticket),
                       'appointmentId', v_entry_id, 'slotAt', p_slot_start, 'practitionerId', p_practitioner_id));
  return jsonb_build_object(
    'entry_id', v_entry_id,
    'queue_id', v_queue.id,
    'clinic_id', p_clinic_id,
    'patient_id', p_patient_id,
    'day', v_day,
    'ticket_number', v_queue.next_ticket,
    'ticket', private.ticket_label(v_clinic.ticket_prefix, v_queue.next_ticket),
    'slot_start', p_slot_start,
    'slot_end', v_slot_end,
    'status', 'scheduled',
    'tracking_token', v_token,
    'queue_version', private.bump_version(v_queue.id));
end
$function$;

-- F1: a place in p_day's line for a fluid visit type. Same checks as private.book, by day instead of slot.
create or replace function private.book_fluid(p_clinic_id uuid, p_patient_id uuid, p_day date, p_type_id uuid,
  p_practitioner_id uuid, p_enforce_notice boolean)
returns jsonb
language plpgsql
set search_path = ''
as $function$
declare
  v_clinic public.clinics;
  v_duration integer;
  v_refusal text;
  v_queue public.queues;
  v_token text;
  v_entry_id uuid := gen_random_uuid();
begin
  v_token := private.entry_link_token(v_entry_id);
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if p_day is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_day is required');
  end if;
  v_duration := private.type_duration(p_clinic_id, p_type_id); -- another clinic's type: NOT_FOUND
  if private.type_booking_mode(p_clinic_id, p_type_id) <> 'fluid' then
    perform private.raise_error(422, 'BOOKING.MODE_MISMATCH', 'this visit type books a time slot');
  end if;
  if p_practitioner_id is not null and not exists (
       select 1 from public.clinic_members m
       where m.id = p_practitioner_id and m.clinic_id = p_clinic_id and m.active and m.role = 'practitioner') then
    perform private.raise_error(404, 'NOT_FOUND', 'practitioner not found');
  end if;
  v_refusal := private.fluid_day_refusal(v_clinic, p_day, p_enforce_notice);
  if v_refusal is not null then
    perform private.raise_error(422, v_refusal,
      case v_refusal when 'BOOKING.CLINIC_CLOSED' then 'the clinic is closed that day'
                     when 'BOOKING.BEYOND_HORIZON' then 'the day is beyond the booking horizon'
                     else 'the day is over' end);
  end if;

  v_queue := private.lock_queue(p_clinic_id, p_day); -- serializes bookings of this clinic-day (F2)
  v_queue.next_ticket := greatest(v_queue.next_ticket,
    coalesce((select max(x.ticket_number) + 1 from public.queue_entries x where x.queue_id = v_queue.id), 1));
  if v_queue.status = 'closed' then
    perform private.raise_error(409, 'QUEUE.CLOSED', 'the day is closed');
  end if;
  if private.fluid_places_left(p_clinic_id, p_day, v_duration) <= 0 then
    perform private.raise_error(409, 'BOOKING.DAY_FULL', 'no place left in that day');
  end if;
  perform private.check_same_day_visit(v_queue.id, p_patient_id);

  insert into public.queue_entries (
    id, queue_id, clinic_id, patient_id, practitioner_id, appointment_type_id, kind, status, ticket_number,
    order_key, slot_start, slot_end, fluid, tracking_token_hash, created_by, appointment_id)
  values (
    v_entry_id, v_queue.id, p_clinic_id, p_patient_id, p_practitioner_id, p_type_id, 'booked', 'scheduled',
    v_queue.next_ticket, extract(epoch from private.now())::numeric, null, null, true,
    private.hash_token(v_token), auth.uid(), v_entry_id);
  update public.queues set next_ticket = v_queue.next_ticket + 1 where id = v_queue.id;
  perform private.log_event(v_queue.id, p_clinic_id, v_entry_id, 'EntryScheduled',
    jsonb_build_object('ticket', private.ticket_label(v_clinic.ticket_prefix, v_queue.next_ticket),
                       'appointmentId', v_entry_id, 'slotAt', null,
                       'practitionerId', p_practitioner_id));
  return jsonb_build_object(
    'entry_id', v_entry_id,
    'queue_id', v_queue.id,
    'clinic_id', p_clinic_id,
    'patient_id', p_patient_id,
    'day', p_day,
    'ticket_number', v_queue.next_ticket,
    'ticket', private.ticket_label(v_clinic.ticket_prefix, v_queue.next_ticket),
    'slot_start', null,
    'slot_end', null,
    'fluid', true,
    'status', 'scheduled',
    'tracking_token', v_token,
    'queue_version', private.bump_version(v_queue.id));
end
$function$;
revoke execute on function private.book_fluid(uuid, uuid, date, uuid, uuid, boolean) from public, anon, authenticated;
revoke execute on function private.type_booking_mode(uuid, uuid) from public, anon, authenticated;
revoke execute on function private.fluid_places_left(uuid, date, integer) from public, anon, authenticated;
revoke execute on function private.fluid_day_refusal(public.clinics, date, boolean) from public, anon, authenticated;

-- book_fluid_place(p_clinic_id, p_day, p_appointment_type_id?, p_practitioner_id?, p_full_name?, p_language?)
--   → as book_appointment, with slot_start/slot_end null and fluid true. The caller's own patient record.
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
  v_name text;
  v_phone text;
begin
  if p_clinic_id is null or not exists (select 1 from public.clinics where id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  select id into v_patient_id from public.patients where clinic_id = p_clinic_id and user_id = v_uid;
  if v_patient_id is null then
    select coalesce(nullif(btrim(p_full_name), ''), pr.full_name) into v_name
      from (select 1) x left join public.profiles pr on pr.id = v_uid;
    if v_name is null or char_length(v_name) > 200 then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'a name (1-200 characters) is required');
    end if;
    select case when u.phone_confirmed_at is not null and private.is_e164('+' || ltrim(u.phone, '+'))
                then '+' || ltrim(u.phone, '+') end
      into v_phone from auth.users u where u.id = v_uid;
    insert into public.patients (clinic_id, user_id, full_name, phone, preferred_language)
    values (p_clinic_id, v_uid, v_name, v_phone, p_language)
    on conflict (clinic_id, user_id) where user_id is not null do nothing
    returning id into v_patient_id;
    if v_patient_id is null then
      select id into v_patient_id from public.patients where clinic_id = p_clinic_id and user_id = v_uid;
    end if;
  end if;
  return private.book_fluid(p_clinic_id, v_patient_id, p_day, p_appointment_type_id, p_practitioner_id, true);
end
$$;
revoke execute on function public.book_fluid_place(uuid, date, uuid, uuid, text, public.app_language) from public, anon;
grant execute on function public.book_fluid_place(uuid, date, uuid, uuid, text, public.app_language)
  to authenticated, service_role;

-- get_fluid_days(p_clinic_id, p_from, p_to?, p_appointment_type_id?) → [{ day, remaining }] (anyone): the
-- bookable days of a fluid type with the places left (F1, F2); [] for a slotted type.
create or replace function public.get_fluid_days(p_clinic_id uuid, p_from date, p_to date default null,
  p_appointment_type_id uuid default null)
returns jsonb
language plpgsql
stable security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_to date := coalesce(p_to, p_from);
  v_duration integer;
begin
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if p_from is null or v_to < p_from or v_to - p_from > 31 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_from..p_to must span 0-31 days');
  end if;
  v_duration := private.type_duration(p_clinic_id, p_appointment_type_id);
  if private.type_booking_mode(p_clinic_id, p_appointment_type_id) <> 'fluid' then
    return '[]'::jsonb;
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object('day', d.day, 'remaining', d.remaining) order by d.day)
    from (select g::date as day, private.fluid_places_left(p_clinic_id, g::date, v_duration) as remaining
            from generate_series(p_from, v_to, interval '1 day') g
           where private.fluid_day_refusal(v_clinic, g::date, true) is null) d
    where d.remaining > 0), '[]'::jsonb);
end
$$;
revoke execute on function public.get_fluid_days(uuid, date, date, uuid) from public;
grant execute on function public.get_fluid_days(uuid, date, date, uuid) to anon, authenticated, service_role;

create or replace function public.get_free_slots(p_clinic_id uuid, p_from date, p_to date DEFAULT NULL::date, p_appointment_type_id uuid DEFAULT NULL::uuid)
returns jsonb
language plpgsql
stable SECURITY DEFINER
set search_path = ''
as $function$
declare
  v_clinic public.clinics;
  v_s jsonb;
  v_to date := coalesce(p_to, p_from);
  v_today date;
  v_duration integer;
  v_result jsonb;
begin
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if p_from is null or v_to < p_from or v_to - p_from > 31 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_from..p_to must span 0-31 days');
  end if;
  v_s := private.effective_settings(v_clinic.settings);
  v_today := private.clinic_today(v_clinic.time_zone);
  v_duration := private.type_duration(p_clinic_id, p_appointment_type_id);
  if private.type_booking_mode(p_clinic_id, p_appointment_type_id) = 'fluid' then
    return '[]'::jsonb; -- F1: a fluid type has no times (get_fluid_days answers its days)
  end if;
  select coalesce(jsonb_agg(jsonb_build_object('start', s.slot_start, 'end', s.slot_end,
           'remaining', (v_s ->> 'slot_capacity')::integer - private.booked_overlapping(p_clinic_id, s.slot_start, s.slot_end))
           order by s.slot_start), '[]'::jsonb)
    into v_result
    from generate_series(greatest(p_from, v_today),
                         least(v_to, v_today + (v_s ->> 'booking_horizon_days')::integer), interval '1 day') d
    cross join lateral private.day_slots(p_clinic_id, d::date, v_duration) s
   where s.slot_start >= private.now() + make_interval(mins => (v_s ->> 'min_booking_notice_minutes')::integer)
     and private.booked_overlapping(p_clinic_id, s.slot_start, s.slot_end) < (v_s ->> 'slot_capacity')::integer;
  return v_result;
end
$function$;

create or replace function public.get_public_clinic(p_slug text) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_s jsonb;
begin
  select * into v_clinic from public.clinics
   where slug = lower(p_slug) or id::text = lower(p_slug);
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  v_s := private.effective_settings(v_clinic.settings);
  return jsonb_build_object(
    'id', v_clinic.id, 'slug', v_clinic.slug, 'name', v_clinic.name, 'time_zone', v_clinic.time_zone,
    'default_language', v_clinic.default_language, 'phone', v_clinic.phone, 'address', v_clinic.address,
    'appointment_types', coalesce((select jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name,
        'duration_minutes', t.duration_minutes,
        'booking_mode', coalesce(t.booking_mode, v_s ->> 'booking_mode')) order by t.name)
      from public.appointment_types t where t.clinic_id = v_clinic.id and t.active), '[]'::jsonb),
    'working_hours', coalesce((select jsonb_agg(jsonb_build_object('weekday', w.weekday,
        'starts_at', to_char(w.starts_at, 'HH24:MI'), 'ends_at', to_char(w.ends_at, 'HH24:MI'))
        order by w.weekday, w.starts_at)
      from public.working_hours w where w.clinic_id = v_clinic.id), '[]'::jsonb),
    'practitioners', coalesce((select jsonb_agg(jsonb_build_object('id', m.id, 'display_name', m.display_name)
        order by m.display_name)
      from public.clinic_members m where m.clinic_id = v_clinic.id and m.active and m.role = 'practitioner'),
      '[]'::jsonb),
    'booking', jsonb_build_object(
      'booking_horizon_days', v_s -> 'booking_horizon_days',
      'min_booking_notice_minutes', v_s -> 'min_booking_notice_minutes',
      'min_cancel_notice_minutes', v_s -> 'min_cancel_notice_minutes',
      'slot_capacity', v_s -> 'slot_capacity',
      'buffer_minutes', v_s -> 'buffer_minutes'));
end
$$;

create or replace function public.set_appointment_types(p_clinic_id uuid, p_types jsonb)
returns uuid[]
language plpgsql
security invoker
set search_path = ''
as $$
declare
  r record;
  v_names text[] := '{}';
  v_ids uuid[] := '{}';
  v_id uuid;
  v_out uuid[] := '{}';
begin
  perform private.require_admin(p_clinic_id);
  if p_types is null or jsonb_typeof(p_types) <> 'array' or jsonb_array_length(p_types) > 100 then
    perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"format"}');
  end if;
  for r in select value as v, ordinality - 1 as idx from jsonb_array_elements(p_types) with ordinality loop
    if jsonb_typeof(r.v) <> 'object'
       or (r.v ? 'id' and jsonb_typeof(r.v -> 'id') <> 'null'
           and coalesce(r.v ->> 'id', '') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
       or (r.v ? 'active' and jsonb_typeof(r.v -> 'active') <> 'boolean')
       -- F4: a type's own mode (null/absent = the clinic's)
       or (r.v ? 'booking_mode' and jsonb_typeof(r.v -> 'booking_mode') <> 'null'
           and coalesce(r.v ->> 'booking_mode', '') not in ('slotted', 'fluid')) then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'problem', 'format')::text);
    end if;
    if jsonb_typeof(r.v -> 'name') <> 'string' or char_length(btrim(r.v ->> 'name')) not between 1 and 120 then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'problem', 'name')::text);
    end if;
    if jsonb_typeof(r.v -> 'duration_minutes') <> 'number'
       or (r.v ->> 'duration_minutes') !~ '^\d{1,3}$'
       or (r.v ->> 'duration_minutes')::int not between 5 and 480 then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'problem', 'duration')::text);
    end if;
    if lower(btrim(r.v ->> 'name')) = any (v_names) then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'problem', 'duplicate')::text);
    end if;
    v_names := v_names || lower(btrim(r.v ->> 'name'));
    if jsonb_typeof(r.v -> 'id') = 'string' then
      if (r.v ->> 'id')::uuid = any (v_ids) or not exists (
        select 1 from public.appointment_types t where t.id = (r.v ->> 'id')::uuid and t.clinic_id = p_clinic_id) then
        perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
          'index', r.idx, 'id', r.v ->> 'id', 'problem', 'unknown')::text);
      end if;
      v_ids := v_ids || (r.v ->> 'id')::uuid;
    end if;
  end loop;

  -- names are unique per clinic: free the names first so two types may swap theirs
  update public.appointment_types t set name = t.id::text
  where t.clinic_id = p_clinic_id and t.id = any (v_ids);
  update public.appointment_types t set active = false
  where t.clinic_id = p_clinic_id and not (t.id = any (v_ids)) and t.active;
  for r in select value as v from jsonb_array_elements(p_types) loop
    if jsonb_typeof(r.v -> 'id') = 'string' then
      update public.appointment_types t
      set name = btrim(r.v ->> 'name'), duration_minutes = (r.v ->> 'duration_minutes')::int,
          active = coalesce((r.v ->> 'active')::boolean, true), booking_mode = case when r.v ? 'booking_mode' then r.v ->> 'booking_mode' else t.booking_mode end
      where t.id = (r.v ->> 'id')::uuid and t.clinic_id = p_clinic_id
      returning t.id into v_id;
    else
      -- a left-out type may hold the name: it was deactivated above, take its row back instead
      update public.appointment_types t
      set duration_minutes = (r.v ->> 'duration_minutes')::int,
          active = coalesce((r.v ->> 'active')::boolean, true), booking_mode = case when r.v ? 'booking_mode' then r.v ->> 'booking_mode' else t.booking_mode end
      where t.clinic_id = p_clinic_id and t.name = btrim(r.v ->> 'name')
      returning t.id into v_id;
      if v_id is null then
        insert into public.appointment_types (clinic_id, name, duration_minutes, active, booking_mode)
        values (p_clinic_id, btrim(r.v ->> 'name'), (r.v ->> 'duration_minutes')::int,
                coalesce((r.v ->> 'active')::boolean, true), r.v ->> 'booking_mode')
        returning id into v_id;
      end if;
    end if;
    if v_id is null then
      perform private.raise_error(403, 'AUTH.FORBIDDEN', 'owner or admin only');
    end if;
    v_out := v_out || v_id;
    v_id := null;
  end loop;
  return v_out;
end
$$;

create or replace function public.notification_outbox(
  p_limit integer default 50, p_min_age_seconds integer default 20, p_max_age_seconds integer default 3600)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_out jsonb := '[]'::jsonb;
  r record;
  v_kind public.notification_kind;
  v_key text;
  v_lang public.app_language;
  v_settings jsonb;
  v_e public.queue_entries;
  v_p public.patients;
  v_c public.clinics;
  v_route record;
  v_values jsonb;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  for r in
    select ev.*, e.ticket_number, e.called_room, e.patient_id, e.joined_remotely, p.full_name, p.preferred_language,
           c.name as clinic_name, c.default_language, c.ticket_prefix, c.settings, c.time_zone
      from public.queue_events ev
      left join public.queue_entries e on e.id = ev.entry_id and e.clinic_id = ev.clinic_id
      left join public.patients p on p.id = e.patient_id
      join public.clinics c on c.id = ev.clinic_id
     where ev.notified_at is null
       and ev.occurred_at <= private.now() - make_interval(secs => greatest(coalesce(p_min_age_seconds, 20), 0))
     order by ev.id
     limit least(greatest(coalesce(p_limit, 50), 1), 500)
     for update of ev skip locked
  loop
    v_kind := case when r.type = 'WalkInAdded' and r.joined_remotely then 'remote_join_confirmed'
                   else private.event_notification_kind(r.type, r.payload) end;
    v_key := case when v_kind is not null and r.entry_id is not null
                  then private.event_notification_key(v_kind, r.entry_id, r.correlation_id, r.payload, r.id) end;
    v_e := null;
    if v_key is not null then
      select * into v_e from public.queue_entries where id = r.entry_id;
    end if;
    if v_key is null
       -- a confirmation is owed while the visit is a pending booking whose slot has not started (a sweep
       -- that was down for a while still confirms); the other messages expire after p_max_age_seconds
       or (v_kind = 'booking_confirmed' and (v_e.kind is distinct from 'booked'
             or v_e.status not in ('scheduled', 'waiting') or v_e.slot_start <= private.now()))
       -- a remote join is confirmed while the patient is still waiting (not cancelled, not already called)
       or (v_kind = 'remote_join_confirmed' and v_e.status is distinct from 'waiting')
       or (v_kind <> 'booking_confirmed' and r.occurred_at
             < private.now() - make_interval(secs => greatest(coalesce(p_max_age_seconds, 3600), 0)))
       or exists (select 1 from public.notifications n
                   where n.clinic_id = r.clinic_id and n.idempotency_key = v_key)
       or exists (select 1 from public.notifications n
                   where n.clinic_id = r.clinic_id and n.entry_id = r.entry_id and n.kind = v_kind
                     and n.created_at >= r.occurred_at) then
      update public.queue_events set notified_at = private.now() where id = r.id;
      continue;
    end if;
    v_lang := coalesce(r.preferred_language, r.default_language);
    select * into v_p from public.patients where id = r.patient_id;
    select * into v_route from private.notification_route(v_p);
    if v_route.channel is null then
      -- owed but not sendable on any channel: recorded in the message log as skipped with its reason (no
      -- recipient kept), under the message's own key, so it is recorded once and never sent later
      insert into public.notifications (clinic_id, entry_id, event_id, kind, language, idempotency_key,
                                        status, skip_reason)
      values (r.clinic_id, r.entry_id, r.id, v_kind, v_lang, v_key, 'skipped', v_route.skip_reason)
      on conflict (clinic_id, idempotency_key) do nothing;
      update public.queue_events set notified_at = private.now() where id = r.id;
      continue;
    end if;
    select * into v_c from public.clinics where id = r.clinic_id;
    v_settings := private.effective_settings(r.settings);
    v_values := jsonb_build_object(
        'ticket', coalesce(r.payload ->> 'ticket', private.ticket_label(r.ticket_prefix, r.ticket_number)),
        'room', coalesce(r.payload ->> 'room', r.called_room),
        'position', r.payload ->> 'position',
        'grace_minutes', coalesce(r.payload ->> 'graceMinutes', v_settings ->> 'grace_period_minutes'));
    if v_kind = 'booking_confirmed' then
      v_values := v_values || jsonb_build_object(
        'appointment_time', coalesce(to_char(v_e.slot_start at time zone r.time_zone, 'DD/MM HH24:MI'),
          -- a fluid visit has a day, no time
          (select to_char(q.day, 'DD/MM') from public.queues q where q.id = v_e.queue_id)));
    elsif v_kind = 'remote_join_confirmed' then
      v_values := v_values || jsonb_build_object(
        'arrive_by', to_char(v_e.arrive_by at time zone r.time_zone, 'HH24:MI'));
    end if;
    -- a routed item carries no skip_reason
    v_out := v_out || (private.outbox_item(v_kind, v_key, r.id, v_e, v_p, v_c, v_values) - 'skip_reason');
  end loop;
  return v_out;
end
$function$;
