-- One event vocabulary (issue 11): the database logged AppointmentBooked, AppointmentCancelled (and, in
-- older rows, PatientNoShow / PatientCompleted) for facts the domain calls EntryScheduled, EntryCancelled,
-- GraceExpired and ServiceFinished. Every writer now logs the domain's name, with the domain's payload
-- (EntryCancelled carries `by` = staff | patient, and `via` = sms for a cancellation by SMS: a patient who
-- cancelled is not told so again); stored events are renamed; event_notification_kind maps one name per
-- fact. The list is private.queue_event_types() = QUEUE_EVENT_TYPES (forgedSteps.test.ts checks both, and
-- that every stored type is in it).

update public.queue_events set type = case type
    when 'AppointmentBooked' then 'EntryScheduled'
    when 'AppointmentCancelled' then 'EntryCancelled'
    when 'PatientNoShow' then 'GraceExpired'
    when 'PatientCompleted' then 'ServiceFinished'
  end
 where type in ('AppointmentBooked', 'AppointmentCancelled', 'PatientNoShow', 'PatientCompleted');

create or replace function private.event_notification_kind(p_type text, p_payload jsonb)
returns public.notification_kind
language sql immutable
set search_path = ''
as $$
  select case p_type
    when 'PatientCalled' then 'your_turn'
    when 'PatientOvertaken' then 'still_next'
    when 'PatientMarkedAbsent' then 'marked_absent'
    when 'PatientReturned' then 'returned'
    -- a patient who cancelled (web or SMS) already knows; staff cancellations are announced
    when 'EntryCancelled' then case when coalesce(p_payload ->> 'by', 'staff') = 'staff' then 'cancelled' end
    when 'GraceExpired' then 'no_show'
  end::public.notification_kind
$$;

create or replace function private.book(
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
$$;

create or replace function public.cancel_appointment(p_entry_id uuid, p_reason text default null) returns jsonb
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
  perform private.log_event((r.e).queue_id, (r.e).clinic_id, (r.e).id, 'EntryCancelled',
    jsonb_build_object('ticket', (select private.ticket_label(c.ticket_prefix, (r.e).ticket_number)
                                    from public.clinics c where c.id = (r.e).clinic_id),
                       'fromStatus', (r.e).status, 'reason', left(p_reason, 500),
                       'by', case when r.is_staff then 'staff' else 'patient' end));
  return jsonb_build_object('entry_id', (r.e).id, 'status', 'cancelled',
                            'queue_version', private.bump_version((r.e).queue_id));
end
$$;

create or replace function public.sms_inbound_apply(p_from text, p_intent text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record;
  v_count integer;
  v_lang public.app_language;
  v_clinic text;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  if p_from is null or not private.is_e164(p_from) or p_intent is null or p_intent not in ('late', 'cancel', 'stop') then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'an E.164 sender and an intent (late, cancel, stop) are required');
  end if;

  if p_intent = 'stop' then
    update public.patients set sms_opt_out = true where phone = p_from and not sms_opt_out;
    get diagnostics v_count = row_count;
    select coalesce(p.preferred_language, c.default_language), c.name into v_lang, v_clinic
      from public.patients p join public.clinics c on c.id = p.clinic_id
     where p.phone = p_from order by p.updated_at desc limit 1;
    return jsonb_build_object('intent', p_intent, 'applied', v_lang is not null,
                              'reason', case when v_lang is null then 'unknown_sender' end,
                              'language', v_lang, 'clinic_name', v_clinic, 'ticket', null, 'entry_id', null,
                              'opted_out', v_count);
  end if;

  select e.id, e.queue_id, e.clinic_id, e.status, e.ticket_number, c.name as clinic_name, c.ticket_prefix,
         coalesce(p.preferred_language, c.default_language) as language
    into r
    from public.queue_entries e
    join public.patients p on p.id = e.patient_id
    join public.queues q on q.id = e.queue_id
    join public.clinics c on c.id = e.clinic_id
   where p.phone = p_from
     and q.day = private.clinic_today(c.time_zone)
     and e.status in ('scheduled', 'waiting', 'called', 'absent')
   order by (e.status = 'called') desc, e.slot_start nulls last, e.created_at desc
   limit 1;
  if r.id is null then
    select coalesce(p.preferred_language, c.default_language), c.name into v_lang, v_clinic
      from public.patients p join public.clinics c on c.id = p.clinic_id
     where p.phone = p_from order by p.updated_at desc limit 1;
    return jsonb_build_object('intent', p_intent, 'applied', false, 'reason', 'no_visit_today',
                              'language', v_lang, 'clinic_name', v_clinic, 'ticket', null, 'entry_id', null);
  end if;

  perform 1 from public.queues where id = r.queue_id for update;
  if p_intent = 'late' then
    if r.status = 'absent' then
      return jsonb_build_object('intent', p_intent, 'applied', false, 'reason', 'already_called',
                                'language', r.language, 'clinic_name', r.clinic_name,
                                'ticket', private.ticket_label(r.ticket_prefix, r.ticket_number), 'entry_id', r.id);
    end if;
    update public.queue_entries set running_late_at = now() where id = r.id;
    perform private.log_event(r.queue_id, r.clinic_id, r.id, 'PatientRunningLate',
      jsonb_build_object('ticket', private.ticket_label(r.ticket_prefix, r.ticket_number), 'source', 'sms'));
  else
    update public.queue_entries set status = 'cancelled', cancelled_at = now(), cancel_reason = 'SMS'
     where id = r.id;
    perform private.log_event(r.queue_id, r.clinic_id, r.id, 'EntryCancelled',
      jsonb_build_object('ticket', private.ticket_label(r.ticket_prefix, r.ticket_number), 'fromStatus', r.status,
                         'reason', 'SMS', 'by', 'patient', 'via', 'sms'));
  end if;
  perform private.bump_version(r.queue_id);
  return jsonb_build_object('intent', p_intent, 'applied', true, 'reason', null, 'language', r.language,
                            'clinic_name', r.clinic_name,
                            'ticket', private.ticket_label(r.ticket_prefix, r.ticket_number), 'entry_id', r.id);
end
$$;
