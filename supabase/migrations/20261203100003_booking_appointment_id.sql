-- A booked entry's appointment is a column that says what it is (issue 11).
--
-- queue_entries.appointment_id was documented "null on a booked row: its id", and the repository's mapper
-- read a null appointment_id of a booked row as the row's own id. So a booked entry the desk saved with
-- `appointmentId: null` (added by staff, no appointment) loaded back with an appointment — its own id —
-- and the domain's "this appointment is already in the queue" check then saw an appointment that never
-- existed. Now the column is the truth: a booking (private.book: online, staff, kiosk) stores the visit's own
-- id, as its EntryScheduled event always said (appointmentId = the entry id); an entry saved without an
-- appointment keeps null; the mapper reads the column as is (src/services/queue/repositories/queueEntryRow.ts).
-- Existing rows: a booked row whose own EntryScheduled event named itself as the appointment gets its id;
-- the others (saved without one) stay null. private.book: newest definition (20261202500002_visit_links.sql)
-- + appointment_id.

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
  if exists (select 1 from public.queue_entries e
             where e.queue_id = v_queue.id and e.patient_id = p_patient_id
               and e.status not in ('completed', 'cancelled', 'no_show')) then
    perform private.raise_error(409, 'QUEUE.DUPLICATE_ENTRY', 'the patient already has a visit that day');
  end if;

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

comment on column public.queue_entries.appointment_id is
  'QueueEntry.appointmentId: the booking this visit comes from (a booking stores its own id), null when none';

update public.queue_entries e
   set appointment_id = e.id
 where e.kind = 'booked' and e.appointment_id is null
   and exists (select 1 from public.queue_events v
                where v.entry_id = e.id and v.type = 'EntryScheduled' and v.payload ->> 'appointmentId' = e.id::text);
