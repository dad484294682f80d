-- QueueMed baseline (4/8): booking and patient self-service, the public (no account) reads, and the
-- kiosk check-in.
-- Capacity: bookings of one clinic-day serialize on that day's queue row (SELECT … FOR UPDATE), then
-- count overlapping active bookings — so a slot is never booked beyond slot_capacity, even concurrently.

-- The slot grid of one local day for an appointment duration: each working-hours interval from its
-- start, every duration + buffer_minutes, slots ending inside the interval. Computed in the clinic's
-- zone (local timestamps → timestamptz), so daylight-saving changes keep local times right.
create function private.day_slots(p_clinic_id uuid, p_day date, p_duration integer)
returns table (slot_start timestamptz, slot_end timestamptz)
language sql stable
set search_path = ''
as $$
  with c as (
    select time_zone, (private.effective_settings(settings) ->> 'buffer_minutes')::integer as buffer
    from public.clinics where id = p_clinic_id
  )
  select (p_day + w.starts_at + make_interval(mins => n * (p_duration + c.buffer))) at time zone c.time_zone,
         (p_day + w.starts_at + make_interval(mins => n * (p_duration + c.buffer) + p_duration)) at time zone c.time_zone
  from c
  join public.working_hours w on w.clinic_id = p_clinic_id and w.weekday = extract(dow from p_day)
  cross join lateral generate_series(
    0, greatest(-1, floor((extract(epoch from (w.ends_at - w.starts_at)) / 60 - p_duration)
                          / (p_duration + c.buffer))::integer)) as n
  where not exists (select 1 from public.closed_dates d where d.clinic_id = p_clinic_id and d.day = p_day)
  order by 1
$$;

create function private.booked_overlapping(p_clinic_id uuid, p_start timestamptz, p_end timestamptz)
returns integer
language sql stable
set search_path = ''
as $$
  select count(*)::integer from public.queue_entries e
  where e.clinic_id = p_clinic_id and e.kind = 'booked'
    and e.status not in ('cancelled', 'no_show')
    and e.slot_start < p_end and coalesce(e.slot_end, e.slot_start + interval '1 minute') > p_start
$$;

create function private.type_duration(p_clinic_id uuid, p_type_id uuid) returns integer
language plpgsql stable
set search_path = ''
as $$
declare
  v integer;
begin
  if p_type_id is null then
    select min(duration_minutes) into v from public.appointment_types where clinic_id = p_clinic_id and active;
    return coalesce(v, 15);
  end if;
  select duration_minutes into v from public.appointment_types
   where id = p_type_id and clinic_id = p_clinic_id and active;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'appointment type not found');
  end if;
  return v;
end
$$;

-- Shared by book_appointment (patient) and staff_book_appointment (staff).
create function private.book(
  p_clinic_id uuid, p_patient_id uuid, p_slot_start timestamptz, p_type_id uuid, p_practitioner_id uuid,
  p_enforce_notice boolean)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_settings jsonb;
  v_duration integer;
  v_day date;
  v_today date;
  v_slot_end timestamptz;
  v_queue public.queues;
  v_token text := private.new_token();
  v_entry_id uuid := gen_random_uuid();
