-- Issue 17, "Waitlist and gap filling" — the rest after 20261207300002's first slice: offers, accept, expiry.
--
-- DOMAIN rules (proposed; tests in supabase/tests/waitlistOffers.test.ts are named after them):
--   W1 "waitlist: a freed slot is offered to the first request, and held" — when a booked visit's slot frees
--      (the visit is cancelled, by the patient, the staff, a reschedule or an accepted offer) and the slot is
--      still ahead and has room, the earliest open request whose visit is later that day (and whose visit
--      type fits the slot's grid) gets an OFFER: status 'offered', the slot held for it until
--      offer_expires_at = private.now() + clinics.waitlist_offer_minutes (15; 5–240), never past the slot's
--      start. A held slot counts against the slot's capacity (private.booked_overlapping), so nobody else can
--      book it while the offer runs.
--   W2 "waitlist: accepting moves the visit, exactly once" — accept_earlier_slot, in one transaction under
--      the day queue's lock: the request becomes 'accepted', the old visit is cancelled (reason
--      'rescheduled', via 'waitlist') and the offered slot is booked for the same patient, type and
--      practitioner (rescheduled_from = the old visit). A second accept, an accept after expiry or after a
--      withdrawal is refused with 409 WAITLIST.OFFER_EXPIRED and changes nothing. The old slot frees and W1
--      offers it to the next request (gap filling cascades).
--   W3 "waitlist: an offer nobody takes passes on" — at offer_expires_at (private.now(), checked by
--      public.sweep_queues on its schedule, and by accept itself) the request becomes 'expired' and the slot
--      is offered to the next request; a hold whose time has passed no longer counts even before the sweep.
--      Declining (withdraw_earlier_slot on an offered request) passes the slot on at once.
--   W4 "waitlist: a request ends with its visit" — when the visit leaves 'scheduled' (cancelled, checked
--      in, …) its open request is closed ('withdrawn'); a slot it held passes on.
--   W5 "waitlist: the offer is told by SMS once" — the sweep (reminder_outbox, the database-clock outbox)
--      lists each open offer once under the key waitlist_offer:<request>, in the patient's language
--      (ar/fr/en templates, {appointment_time} {offer_expires_at} {offer_url} = My visits), by the patient's
--      channel; an offer that ended before the sweep ran is not sent.
--
-- New: clinics.waitlist_offer_minutes; waitlist_requests.offered_slot_start/_end, offered_at,
-- offer_expires_at, moved_to; the trigger queue_entries_waitlist; private.waitlist_offer_slot,
-- private.expire_waitlist_offers; public.accept_earlier_slot, public.my_earlier_slot_requests,
-- public.clinic_waitlist, public.set_waitlist_offer_minutes. Redefined from their newest bodies:
-- private.waitlist_next (20261207300002), public.withdraw_earlier_slot (20261207300002),
-- private.booked_overlapping (20261201000300), public.sweep_queues (20261201000200),
-- public.reminder_outbox (20261207400001), private.template_kind_variables (20261204800002).

alter table public.clinics add column waitlist_offer_minutes integer not null default 15
  constraint clinics_waitlist_offer_minutes_range check (waitlist_offer_minutes between 5 and 240);

alter table public.waitlist_requests
  add column offered_slot_start timestamptz,
  add column offered_slot_end timestamptz,
  add column offered_at timestamptz,
  add column offer_expires_at timestamptz,
  add column moved_to uuid references public.queue_entries (id) on delete set null,
  add constraint waitlist_requests_offer_shape check (
    status <> 'offered'
    or (offered_slot_start is not null and offered_slot_end is not null and offer_expires_at is not null));
create index waitlist_requests_offered_idx on public.waitlist_requests (clinic_id, offered_slot_start)
  where status = 'offered';

-- W1: the request a freed slot goes to — first come, first served (20261207300002), now also only a request
-- whose visit type has a slot starting there (the accept books the patient's own type on the day's grid).
create or replace function private.waitlist_next(p_clinic_id uuid, p_day date, p_slot_start timestamptz) returns uuid
language sql stable
set search_path = ''
as $$
  select w.id from public.waitlist_requests w join public.queue_entries e on e.id = w.entry_id
   where w.clinic_id = p_clinic_id and w.day = p_day and w.status = 'waiting'
     and e.status = 'scheduled' and e.slot_start > p_slot_start
     and exists (select 1 from private.day_slots(w.clinic_id, w.day,
                                                 private.type_duration(w.clinic_id, e.appointment_type_id)) s
                  where s.slot_start = p_slot_start)
   order by w.created_at, w.id
   limit 1
