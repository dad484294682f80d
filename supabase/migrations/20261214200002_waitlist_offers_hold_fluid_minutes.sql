-- Waitlist offers vs fluid places, and get_free_slots judging a day once (issue 17, session 16; review of
-- session 15).
--
-- 1. On a day with fluid places (F2 both ways) a live waitlist offer held its slot against slotted bookings
--    (private.booked_overlapping) but not against the day's pool of minutes: private.fluid_places_left did not
--    count it and private.waitlist_offer_slot ignored private.fluid_day_taken, so a fluid booking could take the
--    minutes a waitlisted patient had just been offered. Now a live offer (status 'offered', not yet run out)
--    holds its slot's minutes in fluid_places_left (so in fluid_day_taken, get_fluid_days, get_free_slots and
--    every booking's check), and a slot is offered only when the pool still has its minutes.
--    The mover's own visit must not count against its own move: waitlist_accept (and reschedule_appointment)
--    release the old visit and end the offer before booking the new slot, and the slot they leave is now offered
--    to the next request only AFTER the new booking (the W1 trigger skips the visit being moved, named in the
--    transaction-local setting queuemed.moving_entry; the move offers it itself). Before, that offer was made
--    between the release and the booking, and — now that offers hold minutes — would have taken the very minutes
--    the mover was booking: the accept would have refused itself (BOOKING.SLOT_FULL).
-- 2. get_free_slots ran private.fluid_day_taken for every slot row (and booked_overlapping twice per slot);
--    now once per day and once per slot. Same answers.
--
-- Newest bodies: fluid_places_left (20261211300001), waitlist_offer_slot (20261212600002), queue_entries_waitlist
-- (20261208400002), waitlist_accept (20261209400002), reschedule_appointment (20261206500001), get_free_slots
-- (20261212700002).

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
  ), offered as (
    -- a live waitlist offer holds its slot's minutes until it is taken, declined or runs out (W1)
    select coalesce(sum(extract(epoch from (w.offered_slot_end - w.offered_slot_start)) / 60), 0)::integer as m
    from public.waitlist_requests w
    where w.clinic_id = p_clinic_id and w.day = p_day and w.status = 'offered'
      and w.offer_expires_at > private.now()
  )
  select greatest(0, floor((o.m * c.capacity - h.m - f.m)::numeric / greatest(p_duration, 1)))::integer
  from c, open_minutes o, held h, offered f
$$;

create or replace function private.waitlist_offer_slot(p_clinic_id uuid, p_day date, p_slot_start timestamptz)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_req uuid;
  v_duration integer;
  v_end timestamptz;