begin
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if p_slot_start is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_slot_start is required');
  end if;
  v_settings := private.effective_settings(v_clinic.settings);
  v_duration := private.type_duration(p_clinic_id, p_type_id);
  if p_practitioner_id is not null and not exists (
       select 1 from public.clinic_members m
       where m.id = p_practitioner_id and m.clinic_id = p_clinic_id and m.active and m.role = 'practitioner') then
    perform private.raise_error(404, 'NOT_FOUND', 'practitioner not found');
  end if;
  v_day := (p_slot_start at time zone v_clinic.time_zone)::date;
  v_today := private.clinic_today(v_clinic.time_zone);

  if p_slot_start <= now() or (p_enforce_notice and p_slot_start
       < now() + make_interval(mins => (v_settings ->> 'min_booking_notice_minutes')::integer)) then
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
  if exists (select 1 from public.queue_entries e
             where e.queue_id = v_queue.id and e.patient_id = p_patient_id
               and e.status not in ('completed', 'cancelled', 'no_show')) then
    perform private.raise_error(409, 'QUEUE.DUPLICATE_ENTRY', 'the patient already has a visit that day');
  end if;

  insert into public.queue_entries (
    id, queue_id, clinic_id, patient_id, practitioner_id, appointment_type_id, kind, status, ticket_number,
    order_key, slot_start, slot_end, tracking_token_hash, created_by)
  values (
    v_entry_id, v_queue.id, p_clinic_id, p_patient_id, p_practitioner_id, p_type_id, 'booked', 'scheduled',
    v_queue.next_ticket, extract(epoch from p_slot_start)::numeric, p_slot_start, v_slot_end,
    private.hash_token(v_token), auth.uid());
  update public.queues set next_ticket = v_queue.next_ticket + 1 where id = v_queue.id;
  perform private.log_event(v_queue.id, p_clinic_id, v_entry_id, 'AppointmentBooked',
    jsonb_build_object('ticket', private.ticket_label(v_clinic.ticket_prefix, v_queue.next_ticket),
                       'slot_start', p_slot_start));
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
$$;

