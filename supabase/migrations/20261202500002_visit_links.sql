-- Issues 15.3 and 15.4: a visit's tracking link the server can render again.
--
-- Until now the tracking token was random, shown once at booking and stored only as a hash, so neither the
-- "almost your turn" SMS ({tracking_url}) nor "My visits" on another browser could give the link back. Decision:
-- the token of a visit booked from now on is DERIVED — sha256(secret ‖ entry id), hex — from one server secret
-- kept in the private schema (no API role can read it; only security-definer functions use it). The column
-- still stores only the token's hash, so every lookup (tracker, running late, check-in by link) is unchanged,
-- and the token never sits in a table the API or realtime can expose. Anyone who can read the private schema
-- can mint links — the same people who can read the queue itself. Rotating the secret (update the row)
-- invalidates every link not yet rendered. Visits booked before this migration keep their random token: the
-- server cannot render those (private.entry_link answers null, as before).

create table private.link_secrets (
  id boolean primary key default true check (id),
  secret bytea not null
);
-- 256 bits from the CSPRNG behind gen_random_uuid (two v4 UUIDs → 244 random bits, hashed)
insert into private.link_secrets (secret)
values (sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')));
revoke all on private.link_secrets from public;

-- The link token of a visit (64 hex characters): the same for the same visit, unguessable without the secret.
create function private.entry_link_token(p_entry_id uuid) returns text
language sql stable
security definer
set search_path = ''
as $$
  select encode(sha256(s.secret || convert_to(p_entry_id::text, 'UTF8')), 'hex') from private.link_secrets s
$$;

-- The visit's link token when it is the one stored (hash match) and the visit is not over; else null.
create function private.entry_link(e public.queue_entries) returns text
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_token text;
begin
  if e.id is null or e.tracking_token_hash is null or e.status in ('completed', 'cancelled', 'no_show') then
    return null;
  end if;
  v_token := private.entry_link_token(e.id);
  return case when private.hash_token(v_token) = e.tracking_token_hash then v_token end;
end
$$;
revoke execute on function private.entry_link_token(uuid) from public;
revoke execute on function private.entry_link(public.queue_entries) from public;

-- get_my_visits() → [{ entry_id, clinic_id, status, ticket_number, slot_start, kind, tracking_token }]
-- The signed-in caller's own visits (their patient records in any clinic), oldest slot first;
-- tracking_token (the live link) for a visit not yet over whose link the server can render, else null.
-- 401 AUTH.REQUIRED without a user. Staff see only their own visits as patients here (the desk is elsewhere).
create function public.get_my_visits() returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
begin
  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'entry_id', e.id, 'clinic_id', e.clinic_id, 'status', e.status, 'ticket_number', e.ticket_number,
             'slot_start', e.slot_start, 'kind', e.kind, 'tracking_token', private.entry_link(e))
           order by e.slot_start nulls last, e.created_at)
      from public.queue_entries e
      join public.patients p on p.id = e.patient_id
     where p.user_id = v_uid), '[]'::jsonb);
end
$$;
revoke execute on function public.get_my_visits() from public, anon;
grant execute on function public.get_my_visits() to authenticated, service_role;

-- private.book: newest definition (20261202100001), the token now derived from the new visit's id.
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
$function$;

-- notification_prepare: newest definition (20261201000500) + the rendered link token (issue 15.3).
create or replace function public.notification_prepare(
  p_clinic_id uuid,
  p_entry_id uuid,
  p_kind public.notification_kind,
  p_event_id bigint default null,
  p_correlation_id uuid default null,
  p_position integer default null,
  p_tracking_token text default null)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_c public.clinics;
  v_e public.queue_entries;
  v_p public.patients;
  v_ev public.queue_events;
  v_day date;
  v_lang public.app_language;
  v_key text;
  v_settings jsonb;
  v_values jsonb;
  v_token_ok boolean := false;
  v_link text;
