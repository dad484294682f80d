-- Session 22 (fluid22), rule F8 "fluid: an "any doctor" day needs a doctor who works that day" (docs/domain-rules.md,
-- next to H6 and F7). fix21a (H6) made an "any doctor" SLOT need one of the type's doctors free then, and left fluid
-- places to the fluid code — which never asked: a fluid type only Dr Julien offers, Julien on leave (or the weekday
-- outside his own hours), still had that day in get_fluid_days(…, p_practitioner_id => null), and book_fluid_place
-- answered 200 with practitioner null — a place in a line nobody serves. Same for a clinic whose only doctor (the
-- owner, DR1) is on leave.
--
-- A fluid day with no doctor named is now offered and bookable only if at least one of the type's doctors — for a
-- type without a doctor list (or no type), one bookable doctor of the clinic (DR1) — works that day: not on leave
-- (H2) and, if they have own hours, with a range that weekday (H4, as a visit without a time is judged:
-- private.practitioner_works_day). One doctor's leave never closes a day another doctor of the type works (H3).
--   * private.type_doctors(clinic, type): the doctors who may take the type — the selection slot_has_doctor made
--     inline, now shared, so slots (H6) and days (F8) cannot disagree on who "the type's doctors" are;
--   * private.doctor_works_day(doctor, day): H2 + H4 for a day — what get_fluid_days' F7 branch checked inline;
--   * private.day_has_doctor(clinic, type, day): F8, the day's counterpart of private.slot_has_doctor;
--   * get_fluid_days (latest body 20261221500002) leaves such days out; private.book_fluid (latest body
--     20261220950001: a patient's place, the desk's, a fluid reschedule) refuses one with 422 BOOKING.DAY_UNAVAILABLE.
--   * private.slot_has_doctor (latest body 20261221800002) is redefined over type_doctors: same answer.

-- PL/pgSQL (its query prepared once per connection, 20261220600001's reason): as a `language sql` set-returning
-- function with a pinned search_path it was planned again for every slot get_free_slots judged (≈ 25 % slower).
create function private.type_doctors(p_clinic_id uuid, p_type_id uuid)
returns uuid[]
language plpgsql stable
set search_path = ''
as $$
begin
  return array(
    select m.id
      from public.clinic_members m
     where m.clinic_id = p_clinic_id and m.active and m.role in ('practitioner', 'owner') -- DR1 (is_bookable_doctor)
       and not exists (select 1 from public.appointment_types t
                        where t.id = p_type_id and t.clinic_id = p_clinic_id and t.practitioner_ids is not null
                          and not (m.id = any (t.practitioner_ids))));
end
$$;
revoke all on function private.type_doctors(uuid, uuid) from public, anon, authenticated;

create function private.doctor_works_day(p_practitioner_id uuid, p_day date)
returns boolean
language sql stable
set search_path = ''
as $$
  select not private.practitioner_on_leave(p_practitioner_id, p_day)
     and private.practitioner_works_day(p_practitioner_id, p_day)
$$;
revoke all on function private.doctor_works_day(uuid, date) from public, anon, authenticated;

create or replace function private.slot_has_doctor(p_clinic_id uuid, p_type_id uuid, p_start timestamptz, p_end timestamptz)
returns boolean
language sql stable
set search_path = ''
as $$
  select exists (select 1 from unnest(private.type_doctors(p_clinic_id, p_type_id)) d(id)
                  where private.practitioner_available(d.id, p_start, p_end))
$$;
revoke all on function private.slot_has_doctor(uuid, uuid, timestamptz, timestamptz) from public, anon, authenticated;

create function private.day_has_doctor(p_clinic_id uuid, p_type_id uuid, p_day date)
returns boolean
language sql stable
set search_path = ''
as $$
  select exists (select 1 from unnest(private.type_doctors(p_clinic_id, p_type_id)) d(id)
                  where private.doctor_works_day(d.id, p_day))
$$;
revoke all on function private.day_has_doctor(uuid, uuid, date) from public, anon, authenticated;

create or replace function public.get_fluid_days(p_clinic_id uuid, p_from date, p_to date default null,
  p_appointment_type_id uuid default null, p_practitioner_id uuid default null)
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
  if p_practitioner_id is not null then -- F7: a doctor of this clinic who offers the type (as get_free_slots)
    perform private.require_clinic_practitioner(p_clinic_id, p_practitioner_id);
    perform private.require_practitioner_offers_type(p_appointment_type_id, p_practitioner_id);
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object('day', d.day, 'remaining', d.remaining) order by d.day)
    from (select g::date as day, private.fluid_places_left(p_clinic_id, g::date, v_duration) as remaining
            from generate_series(p_from, v_to, interval '1 day') g
           where private.fluid_day_refusal(v_clinic, g::date, true) is null
             -- F7: the named doctor's day: not their leave (H2) nor a weekday they do not work (H4);
             -- F8: with no doctor named, one of the type's doctors works that day
             and case when p_practitioner_id is null
                      then private.day_has_doctor(p_clinic_id, p_appointment_type_id, g::date)
                      else private.doctor_works_day(p_practitioner_id, g::date) end) d
    where d.remaining > 0), '[]'::jsonb);
end
$$;
revoke execute on function public.get_fluid_days(uuid, date, date, uuid, uuid) from public;
grant execute on function public.get_fluid_days(uuid, date, date, uuid, uuid) to anon, authenticated, service_role;

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
  -- DR1/DR2 as private.book: a doctor is an active practitioner or owner; a deactivated one is 409
  if p_practitioner_id is not null then
    perform private.require_bookable_doctor(p_clinic_id, p_practitioner_id);
  end if;
  v_refusal := private.fluid_day_refusal(v_clinic, p_day, p_enforce_notice);
  if v_refusal is not null then
    perform private.raise_error(422, v_refusal,
      case v_refusal when 'BOOKING.CLINIC_CLOSED' then 'the clinic is closed that day'
                     when 'BOOKING.BEYOND_HORIZON' then 'the day is beyond the booking horizon'
                     else 'the day is over' end);
  end if;
  -- fluid22 (F8): "any doctor" needs one doctor of the type (or of the clinic) who works that day; a named
  -- doctor's day is the queue_entries triggers' (F7: PRACTITIONER.ON_LEAVE / OFF_HOURS)
  if p_practitioner_id is null and not private.day_has_doctor(p_clinic_id, p_type_id, p_day) then
    perform private.raise_error(422, 'BOOKING.DAY_UNAVAILABLE', 'no doctor of this visit type works that day');
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