$$;

-- W1: a slot's capacity counts the bookings AND the offers holding it (until their time passes).
create or replace function private.booked_overlapping(p_clinic_id uuid, p_start timestamptz, p_end timestamptz)
returns integer
language sql stable
set search_path = ''
as $$
  select (select count(*)::integer from public.queue_entries e
           where e.clinic_id = p_clinic_id and e.kind = 'booked'
             and e.status not in ('cancelled', 'no_show')
             and e.slot_start < p_end and coalesce(e.slot_end, e.slot_start + interval '1 minute') > p_start)
       + (select count(*)::integer from public.waitlist_requests w
           where w.clinic_id = p_clinic_id and w.status = 'offered' and w.offer_expires_at > private.now()
             and w.offered_slot_start < p_end and w.offered_slot_end > p_start)
$$;

-- W1: offer a slot of (clinic, day) that just freed to the next request, if the slot is ahead and has room.
-- The caller holds the day queue's lock. Returns the request offered, or null.
create function private.waitlist_offer_slot(p_clinic_id uuid, p_day date, p_slot_start timestamptz)
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
revoke all on function private.waitlist_offer_slot(uuid, date, timestamptz) from public, anon, authenticated;

-- W1 + W4: a booked visit leaving 'scheduled'. Runs inside whatever changed the visit (cancel_appointment,
-- a desk step, reschedule_appointment, accept_earlier_slot …), all of which hold the day queue's lock.
create function private.queue_entries_waitlist() returns trigger
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
  if new.status = 'cancelled' and new.kind = 'booked' and new.slot_start is not null then
    perform private.waitlist_offer_slot(new.clinic_id, v_day, new.slot_start);
  end if;
  return null;
end
$$;
revoke all on function private.queue_entries_waitlist() from public, anon, authenticated;
create trigger queue_entries_waitlist after update of status on public.queue_entries
  for each row when (old.status = 'scheduled' and new.status <> 'scheduled')
  execute function private.queue_entries_waitlist();

-- W3: offers whose time has passed expire and their slots pass on (called by sweep_queues).
create function private.expire_waitlist_offers() returns integer
language plpgsql
set search_path = ''
as $$
declare
  d record;
  w public.waitlist_requests;
  v_n integer := 0;
begin
  for d in
    select distinct x.clinic_id, x.day from public.waitlist_requests x
     where x.status = 'offered' and x.offer_expires_at <= private.now()
  loop
    perform private.lock_queue(d.clinic_id, d.day);
    for w in
      select * from public.waitlist_requests x
       where x.clinic_id = d.clinic_id and x.day = d.day and x.status = 'offered'
         and x.offer_expires_at <= private.now()
       order by x.offered_at, x.id
       for update
    loop
      update public.waitlist_requests set status = 'expired', updated_at = private.now() where id = w.id;
      perform private.waitlist_offer_slot(w.clinic_id, w.day, w.offered_slot_start);
      v_n := v_n + 1;
    end loop;
  end loop;
  return v_n;
end
$$;
revoke all on function private.expire_waitlist_offers() from public, anon, authenticated;

-- sweep_queues (newest: 20261201000200) + W3's expiry ('offers_expired').
create or replace function public.sweep_queues() returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_expired integer := 0;
  v_closed integer := 0;
  v_offers integer := 0;
  q record;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  for q in
    select distinct e.queue_id from public.queue_entries e
    where e.status = 'absent' and e.grace_ends_at <= private.now()
  loop
    perform 1 from public.queues where id = q.queue_id for update;
    v_expired := v_expired + private.expire_grace(q.queue_id);
  end loop;
  v_offers := private.expire_waitlist_offers();
  for q in
    select qu.id
    from public.queues qu join public.clinics c on c.id = qu.clinic_id
    where qu.status = 'open'
      and private.now() >= ((qu.day + coalesce(
                      (select max(w.ends_at) from public.working_hours w
                        where w.clinic_id = qu.clinic_id and w.weekday = extract(dow from qu.day)),
                      time '23:59')) at time zone c.time_zone)
                   + make_interval(mins => (private.effective_settings(c.settings)
                                            ->> 'auto_end_day_after_closing_minutes')::integer)
    for update of qu skip locked
  loop
    perform private.close_day(q.id, true);
    v_closed := v_closed + 1;
  end loop;
  return jsonb_build_object('expired', v_expired, 'closed', v_closed, 'offers_expired', v_offers);
end
$$;