begin
  if p_slot_start is null or p_slot_start <= private.now() then
    return null;
  end if;
  select * into v_clinic from public.clinics where id = p_clinic_id;
  -- W8: a slot starting sooner than the clinic's lead time is offered to nobody (nobody could reach it)
  if p_slot_start < private.now()
       + make_interval(mins => (private.effective_settings(v_clinic.settings) ->> 'waitlist_min_lead_minutes')::integer)
  then
    return null;
  end if;
  if exists (select 1 from public.closed_dates d where d.clinic_id = p_clinic_id and d.day = p_day) then
    return null;
  end if;
  v_req := private.waitlist_next(p_clinic_id, p_day, p_slot_start);
  if v_req is null then
    return null;
  end if;
  select private.type_duration(e.clinic_id, e.appointment_type_id) into v_duration
    from public.waitlist_requests w join public.queue_entries e on e.id = w.entry_id where w.id = v_req;
  select s.slot_end into v_end from private.day_slots(p_clinic_id, p_day, v_duration) s
   where s.slot_start = p_slot_start;
  if v_end is null
     or private.booked_overlapping(p_clinic_id, p_slot_start, v_end)
          >= (private.effective_settings(v_clinic.settings) ->> 'slot_capacity')::integer then
    return null;
  end if;
  -- F2 both ways: on a day with fluid places the offer holds minutes of the day's pool; offered only when the
  -- pool still has them (counting the patient's own visit, which they keep if they decline)
  if private.fluid_day_taken(p_clinic_id, p_day, (extract(epoch from (v_end - p_slot_start)) / 60)::integer) then
    return null;
  end if;
  update public.waitlist_requests
     set status = 'offered', offered_slot_start = p_slot_start, offered_slot_end = v_end,
         offered_at = private.now(),
         offer_expires_at = least(private.now() + make_interval(mins => v_clinic.waitlist_offer_minutes),
                                  p_slot_start),
         updated_at = private.now()
   where id = v_req;
  return v_req;
end
$$;

create or replace function private.queue_entries_waitlist() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_day date;
  w public.waitlist_requests;
begin
  select q.day into v_day from public.queues q where q.id = new.queue_id;
  -- W4: the visit's own open request ends; a slot it held passes on
  for w in
    update public.waitlist_requests set status = 'withdrawn', updated_at = private.now()
     where entry_id = new.id and status in ('waiting', 'offered')
    returning *
  loop
    if w.status = 'withdrawn' and w.offered_slot_start is not null then
      perform private.waitlist_offer_slot(w.clinic_id, w.day, w.offered_slot_start);
    end if;
  end loop;
  -- W1: a cancelled booking frees its slot
  -- (a move — waitlist_accept, reschedule_appointment — offers the slot it leaves itself, once its new booking
  -- is in place: offered earlier, the hold would take the minutes the mover is about to book on a fluid day)
  if new.status = 'cancelled' and new.kind = 'booked' and new.slot_start is not null
     and coalesce(current_setting('queuemed.moving_entry', true), '') <> new.id::text then
    perform private.waitlist_offer_slot(new.clinic_id, v_day, new.slot_start);
  end if;
  return null;
end
$$;

create or replace function private.waitlist_accept(p_request_id uuid, p_via text) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  w public.waitlist_requests;
  e public.queue_entries;
  v_new jsonb;
begin
  select * into w from public.waitlist_requests where id = p_request_id for update;
  if not found or w.status <> 'offered' or w.offer_expires_at <= private.now() then
    perform private.raise_error(409, 'WAITLIST.OFFER_EXPIRED', 'this offer is no longer open');
  end if;
  select * into e from public.queue_entries where id = w.entry_id;
  if e.status <> 'scheduled' or e.kind <> 'booked' then
    perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'only a scheduled booked visit can be moved');
  end if;
  -- the hold ends first (it would count against the slot the patient now books) …
  update public.waitlist_requests set status = 'accepted', updated_at = private.now() where id = w.id;
  -- … the old visit is released (its slot passes to the next request once the new booking is made) …
  perform set_config('queuemed.moving_entry', e.id::text, true);
  update public.queue_entries
     set status = 'cancelled', cancelled_at = private.now(), cancel_reason = 'rescheduled'
   where id = e.id;
  perform private.log_event(e.queue_id, e.clinic_id, e.id, 'EntryCancelled',
    jsonb_build_object('fromStatus', e.status, 'reason', 'rescheduled', 'by', 'patient', 'via', p_via));
  perform private.bump_version(e.queue_id);
  -- … and the offered slot is booked (its EntryScheduled owes the booking confirmation)
  v_new := private.book(e.clinic_id, e.patient_id, w.offered_slot_start, e.appointment_type_id,
                        e.practitioner_id, false);
  perform set_config('queuemed.moving_entry', '', true);
  perform private.waitlist_offer_slot(e.clinic_id, w.day, e.slot_start);
  update public.queue_entries set rescheduled_from = e.id where id = (v_new ->> 'entry_id')::uuid;
  update public.waitlist_requests set moved_to = (v_new ->> 'entry_id')::uuid where id = w.id;
  return v_new || jsonb_build_object('rescheduled_from', e.id, 'request_id', w.id);
end
$$;