-- book_appointment(p_clinic_id, p_slot_start, p_appointment_type_id?, p_practitioner_id?, p_full_name?,
--   p_language?) → { entry_id, queue_id, clinic_id, patient_id, day, ticket_number, ticket, slot_start,
--   slot_end, status, tracking_token (shown once; only its hash is stored), queue_version }.
-- The caller's own patient record in that clinic is used, created on first booking.
create function public.book_appointment(
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
  return private.book(p_clinic_id, v_patient_id, p_slot_start, p_appointment_type_id, p_practitioner_id, true);
end
$$;

-- staff_book_appointment(p_clinic_id, p_patient_id, p_slot_start, p_appointment_type_id?,
--   p_practitioner_id?) → same shape as book_appointment. Staff of the clinic; notice and horizon are the
--   patients' rules and do not apply, capacity and working hours do.
create function public.staff_book_appointment(
  p_clinic_id uuid,
  p_patient_id uuid,
  p_slot_start timestamptz,
  p_appointment_type_id uuid default null,
  p_practitioner_id uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_staff(p_clinic_id);
  if p_patient_id is null or not exists (
       select 1 from public.patients where id = p_patient_id and clinic_id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'patient not found in this clinic');
  end if;
  return private.book(p_clinic_id, p_patient_id, p_slot_start, p_appointment_type_id, p_practitioner_id, false);
end
$$;

-- The entry a caller may act on: their own (patient) or their clinic's (staff). Locked with its queue.
create function private.entry_for_actor(p_entry_id uuid, p_tracking_token text, out e public.queue_entries,
  out is_staff boolean)
language plpgsql
set search_path = ''
as $$
declare
  v_queue_id uuid;
begin
  if p_entry_id is null and p_tracking_token is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_entry_id or p_tracking_token is required');
  end if;
  if p_entry_id is not null then
    select queue_id into v_queue_id from public.queue_entries where id = p_entry_id;
  else
    select queue_id into v_queue_id from public.queue_entries
     where tracking_token_hash = private.hash_token(p_tracking_token);
  end if;
  if v_queue_id is not null then
    perform 1 from public.queues where id = v_queue_id for update;
    if p_entry_id is not null then
      select * into e from public.queue_entries where id = p_entry_id;
    else
      select * into e from public.queue_entries where tracking_token_hash = private.hash_token(p_tracking_token);
    end if;
  end if;
  is_staff := e.id is not null and (private.is_service() or private.is_clinic_staff(e.clinic_id));
  if e.id is null or not (is_staff or p_entry_id is null or private.is_own_patient(e.patient_id)) then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found');
  end if;
end
$$;

-- cancel_appointment(p_entry_id, p_reason?) → { entry_id, status, queue_version }.
-- The patient (own visit, at least min_cancel_notice_minutes before the slot) or staff (always).
create function public.cancel_appointment(p_entry_id uuid, p_reason text default null) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record;
  v_settings jsonb;
begin
  if not private.is_service() then
    perform private.require_uid();
  end if;
  select * into r from private.entry_for_actor(p_entry_id, null);
  if (r.e).status in ('completed', 'cancelled', 'no_show') then
    perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'the visit is already final');
  end if;
  if not r.is_staff then
    select private.effective_settings(settings) into v_settings from public.clinics where id = (r.e).clinic_id;
    if (r.e).slot_start is not null and (r.e).slot_start
         < now() + make_interval(mins => (v_settings ->> 'min_cancel_notice_minutes')::integer) then
      perform private.raise_error(422, 'BOOKING.CANCEL_TOO_LATE', 'too late to cancel; call the clinic');
    end if;
  end if;
  update public.queue_entries
     set status = 'cancelled', cancelled_at = now(), cancel_reason = left(p_reason, 500)
   where id = (r.e).id;
  perform private.log_event((r.e).queue_id, (r.e).clinic_id, (r.e).id, 'AppointmentCancelled',
    jsonb_build_object('by', case when r.is_staff then 'staff' else 'patient' end));
  return jsonb_build_object('entry_id', (r.e).id, 'status', 'cancelled',
                            'queue_version', private.bump_version((r.e).queue_id));
end
$$;

-- check_in(p_entry_id) → { entry_id, status: 'waiting', order_key, queue_version }. Own visit or staff;
-- only on the visit's day. On time (≤ on_time_tolerance_minutes after the slot) keeps the slot as order
-- key; later arrivals get the check-in time.
-- Not earlier than check_in_window_minutes (60) before the slot: the same check-in window as a staff
-- check-in (verify_step) — 409 QUEUE.CHECK_IN_TOO_EARLY.
create function public.check_in(p_entry_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record;
  v_clinic public.clinics;
  v_day date;
  v_key numeric;
begin
  if not private.is_service() then
    perform private.require_uid();
  end if;
  select * into r from private.entry_for_actor(p_entry_id, null);
  select * into v_clinic from public.clinics where id = (r.e).clinic_id;
  select day into v_day from public.queues where id = (r.e).queue_id;
  if v_day <> private.clinic_today(v_clinic.time_zone) then
    perform private.raise_error(409, 'QUEUE.NOT_TODAY', 'check-in opens on the day of the visit');
  end if;
  if (r.e).status <> 'scheduled' then
    perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'only a scheduled visit can check in');
  end if;
  if (r.e).slot_start is not null and (r.e).slot_start > private.now() + make_interval(
       mins => (private.effective_settings(v_clinic.settings) ->> 'check_in_window_minutes')::integer) then
    perform private.raise_error(409, 'QUEUE.CHECK_IN_TOO_EARLY',
      format('check-in opens %s minutes before the slot',
             private.effective_settings(v_clinic.settings) ->> 'check_in_window_minutes'));
  end if;
  v_key := case
    when (r.e).slot_start is not null and now() <= (r.e).slot_start + make_interval(
           mins => (private.effective_settings(v_clinic.settings) ->> 'on_time_tolerance_minutes')::integer)
      then extract(epoch from (r.e).slot_start)::numeric
    else extract(epoch from now())::numeric end;
  update public.queue_entries set status = 'waiting', checked_in_at = now(), order_key = v_key
   where id = (r.e).id;
  perform private.log_event((r.e).queue_id, (r.e).clinic_id, (r.e).id, 'PatientCheckedIn',
    jsonb_build_object('by', case when r.is_staff then 'staff' else 'patient' end));
  return jsonb_build_object('entry_id', (r.e).id, 'status', 'waiting', 'order_key', v_key,
                            'queue_version', private.bump_version((r.e).queue_id));
end
$$;

-- report_running_late(p_entry_id?, p_tracking_token?) → { entry_id, late: true, queue_version }.
-- The patient (signed in, own visit) or anyone holding the visit's private tracking token.
create function public.report_running_late(p_entry_id uuid default null, p_tracking_token text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record;
begin
  if p_tracking_token is null and not private.is_service() then
    perform private.require_uid();
  end if;
  select * into r from private.entry_for_actor(
    case when p_tracking_token is null then p_entry_id end, p_tracking_token);
  if (r.e).status not in ('scheduled', 'waiting', 'called') then
    perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'the visit can no longer be late');
  end if;
  update public.queue_entries set late = true, running_late_at = now() where id = (r.e).id;
  perform private.log_event((r.e).queue_id, (r.e).clinic_id, (r.e).id, 'PatientRunningLate', '{}'::jsonb);
  return jsonb_build_object('entry_id', (r.e).id, 'late', true,
                            'queue_version', private.bump_version((r.e).queue_id));
end
$$;

-- claim_patient_records() → number of walk-in records linked to the caller: records of any clinic whose
-- phone equals the caller's VERIFIED phone (phone_confirmed_at set, and the same phone in the JWT) and
-- that no account holds yet. An identity counts only when it was VERIFIED (auth.users.phone_confirmed_at,
-- as on Supabase) AND the caller's JWT carries that same phone: a session minted before an unverified
-- change does not (issue 10).
create function public.claim_patient_records() returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
  v_digits text;
  v_count integer;
begin
  select nullif(regexp_replace(coalesce(u.phone, ''), '\D', '', 'g'), '') into v_digits
    from auth.users u where u.id = v_uid and u.phone_confirmed_at is not null;
  if v_digits is null then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'verify your phone number first');
  end if;
  if private.jwt_phone_digits() is distinct from v_digits then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'sign in again with your verified phone number');
  end if;
  update public.patients p set user_id = v_uid
   where p.phone = '+' || v_digits and p.user_id is null
     and not exists (select 1 from public.patients o where o.clinic_id = p.clinic_id and o.user_id = v_uid);
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