-- W2: the patient takes the offered slot. Returns the new booking (as reschedule_appointment does) and the
-- request.
create function public.accept_earlier_slot(p_request_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  w public.waitlist_requests;
  e public.queue_entries;
  v_new jsonb;
begin
  perform private.require_uid();
  if p_request_id is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_request_id is required');
  end if;
  -- the caller's own request (404 otherwise, without locking anything of the clinic)
  select x.* into w from public.waitlist_requests x
    join public.queue_entries y on y.id = x.entry_id
    join public.patients p on p.id = y.patient_id
   where x.id = p_request_id and p.user_id = auth.uid();
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'request not found');
  end if;
  -- one day queue: the visit and the offered slot are on the request's day
  perform private.lock_queue(w.clinic_id, w.day);
  select * into w from public.waitlist_requests where id = p_request_id for update;
  if w.status <> 'offered' or w.offer_expires_at <= private.now() then
    perform private.raise_error(409, 'WAITLIST.OFFER_EXPIRED', 'this offer is no longer open');
  end if;
  select * into e from public.queue_entries where id = w.entry_id;
  if e.status <> 'scheduled' or e.kind <> 'booked' then
    perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'only a scheduled booked visit can be moved');
  end if;
  -- the hold ends first (it would count against the slot the patient now books) …
  update public.waitlist_requests set status = 'accepted', updated_at = private.now() where id = w.id;
  -- … the old visit is released (its slot passes to the next request: the trigger) …
  update public.queue_entries
     set status = 'cancelled', cancelled_at = private.now(), cancel_reason = 'rescheduled'
   where id = e.id;
  perform private.log_event(e.queue_id, e.clinic_id, e.id, 'EntryCancelled',
    jsonb_build_object('fromStatus', e.status, 'reason', 'rescheduled', 'by', 'patient', 'via', 'waitlist'));
  perform private.bump_version(e.queue_id);
  -- … and the offered slot is booked; any refusal rolls all of it back
  v_new := private.book(e.clinic_id, e.patient_id, w.offered_slot_start, e.appointment_type_id,
                        e.practitioner_id, false);
  update public.queue_entries set rescheduled_from = e.id where id = (v_new ->> 'entry_id')::uuid;
  update public.waitlist_requests set moved_to = (v_new ->> 'entry_id')::uuid where id = w.id;
  return v_new || jsonb_build_object('rescheduled_from', e.id, 'request_id', w.id);
end
$$;
revoke execute on function public.accept_earlier_slot(uuid) from public, anon;
grant execute on function public.accept_earlier_slot(uuid) to authenticated, service_role;

-- withdraw_earlier_slot (newest: 20261207300002) + W3: declining a running offer passes its slot on at once.
create or replace function public.withdraw_earlier_slot(p_request_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  w public.waitlist_requests;
begin
  perform private.require_uid();
  select x.* into w from public.waitlist_requests x
   where x.id = p_request_id and x.status in ('waiting', 'offered')
     and exists (select 1 from public.queue_entries e join public.patients p on p.id = e.patient_id
                  where e.id = x.entry_id and p.user_id = auth.uid());
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'request not found');
  end if;
  perform private.lock_queue(w.clinic_id, w.day);
  update public.waitlist_requests x set status = 'withdrawn', updated_at = private.now()
   where x.id = p_request_id and x.status in ('waiting', 'offered')
  returning x.* into w;
  if w.id is null then
    perform private.raise_error(404, 'NOT_FOUND', 'request not found');
  end if;
  if w.offered_slot_start is not null then
    perform private.waitlist_offer_slot(w.clinic_id, w.day, w.offered_slot_start);
  end if;
  return jsonb_build_object('request_id', w.id, 'status', 'withdrawn');
end
$$;

-- One request as the patient and the staff see it.
create function private.waitlist_request_json(w public.waitlist_requests) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'request_id', w.id, 'entry_id', w.entry_id, 'day', w.day, 'status', w.status,
    'requested_at', w.created_at,
    'visit_slot_start', e.slot_start,
    'ticket', private.ticket_label(c.ticket_prefix, e.ticket_number),
    'position', case when w.status = 'waiting' then (
        select count(*)::integer from public.waitlist_requests o
         where o.clinic_id = w.clinic_id and o.day = w.day and o.status = 'waiting'
           and (o.created_at, o.id) <= (w.created_at, w.id)) end,
    'offered_slot_start', case when w.status = 'offered' then w.offered_slot_start end,
    'offer_expires_at', case when w.status = 'offered' then w.offer_expires_at end)
  from public.queue_entries e join public.clinics c on c.id = e.clinic_id
  where e.id = w.entry_id
