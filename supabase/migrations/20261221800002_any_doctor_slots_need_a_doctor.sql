-- Session 21 (fix21a), review21 M2: a visit type only one doctor offers could be booked on that doctor's leave days.
-- Type "Echo" with practitioner_ids = [Julien], Julien on leave: get_free_slots(clinic, day, type) — no doctor named —
-- still offered the day's slots, and book_appointment as a patient answered 200 with practitioner null: a visit
-- nobody could see.
--
-- Rule H6 "a slot without a named doctor needs one doctor who can take it" (docs/domain-rules.md): with no doctor
-- named, a slot exists only if at least one of the type's doctors — for a type without a doctor list (or no type),
-- at least one bookable doctor of the clinic (DR1: an active practitioner or owner) — is available for the whole
-- slot: not on leave that day (H1/H2) and inside their own hours if they have some (H4). H3 still holds: one
-- doctor's leave never refuses "any doctor" while another doctor of the type can take the slot.
--   * private.slot_has_doctor(clinic, type, start, end) says it (through private.practitioner_available);
--   * get_free_slots (latest body: 20261219800001) offers only such slots when no doctor is named;
--   * private.book (latest body: 20261220900001; every booking, desk booking and reschedule with a time) refuses
--     a slot without one with 422 BOOKING.SLOT_UNAVAILABLE, the code a slot that is not offered already has.
-- Fluid places (no time) are left to book_fluid's owners (fluid doctor choice, session 21).

create function private.slot_has_doctor(p_clinic_id uuid, p_type_id uuid, p_start timestamptz, p_end timestamptz)
returns boolean
language sql stable
set search_path = ''
as $$
  select exists (
    select 1
      from public.clinic_members m
     where m.clinic_id = p_clinic_id and m.active and m.role in ('practitioner', 'owner') -- DR1 (is_bookable_doctor)
       and not exists (select 1 from public.appointment_types t
                        where t.id = p_type_id and t.clinic_id = p_clinic_id and t.practitioner_ids is not null
                          and not (m.id = any (t.practitioner_ids)))
       and private.practitioner_available(m.id, p_start, p_end))
$$;
revoke all on function private.slot_has_doctor(uuid, uuid, timestamptz, timestamptz) from public, anon, authenticated;

create or replace function public.get_free_slots(p_clinic_id uuid, p_from date, p_to date DEFAULT NULL::date,
  p_appointment_type_id uuid DEFAULT NULL::uuid, p_practitioner_id uuid DEFAULT NULL::uuid)
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
  if p_practitioner_id is not null then -- hours19: a named doctor is one of this clinic's (H1)
    perform private.require_clinic_practitioner(p_clinic_id, p_practitioner_id);
    -- session 19: and one who offers the type (types19's rule, as the booking trigger applies it)
    perform private.require_practitioner_offers_type(p_appointment_type_id, p_practitioner_id);
  end if;
  v_s := private.effective_settings(v_clinic.settings);
  v_today := private.clinic_today(v_clinic.time_zone);
  v_duration := private.type_duration(p_clinic_id, p_appointment_type_id);
  if private.type_booking_mode(p_clinic_id, p_appointment_type_id) = 'fluid' then
    return '[]'::jsonb; -- F1: a fluid type has no times (get_fluid_days answers its days)
  end if;
  -- the day's fluid places are judged once per day (a materialized list of the open days), each slot's
  -- bookings once per slot (not once in the answer and again in the filter)
  with days as materialized (
    select d::date as day
      from generate_series(greatest(p_from, v_today),
                           least(v_to, v_today + (v_s ->> 'booking_horizon_days')::integer), interval '1 day') d
     where not private.fluid_day_taken(p_clinic_id, d::date, v_duration)
  )
  select coalesce(jsonb_agg(jsonb_build_object('start', s.slot_start, 'end', s.slot_end,
           'remaining', (v_s ->> 'slot_capacity')::integer - b.n)
           order by s.slot_start), '[]'::jsonb)
    into v_result
    from days
    cross join lateral private.day_slots(p_clinic_id, days.day, v_duration) s
    cross join lateral (select private.booked_overlapping(p_clinic_id, s.slot_start, s.slot_end) as n offset 0) b
   where s.slot_start >= private.now() + make_interval(mins => (v_s ->> 'min_booking_notice_minutes')::integer)
     and b.n < (v_s ->> 'slot_capacity')::integer
     -- hours19 (H2): a named doctor's slots skip their leave and lie in their own hours
     and (p_practitioner_id is null or private.practitioner_available(p_practitioner_id, s.slot_start, s.slot_end))
     -- fix21a (H6): with no doctor named, one of the type's doctors (or of the clinic's) can take the slot
     and (p_practitioner_id is not null
          or private.slot_has_doctor(p_clinic_id, p_appointment_type_id, s.slot_start, s.slot_end));
  return v_result;
end
$function$;

revoke execute on function public.get_free_slots(uuid, date, date, uuid, uuid) from public;
grant execute on function public.get_free_slots(uuid, date, date, uuid, uuid) to anon, authenticated, service_role;

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
  if p_practitioner_id is not null then -- fix20b: one meaning of doctor (L4); a deactivated one is 409 (L1)
    perform private.require_bookable_doctor(p_clinic_id, p_practitioner_id);
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
  -- fix21a (H6): "any doctor" needs one doctor of the type (or of the clinic) who can take this slot
  if p_practitioner_id is null and not private.slot_has_doctor(p_clinic_id, p_type_id, p_slot_start, v_slot_end) then
    perform private.raise_error(422, 'BOOKING.SLOT_UNAVAILABLE', 'no doctor of this visit type works at that time');
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
  -- the day's fluid places hold minutes too: a slot is full when they leave none for it (F2 both ways)
  if private.fluid_day_taken(p_clinic_id, v_day, v_duration) then
    perform private.raise_error(409, 'BOOKING.SLOT_FULL', 'the day''s places are taken');
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