begin
  perform private.require_staff(p_clinic_id);
  if p_entry_id is null or p_kind is null or p_kind = 'staff_invitation' then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a visit and a patient message kind are required');
  end if;
  select * into v_c from public.clinics where id = p_clinic_id;
  select * into v_e from public.queue_entries where id = p_entry_id and clinic_id = p_clinic_id;
  if v_c.id is null or v_e.id is null then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found in this clinic');
  end if;
  select * into v_p from public.patients where id = v_e.patient_id;
  select day into v_day from public.queues where id = v_e.queue_id;
  v_settings := private.effective_settings(v_c.settings);
  -- the visit's tracking link, when the server can render it (visits booked since 20261202500002)
  v_link := private.entry_link(v_e);
  v_lang := coalesce(v_p.preferred_language, v_c.default_language);
  v_values := jsonb_build_object(
    'patient_name', v_p.full_name,
    'clinic_name', v_c.name,
    'ticket', private.ticket_label(v_c.ticket_prefix, v_e.ticket_number),
    'room', v_e.called_room,
    'grace_minutes', v_settings ->> 'grace_period_minutes');

  if p_kind = 'booking_confirmed' then
    if p_event_id is not null or p_correlation_id is not null or p_position is not null then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'a booking confirmation refers to the visit only');
    end if;
    if v_e.kind <> 'booked' or v_e.status not in ('scheduled', 'waiting') then
      perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'this visit is not a pending booking');
    end if;
    v_key := 'booking_confirmed:' || v_e.id::text;
    v_token_ok := p_tracking_token is not null and v_e.tracking_token_hash is not null
                  and v_e.tracking_token_hash = private.hash_token(p_tracking_token);
    v_values := v_values || jsonb_build_object(
      'appointment_time', to_char(v_e.slot_start at time zone v_c.time_zone, 'DD/MM HH24:MI'));
  elsif p_kind = 'almost_turn' then
    if p_event_id is not null or p_correlation_id is not null or p_tracking_token is not null then
      perform private.raise_error(422, 'VALIDATION.FAILED', '"almost your turn" refers to the visit and its position only');
    end if;
    if p_position is null or p_position < 1 or p_position > (v_settings ->> 'notify_at_position')::integer then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'the position must be between 1 and the clinic''s notify_at_position');
    end if;
    if v_e.status <> 'waiting' or v_day is distinct from private.clinic_today(v_c.time_zone) then
      perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'this visit is not waiting today');
    end if;
    v_key := 'almost_turn:' || v_e.id::text || ':once';
    v_values := v_values || jsonb_build_object('position', p_position::text);
  else
    if p_position is not null or p_tracking_token is not null then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'a queue message refers to its logged event only');
    end if;
    select ev.* into v_ev from public.queue_events ev
     where ev.clinic_id = p_clinic_id and ev.entry_id = v_e.id
       and private.event_notification_kind(ev.type, ev.payload) = p_kind
       and (p_event_id is null or ev.id = p_event_id)
       and (p_correlation_id is null or ev.correlation_id = p_correlation_id
            or ev.payload ->> 'correlationId' = p_correlation_id::text)
     order by ev.id desc
     limit 1;
    if v_ev.id is null then
      perform private.raise_error(404, 'NOT_FOUND', 'no logged event of this visit owes this message');
    end if;
    v_key := private.event_notification_key(p_kind, v_e.id, v_ev.correlation_id, v_ev.payload, v_ev.id);
    -- the ticket is the visit's own; from the event only a short room name and small numbers
    v_values := v_values || jsonb_strip_nulls(jsonb_build_object(
      'room', left(btrim(v_ev.payload ->> 'room'), 40),
      'position', substring(v_ev.payload ->> 'position' from '^[0-9]{1,3}$'),
      'grace_minutes', substring(v_ev.payload ->> 'graceMinutes' from '^[0-9]{1,3}$')));
  end if;

  return jsonb_build_object(
    'kind', p_kind, 'entry_id', v_e.id, 'event_id', v_ev.id, 'idempotency_key', v_key, 'language', v_lang,
    'template', coalesce(
      (select t.body from public.notification_templates t
        where t.clinic_id = p_clinic_id and t.kind = p_kind and t.language = v_lang),
      (select t.body from public.notification_templates t
        where t.clinic_id is null and t.kind = p_kind and t.language = v_lang)),
    'values', v_values,
    'tracking_token_ok', v_token_ok,
    -- issue 15.3: the link token for the messages that carry {tracking_url} (booking confirmation, almost
    -- your turn, your turn), rendered by send-sms with the app's address; null when it cannot be rendered
    'tracking_token', case when p_kind in ('booking_confirmed', 'almost_turn', 'your_turn') then v_link end);
end
$$;