$$;
revoke all on function private.waitlist_request_json(public.waitlist_requests) from public, anon, authenticated;

-- My visits: the caller's open requests (waiting or offered; an offer whose time passed shows as gone).
create function public.my_earlier_slot_requests() returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_uid();
  return coalesce((
    select jsonb_agg(private.waitlist_request_json(w) order by w.day, w.created_at)
      from public.waitlist_requests w
      join public.queue_entries e on e.id = w.entry_id
      join public.patients p on p.id = e.patient_id
     where p.user_id = auth.uid()
       and (w.status = 'waiting' or (w.status = 'offered' and w.offer_expires_at > private.now()))), '[]'::jsonb);
end
$$;
revoke execute on function public.my_earlier_slot_requests() from public, anon;
grant execute on function public.my_earlier_slot_requests() to authenticated, service_role;

-- Staff: the clinic's open requests from today on, first come first, with names, and the offer setting.
create function public.clinic_waitlist(p_clinic_id uuid) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
begin
  perform private.require_staff(p_clinic_id);
  select * into v_clinic from public.clinics where id = p_clinic_id;
  return jsonb_build_object(
    'offer_minutes', v_clinic.waitlist_offer_minutes,
    'requests', coalesce((
      select jsonb_agg(private.waitlist_request_json(w) || jsonb_build_object('patient_name', p.full_name)
                       order by w.day, w.created_at, w.id)
        from public.waitlist_requests w
        join public.queue_entries e on e.id = w.entry_id
        left join public.patients p on p.id = e.patient_id
       where w.clinic_id = p_clinic_id
         and w.day >= private.clinic_today(v_clinic.time_zone)
         and (w.status = 'waiting' or (w.status = 'offered' and w.offer_expires_at > private.now()))),
      '[]'::jsonb));
end
$$;
revoke execute on function public.clinic_waitlist(uuid) from public, anon;
grant execute on function public.clinic_waitlist(uuid) to authenticated, service_role;

create function public.set_waitlist_offer_minutes(p_clinic_id uuid, p_minutes integer) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_admin(p_clinic_id);
  if p_minutes is null or p_minutes < 5 or p_minutes > 240 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'an offer is held 5 to 240 minutes');
  end if;
  update public.clinics set waitlist_offer_minutes = p_minutes where id = p_clinic_id;
  return jsonb_build_object('offer_minutes', p_minutes);
end
$$;
revoke execute on function public.set_waitlist_offer_minutes(uuid, integer) from public, anon;
grant execute on function public.set_waitlist_offer_minutes(uuid, integer) to authenticated, service_role;

-- W5: the offer's message — variables, built-in texts (= src/services/notification/models/DefaultTemplates.ts)
create or replace function private.template_kind_variables(p_kind public.notification_kind) returns text[]
language sql immutable
set search_path = ''
as $$
  select array['patient_name', 'clinic_name', 'ticket', 'position', 'eta', 'room', 'grace_minutes', 'tracking_url']
         || case p_kind
              when 'booking_confirmed' then array['appointment_time', 'cancel_url']
              when 'appointment_reminder' then array['appointment_time', 'cancel_url']
              when 'waitlist_offer' then array['appointment_time', 'offer_expires_at', 'offer_url']
              when 'staff_invitation' then array['invitation_url']
              else array[]::text[]
            end
$$;

insert into public.notification_templates (clinic_id, kind, language, body)
values
  (null, 'waitlist_offer', 'ar',
   '{clinic_name}: {patient_name}، توفر موعد أبكر: {appointment_time}. هو محجوز لك حتى {offer_expires_at}. لقبوله: {offer_url}'),
  (null, 'waitlist_offer', 'fr',
   '{clinic_name} : {patient_name}, une place plus proche s''est libérée : {appointment_time}. Elle vous est réservée jusqu''à {offer_expires_at}. Pour l''accepter : {offer_url}'),
  (null, 'waitlist_offer', 'en',
   '{clinic_name}: {patient_name}, an earlier slot is free: {appointment_time}. It is held for you until {offer_expires_at}. To take it: {offer_url}');

create function private.waitlist_offer_key(p_request_id uuid) returns text
language sql immutable
set search_path = ''
as $$ select 'waitlist_offer:' || p_request_id::text $$;
revoke all on function private.waitlist_offer_key(uuid) from public;

-- reminder_outbox (newest: 20261207400001): the messages owed by the database clock — the reminders as
-- before, then W5's running offers not yet messaged (one per request, under its key).
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
      ) y), '[]'::jsonb);
end
$$;
