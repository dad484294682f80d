-- Slotted bookings respect the day's fluid places (review of session 13): fluid_places_left subtracts slotted
-- minutes from a fluid day, but private.book's capacity check (booked_overlapping) never saw fluid entries (no
-- slot_start), so a day with mixed visit types (F4) could sell all its fluid places and then every slot as well.
-- Now a slot is full when the day's held minutes (fluid places + slotted visits, as fluid_places_left counts them)
-- leave none for it; get_free_slots offers no slot on such a day. Days without a fluid place are unchanged.
-- private.book and get_free_slots: newest bodies (20261211300001) + the check.

-- True when p_day has a fluid place holding capacity and the day's minutes leave no room for p_duration more.
create or replace function private.fluid_day_taken(p_clinic_id uuid, p_day date, p_duration integer)
returns boolean
language sql stable
set search_path = ''
as $$
  select exists (
           select 1 from public.queue_entries e
             join public.queues q on q.id = e.queue_id and q.clinic_id = p_clinic_id and q.day = p_day
            where e.fluid and e.kind = 'booked' and e.status not in ('cancelled', 'no_show') and e.reactivations = 0)
     and private.fluid_places_left(p_clinic_id, p_day, p_duration) < 1
$$;
revoke execute on function private.fluid_day_taken(uuid, date, integer) from public, anon, authenticated;

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
   where not private.fluid_day_taken(p_clinic_id, d::date, v_duration)
     and s.slot_start >= private.now() + make_interval(mins => (v_s ->> 'min_booking_notice_minutes')::integer)
     and private.booked_overlapping(p_clinic_id, s.slot_start, s.slot_end) < (v_s ->> 'slot_capacity')::integer;
  return v_result;
end
$function$;
