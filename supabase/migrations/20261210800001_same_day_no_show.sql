-- One visit per patient per day counts today's no-show (issue 12; rules V1–V3 in
-- src/services/appointment/models/OneVisitPerDay.ts, tested there and in supabase/tests/oneVisitPerDay.test.ts).
--
-- private.book and public.join_queue_remotely refused a second OPEN visit of the day but let a patient marked
-- no-show earlier that day book (or join) again. Staff may re-activate that no-show (rule D10), and the
-- re-activation then gave the patient two open visits in one day — and the desk never saw that the new
-- booking belonged to a patient who had just missed theirs. Now:
--   V1 an open visit that day (scheduled, waiting, called, in_service, absent) refuses: QUEUE.DUPLICATE_ENTRY;
--   V2 a no-show that day refuses: BOOKING.NO_SHOW_TODAY (409) — the desk re-activates it instead;
--   V3 completed and cancelled visits do not count.
-- One function judges it (under the day queue's lock, which both callers hold); private.book and
-- join_queue_remotely: newest bodies (20261203100003_booking_appointment_id.sql,
-- 20261207300001_remote_join_hours_arrival.sql) with their inline check replaced by the call.

create or replace function private.check_same_day_visit(p_queue_id uuid, p_patient_id uuid)
returns void
language plpgsql
set search_path = ''
as $function$
begin
  if exists (select 1 from public.queue_entries e
             where e.queue_id = p_queue_id and e.patient_id = p_patient_id
               and e.status not in ('completed', 'cancelled', 'no_show')) then
    perform private.raise_error(409, 'QUEUE.DUPLICATE_ENTRY', 'the patient already has a visit that day');
  end if;
  if exists (select 1 from public.queue_entries e
             where e.queue_id = p_queue_id and e.patient_id = p_patient_id and e.status = 'no_show') then
    perform private.raise_error(409, 'BOOKING.NO_SHOW_TODAY',
      'the patient missed a visit that day: staff re-activate it instead of booking again');
  end if;
end
$function$;
revoke execute on function private.check_same_day_visit(uuid, uuid) from public, anon, authenticated;
grant execute on function private.check_same_day_visit(uuid, uuid) to service_role;

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

create or replace function public.join_queue_remotely(
  p_clinic_id uuid, p_full_name text default null, p_language public.app_language default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_patient_id uuid;
  v_queue public.queues;
  v_entry_id uuid := gen_random_uuid();
  v_token text;
  s record;
  v_position integer;
  v_arrive_by timestamptz;
begin
  perform private.require_uid();
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if p_clinic_id is null or not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if v_clinic.remote_join_cap is null then -- before anything is written (no patient record either)
    perform private.raise_error(409, 'QUEUE.REMOTE_JOIN_OFF', 'the clinic does not take remote joins');
  end if;
  if not private.clinic_open_now(v_clinic) then -- likewise: nothing written outside opening hours
    perform private.raise_error(409, 'QUEUE.REMOTE_JOIN_OUTSIDE_HOURS', 'the clinic is not open now');
  end if;
  v_patient_id := private.caller_patient(p_clinic_id, p_full_name, p_language);
  -- the day's queue, locked: the cap, the ticket and the duplicate rule are judged one join at a time
  v_queue := private.lock_queue(p_clinic_id, private.clinic_today(v_clinic.time_zone));
  v_queue.next_ticket := greatest(v_queue.next_ticket,
    coalesce((select max(x.ticket_number) + 1 from public.queue_entries x where x.queue_id = v_queue.id), 1));
  s := private.remote_join_state(v_clinic);
  case s.reason
    when 'off' then
      perform private.raise_error(409, 'QUEUE.REMOTE_JOIN_OFF', 'the clinic does not take remote joins');
    when 'closed_day' then
      perform private.raise_error(422, 'BOOKING.CLINIC_CLOSED', 'the clinic is closed today');
    when 'day_closed' then
      perform private.raise_error(409, 'QUEUE.CLOSED', 'the day is closed');
    when 'intake_closed' then
      perform private.raise_error(409, 'QUEUE.INTAKE_CLOSED', 'the queue takes no new patients today');
    when 'outside_hours' then
      perform private.raise_error(409, 'QUEUE.REMOTE_JOIN_OUTSIDE_HOURS', 'the clinic is not open now');
    when 'full' then
      perform private.raise_error(409, 'QUEUE.REMOTE_JOIN_FULL', 'no remote places left today');
    else null;
  end case;
  perform private.check_same_day_visit(v_queue.id, v_patient_id);

  v_token := private.entry_link_token(v_entry_id);
  v_arrive_by := private.now() + make_interval(mins => v_clinic.remote_arrival_minutes);
  insert into public.queue_entries (
    id, queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key, tracking_token_hash,
    created_by, joined_remotely, arrive_by)
  values (
    v_entry_id, v_queue.id, p_clinic_id, v_patient_id, 'walk_in', 'waiting', v_queue.next_ticket,
    extract(epoch from private.now())::numeric, private.hash_token(v_token), auth.uid(), true, v_arrive_by);
  update public.queues set next_ticket = v_queue.next_ticket + 1 where id = v_queue.id;
  select count(*)::integer into v_position from public.queue_entries e
   where e.queue_id = v_queue.id and e.status = 'waiting';
  perform private.log_event(v_queue.id, p_clinic_id, v_entry_id, 'WalkInAdded',
    jsonb_build_object('ticket', private.ticket_label(v_clinic.ticket_prefix, v_queue.next_ticket),
                       'priority', 'normal', 'practitionerId', null, 'position', v_position));
  return jsonb_build_object(
    'entry_id', v_entry_id,
    'queue_id', v_queue.id,
    'clinic_id', p_clinic_id,
    'day', v_queue.day,
    'ticket_number', v_queue.next_ticket,
    'ticket', private.ticket_label(v_clinic.ticket_prefix, v_queue.next_ticket),
    'status', 'waiting',
    'tracking_token', v_token,
    'arrive_by', v_arrive_by,
    'queue_version', private.bump_version(v_queue.id));
end
$$;