-- ── Public reads (anon) ────────────────────────────────────────────────────────────────────────────
-- get_public_clinic(p_slug) → { id, slug, name, time_zone, default_language, phone, address,
--   appointment_types[], working_hours[], practitioners[{id, display_name}], booking{…} } (slug or id).
create function public.get_public_clinic(p_slug text) returns jsonb
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
        'duration_minutes', t.duration_minutes) order by t.name)
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

-- get_free_slots(p_clinic_id, p_from, p_to?, p_appointment_type_id?) → [{ start, end, remaining }]
-- (bookable now: notice, horizon, closed dates and capacity applied; at most 31 days).
create function public.get_free_slots(
  p_clinic_id uuid, p_from date, p_to date default null, p_appointment_type_id uuid default null)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
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
  select coalesce(jsonb_agg(jsonb_build_object('start', s.slot_start, 'end', s.slot_end,
           'remaining', (v_s ->> 'slot_capacity')::integer - private.booked_overlapping(p_clinic_id, s.slot_start, s.slot_end))
           order by s.slot_start), '[]'::jsonb)
    into v_result
    from generate_series(greatest(p_from, v_today),
                         least(v_to, v_today + (v_s ->> 'booking_horizon_days')::integer), interval '1 day') d
    cross join lateral private.day_slots(p_clinic_id, d::date, v_duration) s
   where s.slot_start >= now() + make_interval(mins => (v_s ->> 'min_booking_notice_minutes')::integer)
     and private.booked_overlapping(p_clinic_id, s.slot_start, s.slot_end) < (v_s ->> 'slot_capacity')::integer;
  return v_result;