create or replace function public.reschedule_appointment(p_entry_id uuid, p_slot_start timestamptz)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record;
  v_settings jsonb;
  v_new jsonb;
  v_clinic uuid;
  v_patient uuid;
  v_tz text;
  v_old_day date;
  v_new_day date;
begin
  perform private.require_uid();
  if p_entry_id is null or p_slot_start is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_entry_id and p_slot_start are required');
  end if;
  begin
    -- canonical lock order: both day queues, the earlier day first (a visit's queue and clinic never change:
    -- private.queue_entries_guard, so this unlocked read is stable)
    select e.clinic_id, e.patient_id, q.day, c.time_zone
      into v_clinic, v_patient, v_old_day, v_tz
      from public.queue_entries e
      join public.queues q on q.id = e.queue_id
      join public.clinics c on c.id = e.clinic_id
     where e.id = p_entry_id;
    if v_clinic is not null and private.is_own_patient(v_patient) then
      v_new_day := (p_slot_start at time zone v_tz)::date;
      perform private.lock_queue(v_clinic, least(v_old_day, v_new_day));
      if v_new_day <> v_old_day then
        perform private.lock_queue(v_clinic, greatest(v_old_day, v_new_day));
      end if;
    end if;

    -- 404 unless the caller's own visit or staff of its clinic; (re)locks the visit's day queue
    select * into r from private.entry_for_actor(p_entry_id, null);
    if not private.is_own_patient((r.e).patient_id) then
      perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only the patient can reschedule their visit');
    end if;
    -- RS1
    if (r.e).status <> 'scheduled' or (r.e).kind <> 'booked' or (r.e).slot_start is null then
      perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'only a scheduled booked visit can be moved');
    end if;
    -- RS2: the cancel rule, on the current slot
    select private.effective_settings(c.settings) into v_settings from public.clinics c where c.id = (r.e).clinic_id;
    if (r.e).slot_start
         < private.now() + make_interval(mins => (v_settings ->> 'min_cancel_notice_minutes')::integer) then
      perform private.raise_error(422, 'BOOKING.RESCHEDULE_TOO_LATE', 'too late to move the visit; call the clinic');
    end if;
    -- RS4
    if (r.e).slot_start = p_slot_start then
      perform private.raise_error(422, 'BOOKING.RESCHEDULE_SAME_SLOT', 'the visit is already at that time');
    end if;

    -- release the old slot first (a same-day move must not collide with the patient's own visit) …
    perform set_config('queuemed.moving_entry', (r.e).id::text, true);
    update public.queue_entries
       set status = 'cancelled', cancelled_at = private.now(), cancel_reason = 'rescheduled'
     where id = (r.e).id;
    perform private.log_event((r.e).queue_id, (r.e).clinic_id, (r.e).id, 'EntryCancelled',
      jsonb_build_object('fromStatus', (r.e).status, 'reason', 'rescheduled', 'by', 'patient',
                         'via', 'reschedule'));
    perform private.bump_version((r.e).queue_id);
    -- … and take the new one (RS3); any refusal raises and rolls the cancellation back with it
    v_new := private.book((r.e).clinic_id, (r.e).patient_id, p_slot_start, (r.e).appointment_type_id,
                          (r.e).practitioner_id, true);
    update public.queue_entries set rescheduled_from = (r.e).id where id = (v_new ->> 'entry_id')::uuid;
    -- … then the slot it left passes to the waitlist (W1), after the new booking holds its minutes
    perform set_config('queuemed.moving_entry', '', true);
    perform private.waitlist_offer_slot((r.e).clinic_id, v_old_day, (r.e).slot_start);
  exception
    when deadlock_detected or serialization_failure or lock_not_available then
      perform private.raise_error(409, 'CONCURRENCY.RETRY',
        'another change to these days happened at the same moment; try again');
  end;
  return v_new || jsonb_build_object('rescheduled_from', (r.e).id);
end
$$;

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
     and b.n < (v_s ->> 'slot_capacity')::integer;
  return v_result;
end
$function$;
