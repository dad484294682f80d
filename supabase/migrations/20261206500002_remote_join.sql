-- Issue 17, "Join today's queue remotely": a virtual walk-in from the clinic's page.
--
-- A clinic allows it with a daily cap: clinics.remote_join_cap (1-500 remote joins a day; null = not
-- offered, the default). A signed-in patient (the same account as a booking: the phone is known) joins the
-- clinic's queue of TODAY without a slot: a walk-in (kind walk_in, status waiting, in line by the time it
-- joined, like a walk-in the desk adds) marked queue_entries.joined_remotely, with its own ticket and
-- tracking link — the same tracker as every visit. The day's queue decides as it does for any walk-in:
-- a closed day (QUEUE.CLOSED), a closed intake (QUEUE.INTAKE_CLOSED, the pause/reopen switch: the desk's way
-- to stop online joins for the rest of the day), the clinic's walk-in limit (QUEUE.WALK_IN_LIMIT_REACHED),
-- one open visit per patient per day (QUEUE.DUPLICATE_ENTRY); a closed date is BOOKING.CLINIC_CLOSED. On top:
-- not offered → 409 QUEUE.REMOTE_JOIN_OFF, the day's remote places used up → 409 QUEUE.REMOTE_JOIN_FULL.
-- Everything under the day queue's lock (private.lock_queue), so the cap holds under concurrency; the day is
-- the clinic's today by private.now(). Not here (left for later): an arrival window (the patient must arrive
-- within N minutes), opening-hours gating, an SMS confirmation.
--
-- get_remote_join(p_clinic_id) → { open, reason, remaining } tells the clinic page whether to offer it
-- (anyone may ask: it shows no patient data). set_remote_join_cap(p_clinic_id, p_cap) → { remote_join_cap }:
-- the clinic's admins (owner/admin), 1-500 or null, else 422 VALIDATION.FAILED.

alter table public.clinics
  add column remote_join_cap integer
    constraint clinics_remote_join_cap_valid check (remote_join_cap is null or remote_join_cap between 1 and 500);
comment on column public.clinics.remote_join_cap is
  'Remote joins ("join today''s queue from my phone") allowed per day; null = not offered';

alter table public.queue_entries add column joined_remotely boolean not null default false;
comment on column public.queue_entries.joined_remotely is
  'The patient joined the day''s queue from their phone (public.join_queue_remotely), not at the desk';

-- The caller's patient record in the clinic, created on first use (as book_appointment does).
create function private.caller_patient(p_clinic_id uuid, p_full_name text, p_language public.app_language)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
  v_patient_id uuid;
  v_name text;
  v_phone text;
begin
  select id into v_patient_id from public.patients where clinic_id = p_clinic_id and user_id = v_uid;
  if v_patient_id is not null then
    return v_patient_id;
  end if;
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
  return v_patient_id;
end
$$;
revoke execute on function private.caller_patient(uuid, text, public.app_language) from public;

-- Why a remote join is not open now (null = open), and the places left today. Reads only.
create function private.remote_join_state(p_clinic public.clinics, out reason text, out remaining integer)
language plpgsql stable
set search_path = ''
as $$
declare
  v_day date := private.clinic_today(p_clinic.time_zone);
  v_queue public.queues;
  v_used integer := 0;
begin
  select * into v_queue from public.queues where clinic_id = p_clinic.id and day = v_day;
  if v_queue.id is not null then
    select count(*)::integer into v_used from public.queue_entries e
     where e.queue_id = v_queue.id and e.joined_remotely and e.status <> 'cancelled';
  end if;
  remaining := case when p_clinic.remote_join_cap is null then null
                    else greatest(p_clinic.remote_join_cap - v_used, 0) end;
  reason := case
    when p_clinic.remote_join_cap is null then 'off'
    when exists (select 1 from public.closed_dates d where d.clinic_id = p_clinic.id and d.day = v_day)
      then 'closed_day'
    when v_queue.status = 'closed' then 'day_closed'
    when v_queue.intake_closed_at is not null then 'intake_closed'
    when remaining = 0 then 'full'
  end;
end
$$;
revoke execute on function private.remote_join_state(public.clinics) from public;

create function public.get_remote_join(p_clinic_id uuid) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  s record;
begin
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  s := private.remote_join_state(v_clinic);
  return jsonb_build_object('open', s.reason is null, 'reason', s.reason, 'remaining', s.remaining);
end
$$;
revoke execute on function public.get_remote_join(uuid) from public;
grant execute on function public.get_remote_join(uuid) to anon, authenticated, service_role;

-- join_queue_remotely(p_clinic_id, p_full_name?, p_language?) → { entry_id, queue_id, clinic_id, day,
--   ticket_number, ticket, status: 'waiting', tracking_token, queue_version }
create function public.join_queue_remotely(
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
begin
  perform private.require_uid();
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if p_clinic_id is null or not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if v_clinic.remote_join_cap is null then -- before anything is written (no patient record either)
    perform private.raise_error(409, 'QUEUE.REMOTE_JOIN_OFF', 'the clinic does not take remote joins');
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
    when 'full' then
      perform private.raise_error(409, 'QUEUE.REMOTE_JOIN_FULL', 'no remote places left today');
    else null;
  end case;
  if exists (select 1 from public.queue_entries e
             where e.queue_id = v_queue.id and e.patient_id = v_patient_id
               and e.status not in ('completed', 'cancelled', 'no_show')) then
    perform private.raise_error(409, 'QUEUE.DUPLICATE_ENTRY', 'the patient already has a visit that day');
  end if;

  v_token := private.entry_link_token(v_entry_id);
  insert into public.queue_entries (
    id, queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key, tracking_token_hash,
    created_by, joined_remotely)
  values (
    v_entry_id, v_queue.id, p_clinic_id, v_patient_id, 'walk_in', 'waiting', v_queue.next_ticket,
    extract(epoch from private.now())::numeric, private.hash_token(v_token), auth.uid(), true);
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
    'queue_version', private.bump_version(v_queue.id));
end
$$;
revoke execute on function public.join_queue_remotely(uuid, text, public.app_language) from public, anon;
grant execute on function public.join_queue_remotely(uuid, text, public.app_language) to authenticated, service_role;

create function public.set_remote_join_cap(p_clinic_id uuid, p_cap integer) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_admin(p_clinic_id);
  if p_cap is not null and (p_cap < 1 or p_cap > 500) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'remote joins per day: 1 to 500, or none');
  end if;
  update public.clinics set remote_join_cap = p_cap where id = p_clinic_id;
  return jsonb_build_object('remote_join_cap', p_cap);
end
$$;
revoke execute on function public.set_remote_join_cap(uuid, integer) from public, anon;
grant execute on function public.set_remote_join_cap(uuid, integer) to authenticated, service_role;