end
$$;

create function private.board_name(p_full_name text) returns text
language sql immutable
set search_path = ''
as $$
  select btrim(split_part(btrim(p_full_name), ' ', 1) || coalesce(' ' || nullif(left(split_part(btrim(p_full_name), ' ', 2), 1), '') || '.', ''))
$$;

-- get_waiting_board(p_clinic_id) → { clinic{name, default_language, time_zone}, day, version,
--   now_serving[{ticket, room, name?}], next[{ticket, name?}] } — never phones; names (first name +
--   initial) only when the clinic enables board_show_names.
create function public.get_waiting_board(p_clinic_id uuid) returns jsonb
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
                 'name', case when v_names then private.board_name(p.full_name) end) as item,
               array_position(array['normal', 'urgent', 'emergency'], e.priority::text) as rank_priority,
               e.order_key
        from public.queue_entries e join public.patients p on p.id = e.patient_id
        where e.queue_id = v_queue.id and e.status = 'waiting'
        order by rank_priority desc, e.order_key
        limit 10) x), '[]'::jsonb));
end
$$;

-- get_visit_status(p_tracking_token) → { entry_id, clinic{id, name, slug, default_language, time_zone},
--   day, ticket, status, kind, priority, slot_start, checked_in_at, called_at, room, grace_ends_at, late,
--   position (waiting only), queue_id, queue_version }. A wrong token → 404 NOT_FOUND.
-- `position` follows the domain's definition (QueueOrder.ts; see private.entry_extras in
-- 20261201000200_queue.sql): 1 + the waiting entries of the same pool that come before it in order.
create function public.get_visit_status(p_tracking_token text) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  e public.queue_entries;
  v_clinic public.clinics;
  v_queue public.queues;
  v_position integer;
begin
  if p_tracking_token is null or char_length(p_tracking_token) > 200 then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found');
  end if;
  select * into e from public.queue_entries where tracking_token_hash = private.hash_token(p_tracking_token);
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found');
  end if;
  select * into v_clinic from public.clinics where id = e.clinic_id;
  select * into v_queue from public.queues where id = e.queue_id;
  if e.status = 'waiting' then
    -- QueueOrder.positions: same pool only, in ORDER (priority class, order key, tiebreak, ticket, id)
    with line as (
      select o.id, o.ticket_number,
             array_position(array['emergency', 'urgent', 'normal'], o.priority::text) as rank_priority,
             private.entry_order_key_ms(o.order_key, o.notes) as key_ms,
             private.entry_order_tiebreak(o.ticket_number, o.notes) as tiebreak
        from public.queue_entries o
       where o.queue_id = e.queue_id and o.status = 'waiting'
         and o.practitioner_id is not distinct from e.practitioner_id)
    select 1 + count(*) into v_position
      from line o, line me
     where me.id = e.id and o.id <> e.id
       and (o.rank_priority, o.key_ms, o.tiebreak, o.ticket_number, o.id)
         < (me.rank_priority, me.key_ms, me.tiebreak, me.ticket_number, me.id);
  end if;
  return jsonb_build_object(
    'entry_id', e.id,
    'clinic', jsonb_build_object('id', v_clinic.id, 'name', v_clinic.name, 'slug', v_clinic.slug,
                                 'default_language', v_clinic.default_language, 'time_zone', v_clinic.time_zone),
    'day', v_queue.day,
    'ticket', private.ticket_label(v_clinic.ticket_prefix, e.ticket_number),
    'status', e.status, 'kind', e.kind, 'priority', e.priority,
    'slot_start', e.slot_start, 'checked_in_at', e.checked_in_at, 'called_at', e.called_at,
    'room', coalesce(e.called_room, (select m.room from public.clinic_members m where m.id = e.practitioner_id)),
    'grace_ends_at', e.grace_ends_at, 'late', e.late, 'position', v_position,
    'queue_id', e.queue_id, 'queue_version', v_queue.version);
end
$$;

-- ── Kiosk ──────────────────────────────────────────────────────────────────────────────────────────
-- Kiosk check-in at the entrance (a tablet signed in as staff): the patient types a ticket code (A-009,
-- a-9) or a phone number; the database finds THAT visit of today's queue and checks it in. Only that one
-- visit comes back — the kiosk used to download every patient phone of the clinic to match in the browser.
--
-- kiosk_check_in(p_clinic_id, p_code) → {found: false} | {found: true, entry_id, ticket, status, position}
--   - a ticket code matches today's entry with that label (any status; a scheduled one is checked in);
--   - a phone (6+ digits) matches the last 9 digits of a patient's phone, for a visit not yet called
--     (scheduled or waiting) of today; a scheduled one is checked in;
--   - position is the domain's (QueueOrder.positions: same pool, in order), null when not waiting.
-- Staff of the clinic only (AUTH.FORBIDDEN otherwise); a code over 40 characters is VALIDATION.FAILED.
create function public.kiosk_check_in(p_clinic_id uuid, p_code text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_queue public.queues;
  v_code text := upper(btrim(coalesce(p_code, '')));
  v_digits text;
  e public.queue_entries;
  v_position integer;
begin
  perform private.require_staff(p_clinic_id);
  if v_code = '' or char_length(v_code) > 40 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a ticket code or a phone number is required');
  end if;
  v_digits := regexp_replace(v_code, '[^0-9]', '', 'g');
  select * into v_clinic from public.clinics where id = p_clinic_id;
  select * into v_queue from public.queues
   where clinic_id = p_clinic_id and day = private.clinic_today(v_clinic.time_zone);
  if not found then
    return jsonb_build_object('found', false);
  end if;

  select * into e from public.queue_entries o
   where o.queue_id = v_queue.id
     and (private.ticket_label(v_clinic.ticket_prefix, o.ticket_number) = v_code
          or (position('-' in v_code) > 0 and v_digits <> '' and char_length(v_digits) <= 6
              and o.ticket_number = v_digits::integer))
   order by o.ticket_number
   limit 1;
  if not found and char_length(v_digits) >= 6 then
    select o.* into e from public.queue_entries o
      join public.patients p on p.id = o.patient_id
     where o.queue_id = v_queue.id and o.status in ('scheduled', 'waiting')
       and p.phone is not null
       and right(regexp_replace(p.phone, '[^0-9]', '', 'g'), 9) = right(v_digits, 9)
     order by o.ticket_number
     limit 1;
  end if;
  if e.id is null then
    return jsonb_build_object('found', false);
  end if;

  if e.status = 'scheduled' then
    perform public.check_in(e.id);
    select * into e from public.queue_entries where id = e.id;
  end if;

  if e.status = 'waiting' then
    with line as (
      select o.id, o.ticket_number,
             array_position(array['emergency', 'urgent', 'normal'], o.priority::text) as rank_priority,
             private.entry_order_key_ms(o.order_key, o.notes) as key_ms,
             private.entry_order_tiebreak(o.ticket_number, o.notes) as tiebreak
        from public.queue_entries o
       where o.queue_id = e.queue_id and o.status = 'waiting'
         and o.practitioner_id is not distinct from e.practitioner_id)
    select 1 + count(*) into v_position
      from line o, line me
     where me.id = e.id and o.id <> e.id
       and (o.rank_priority, o.key_ms, o.tiebreak, o.ticket_number, o.id)
         < (me.rank_priority, me.key_ms, me.tiebreak, me.ticket_number, me.id);
  end if;
  return jsonb_build_object(
    'found', true,
    'entry_id', e.id,
    'ticket', private.ticket_label(v_clinic.ticket_prefix, e.ticket_number),
    'status', e.status,
    'position', v_position);
end
$$;
