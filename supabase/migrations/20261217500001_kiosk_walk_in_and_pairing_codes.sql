-- Session 18 (kiosk17f), issue 17 "kiosk mode", continued from kiosk17 (20261216200001_kiosk_devices.sql):
-- walk-in self-registration at the kiosk, and pairing a tablet by a short code. Rules in docs/domain-rules.md
-- ("The waiting-room kiosk") and docs/security.md ("The waiting-room kiosk").
--
-- 1. ONE helper admits a walk-in into a locked day queue: private.admit_walk_in (one visit a day V1–V3, the ticket,
--    the tracking link, the WalkInAdded event, the version bump). Its callers are the patient's remote join
--    (public.join_queue_remotely, body from 20261216700001_sms_approval_names_confirmed_phone.sql, its newest:
--    everything before the insert unchanged, the insert now the helper's) and the kiosk's walk-in
--    (public.kiosk_register_walk_in). The rules the desk's walk-in meets in the database (save_queue_step's
--    insert) are triggers on public.queue_entries and hold for all three: intake closed (QUEUE.INTAKE_CLOSED,
--    queue_entries_pause_guard) and the clinic's max_walk_ins_per_day (QUEUE.WALK_IN_LIMIT_REACHED,
--    queue_entries_walk_in_limit).
--    kioskWalkIn: kiosk_register_walk_in(token, name, phone, language?) — the kiosk's device token (anon), a name
--    (the desk's name rules: private.find_or_create_patient) and a phone (E.164, required: the kiosk's check-in and
--    the "your turn" SMS need it, and the desk's caller record is found by phone AND name). Refused, before
--    anything is written: a closed date (422 BOOKING.CLINIC_CLOSED), outside today's opening hours
--    (409 KIOSK.OUTSIDE_HOURS), a closed day (409 QUEUE.CLOSED), intake closed (409 QUEUE.INTAKE_CLOSED); then
--    the day's walk-in cap (trigger) and one visit a day (QUEUE.DUPLICATE_ENTRY / BOOKING.NO_SHOW_TODAY). Patient
--    record, entry, event and bump are one transaction: a refusal leaves no patient record behind.
--    kioskWalkInLimit: one kiosk registers at most 10 walk-ins in 10 minutes (private.kiosk_walk_ins, database
--    clock); the 11th answers 429 RATE.LIMITED (the screen sends the patient to the desk). Someone pressing the
--    button 200 times makes at most 10 visits, each one needing a name and a phone, and the desk sees them all.
--    The answer is what the ticket prints: ticket, position, the clinic's local time of issue (the server's clock
--    and zone) and the visit's tracking link token.
-- 2. kioskPairingCode: an owner, admin or receptionist asks for a pairing code (create_kiosk_pairing_code): 8
--    characters from a 32-letter alphabet without look-alikes (40 bits), valid 10 minutes, single use, at most 5
--    live codes per clinic (429 RATE.LIMITED), stored only as its sha-256 hash. The tablet (anon) exchanges it
--    once for a kiosk device token (redeem_kiosk_pairing_code): a kiosk_devices row as pair_kiosk makes, paired_by
--    the code's creator, the 20-kiosk cap. An unknown, expired or used code answers {paired:false} (a value, so the
--    failure is recorded with the call) in private.kiosk_pairing_failures; 100 wrong codes in 10 minutes, across
--    all clinics (the caller is anonymous), refuse every exchange with 429 KIOSK.TOO_MANY_ATTEMPTS until they age
--    out — at that rate a guess hits one of 5 live codes with probability 5 / 2^40 each. Staff can still pair by
--    signing in on the tablet (pair_kiosk) while exchanges are locked.
-- kiosk_devices is unchanged (board18 may add a column to it); new tables only.

-- ── 1. The walk-in helper ───────────────────────────────────────────────────────────────────────────
-- p_queue: the day's queue, locked by the caller (private.lock_queue), its next_ticket already raised past the
-- day's tickets. → { entry_id, queue_id, day, ticket_number, ticket, tracking_token, position, queue_version }
create function private.admit_walk_in(
  p_clinic public.clinics, p_queue public.queues, p_patient_id uuid,
  p_joined_remotely boolean, p_arrive_by timestamptz)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_entry_id uuid := gen_random_uuid();
  v_token text;
  v_position integer;
  v_ticket text := private.ticket_label(p_clinic.ticket_prefix, p_queue.next_ticket);
begin
  perform private.check_same_day_visit(p_queue.id, p_patient_id);
  v_token := private.entry_link_token(v_entry_id);
  insert into public.queue_entries (
    id, queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key, tracking_token_hash,
    created_by, joined_remotely, arrive_by)
  values (
    v_entry_id, p_queue.id, p_clinic.id, p_patient_id, 'walk_in', 'waiting', p_queue.next_ticket,
    extract(epoch from private.now())::numeric, private.hash_token(v_token), auth.uid(), p_joined_remotely,
    p_arrive_by);
  update public.queues set next_ticket = p_queue.next_ticket + 1 where id = p_queue.id;
  select count(*)::integer into v_position from public.queue_entries e
   where e.queue_id = p_queue.id and e.status = 'waiting';
  perform private.log_event(p_queue.id, p_clinic.id, v_entry_id, 'WalkInAdded',
    jsonb_build_object('ticket', v_ticket, 'priority', 'normal', 'practitionerId', null, 'position', v_position));
  return jsonb_build_object(
    'entry_id', v_entry_id,
    'queue_id', p_queue.id,
    'day', p_queue.day,
    'ticket_number', p_queue.next_ticket,
    'ticket', v_ticket,
    'tracking_token', v_token,
    'position', v_position,
    'queue_version', private.bump_version(p_queue.id));
end
$$;
comment on function private.admit_walk_in(public.clinics, public.queues, uuid, boolean, timestamptz) is
  'A walk-in into a locked day queue (remote join, kiosk): one visit a day, ticket, link, WalkInAdded, bump.';
revoke all on function private.admit_walk_in(public.clinics, public.queues, uuid, boolean, timestamptz)
  from public, anon, authenticated;

-- join_queue_remotely: 20261216700001's body; the insert, ticket, event and bump are the helper's now.
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
  s record;
  v_arrive_by timestamptz;
  r jsonb;
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
  perform private.require_confirmed_phone(); -- abuse17: before anything is written
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
  v_arrive_by := private.now() + make_interval(mins => v_clinic.remote_arrival_minutes);
  r := private.admit_walk_in(v_clinic, v_queue, v_patient_id, true, v_arrive_by);
  return jsonb_build_object(
    'entry_id', r -> 'entry_id',
    'queue_id', r -> 'queue_id',
    'clinic_id', p_clinic_id,
    'day', r -> 'day',
    'ticket_number', r -> 'ticket_number',
    'ticket', r -> 'ticket',
    'status', 'waiting',
    'tracking_token', r -> 'tracking_token',
    'arrive_by', v_arrive_by,
    'queue_version', r -> 'queue_version');
end
$$;

-- ── The kiosk's walk-in ────────────────────────────────────────────────────────────────────────────
create table private.kiosk_walk_ins (
  id bigint generated always as identity primary key,
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  device_id uuid not null references public.kiosk_devices (id) on delete cascade,
  entry_id uuid references public.queue_entries (id) on delete set null,
  at timestamptz not null default private.now()
);
create index kiosk_walk_ins_device_idx on private.kiosk_walk_ins (device_id, at);
comment on table private.kiosk_walk_ins is
  'Walk-ins registered at a kiosk (kiosk17f): which kiosk, when — its rate limit (10 in 10 minutes), kept one day.';
revoke all on private.kiosk_walk_ins from public, anon, authenticated;

create function private.kiosk_walk_in_window() returns interval
language sql immutable set search_path = '' as $$ select interval '10 minutes' $$;
create function private.kiosk_walk_in_max() returns integer
language sql immutable set search_path = '' as $$ select 10 $$;

-- kiosk_register_walk_in(token, name, phone, language?) → { found: true, entry_id, ticket, position, status,
--   issued_at (the clinic's local 'YYYY-MM-DD HH24:MI' by the server's clock), tracking_token, clinic_name }
create function public.kiosk_register_walk_in(
  p_kiosk_token text, p_full_name text, p_phone text, p_language public.app_language default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  -- the kiosk's row is locked for the call: one kiosk's registrations are counted one after the other
  d public.kiosk_devices := private.kiosk_device(p_kiosk_token);
  v_clinic public.clinics;
  v_now timestamptz := private.now();
  v_day date;
  v_queue public.queues;
  v_patient_id uuid;
  r jsonb;
begin
  select * into v_clinic from public.clinics where id = d.clinic_id;
  v_day := private.clinic_today(v_clinic.time_zone);
  if p_full_name is null or p_phone is null or char_length(p_full_name) > 400 or char_length(p_phone) > 40 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a name and a phone number are required');
  end if;
  if (select count(*) from private.kiosk_walk_ins w
       where w.device_id = d.id and w.at > v_now - private.kiosk_walk_in_window()) >= private.kiosk_walk_in_max() then
    perform private.raise_error(429, 'RATE.LIMITED', 'this kiosk registered many walk-ins just now: please ask at the desk');
  end if;
  if exists (select 1 from public.closed_dates c where c.clinic_id = v_clinic.id and c.day = v_day) then
    perform private.raise_error(422, 'BOOKING.CLINIC_CLOSED', 'the clinic is closed today');
  end if;
  if not private.clinic_open_now(v_clinic) then
    perform private.raise_error(409, 'KIOSK.OUTSIDE_HOURS', 'the kiosk registers walk-ins during opening hours');
  end if;
  -- the desk's switches, read first so that a refusal writes nothing (judged again under the lock below)
  select * into v_queue from public.queues where clinic_id = v_clinic.id and day = v_day;
  if v_queue.status = 'closed' then
    perform private.raise_error(409, 'QUEUE.CLOSED', 'the day is closed');
  end if;
  if v_queue.intake_closed_at is not null then
    perform private.raise_error(409, 'QUEUE.INTAKE_CLOSED', 'the queue takes no new patients today');
  end if;
  -- the desk's find-or-create of a caller (name rules, E.164 phone: 422 VALIDATION.FAILED / PHONE.INVALID), before
  -- the queue's lock as at the desk (staff_desk_book: patient record, then queue), so the two never wait on each other
  v_patient_id := (private.find_or_create_patient(v_clinic.id, null, p_full_name, btrim(p_phone),
                                                   coalesce(p_language, v_clinic.default_language)) ->> 'patient_id')::uuid;
  -- the day's queue, locked: ticket, one visit a day and the walk-in cap are judged one walk-in at a time
  v_queue := private.lock_queue(v_clinic.id, v_day);
  if v_queue.status = 'closed' then
    perform private.raise_error(409, 'QUEUE.CLOSED', 'the day is closed');
  end if;
  if v_queue.intake_closed_at is not null then
    perform private.raise_error(409, 'QUEUE.INTAKE_CLOSED', 'the queue takes no new patients today');
  end if;
  v_queue.next_ticket := greatest(v_queue.next_ticket,
    coalesce((select max(x.ticket_number) + 1 from public.queue_entries x where x.queue_id = v_queue.id), 1));
  r := private.admit_walk_in(v_clinic, v_queue, v_patient_id, false, null);
  delete from private.kiosk_walk_ins w where w.device_id = d.id and w.at < v_now - interval '1 day';
  insert into private.kiosk_walk_ins (clinic_id, device_id, entry_id, at)
  values (d.clinic_id, d.id, (r ->> 'entry_id')::uuid, v_now);
  update public.kiosk_devices set last_used_at = v_now where id = d.id;
  return jsonb_build_object(
    'found', true,
    'entry_id', r -> 'entry_id',
    'ticket', r -> 'ticket',
    'status', 'waiting',
    'position', r -> 'position',
    'issued_at', to_char(v_now at time zone v_clinic.time_zone, 'YYYY-MM-DD HH24:MI'),
    'tracking_token', r -> 'tracking_token',
    'clinic_name', v_clinic.name);
end
$$;

-- ── 2. Pairing by a short code ─────────────────────────────────────────────────────────────────────
create table private.kiosk_pairing_codes (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  label text not null,
  code_hash bytea not null unique,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default private.now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  device_id uuid references public.kiosk_devices (id) on delete set null
);
create index kiosk_pairing_codes_clinic_idx on private.kiosk_pairing_codes (clinic_id, expires_at);
comment on table private.kiosk_pairing_codes is
  'Short-lived single-use kiosk pairing codes (kiosk17f), hashed; exchanged once by the tablet for a device token.';
revoke all on private.kiosk_pairing_codes from public, anon, authenticated;

create table private.kiosk_pairing_failures (
  id bigint generated always as identity primary key,
  at timestamptz not null default private.now()
);
create index kiosk_pairing_failures_at_idx on private.kiosk_pairing_failures (at);
comment on table private.kiosk_pairing_failures is 'Wrong kiosk pairing codes typed (kiosk17f), kept one day.';
revoke all on private.kiosk_pairing_failures from public, anon, authenticated;

create function private.kiosk_pairing_code_ttl() returns interval
language sql immutable set search_path = '' as $$ select interval '10 minutes' $$;
create function private.kiosk_pairing_failures_max() returns integer
language sql immutable set search_path = '' as $$ select 100 $$;

-- A code as typed → its canonical form (upper case, separators and spaces dropped); null when it cannot be one.
create function private.kiosk_pairing_code_norm(p_code text) returns text
language sql immutable set search_path = ''
as $$
  select case when v ~ '^[A-HJ-NP-Z2-9]{8}$' then v end
    from (select upper(regexp_replace(coalesce(left(p_code, 40), ''), '[\s\-]', '', 'g')) as v) x
$$;

-- create_kiosk_pairing_code(p_clinic_id, p_label?) → { code ('ABCD-EFGH'), label, expires_at }
create function public.create_kiosk_pairing_code(p_clinic_id uuid, p_label text default null) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_alphabet constant text := 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; -- 32: no I, O, 0, 1
  v_label text := btrim(coalesce(p_label, ''));
  v_code text := '';
  v_expires timestamptz := private.now() + private.kiosk_pairing_code_ttl();
begin
  perform private.require_uid();
  if p_clinic_id is null
     or not private.is_clinic_member(p_clinic_id, array['owner', 'admin', 'receptionist']::public.member_role[]) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only the clinic''s owner, admin or receptionist pairs a kiosk');
  end if;
  if v_label = '' then
    v_label := 'Kiosk';
  end if;
  if char_length(v_label) > 80 or v_label ~ '[[:cntrl:]]' then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a kiosk name is 1-80 characters');
  end if;
  -- the clinic's codes are made one at a time (the live-code cap holds under concurrency)
  perform pg_advisory_xact_lock(hashtextextended('kiosk_pairing_code:' || p_clinic_id::text, 0));
  if (select count(*) from private.kiosk_pairing_codes c
       where c.clinic_id = p_clinic_id and c.used_at is null and c.expires_at > private.now()) >= 5 then
    perform private.raise_error(429, 'RATE.LIMITED', 'at most 5 pairing codes at a time; use or let one expire');
  end if;
  -- 8 characters, each from the first (fully random) byte of a fresh v4 uuid: 5 bits each, no modulo bias
  for i in 1..8 loop
    v_code := v_code || substr(v_alphabet, (get_byte(uuid_send(gen_random_uuid()), 0) & 31) + 1, 1);
  end loop;
  delete from private.kiosk_pairing_codes c where c.clinic_id = p_clinic_id and c.expires_at < private.now() - interval '1 day';
  insert into private.kiosk_pairing_codes (clinic_id, label, code_hash, created_by, expires_at)
  values (p_clinic_id, v_label, private.hash_token(v_code), auth.uid(), v_expires);
  return jsonb_build_object('code', left(v_code, 4) || '-' || right(v_code, 4), 'label', v_label,
                            'expires_at', v_expires);
end
$$;

-- redeem_kiosk_pairing_code(p_code) → { paired: true, id, label, token } | { paired: false }
create function public.redeem_kiosk_pairing_code(p_code text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_code text := private.kiosk_pairing_code_norm(p_code);
  v_now timestamptz := private.now();
  c private.kiosk_pairing_codes;
  v_token text := private.new_token();
  v_id uuid;
begin
  if v_code is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a pairing code is 8 letters and digits');
  end if;
  -- exchanges are counted one after the other, so the failure cap is exact
  perform pg_advisory_xact_lock(hashtextextended('kiosk_pairing_redeem', 0));
  if (select count(*) from private.kiosk_pairing_failures f
       where f.at > v_now - private.kiosk_attempt_window()) >= private.kiosk_pairing_failures_max() then
    perform private.raise_error(429, 'KIOSK.TOO_MANY_ATTEMPTS', 'too many wrong pairing codes: try again later');
  end if;
  select * into c from private.kiosk_pairing_codes k
   where k.code_hash = private.hash_token(v_code) and k.used_at is null and k.expires_at > v_now
   for update;
  if not found then
    delete from private.kiosk_pairing_failures f where f.at < v_now - interval '1 day';
    insert into private.kiosk_pairing_failures (at) values (v_now);
    return jsonb_build_object('paired', false);
  end if;
  -- board18 (20261217100001) keeps board screens in the same table: only kiosks count toward the kiosks' 20
  if (select count(*) from public.kiosk_devices k
       where k.clinic_id = c.clinic_id and k.kind = 'kiosk' and k.revoked_at is null) >= 20 then
    perform private.raise_error(429, 'RATE.LIMITED', 'a clinic pairs at most 20 kiosks; revoke one first');
  end if;
  insert into public.kiosk_devices (clinic_id, kind, label, token_hash, paired_by)
  values (c.clinic_id, 'kiosk', c.label, private.hash_token(v_token), c.created_by)
  returning id into v_id;
  update private.kiosk_pairing_codes set used_at = v_now, device_id = v_id where id = c.id;
  return jsonb_build_object('paired', true, 'id', v_id, 'label', c.label, 'token', v_token);
end
$$;

revoke all on function private.kiosk_walk_in_window(), private.kiosk_walk_in_max(), private.kiosk_pairing_code_ttl(),
  private.kiosk_pairing_failures_max(), private.kiosk_pairing_code_norm(text) from public;
revoke execute on function public.kiosk_register_walk_in(text, text, text, public.app_language),
  public.create_kiosk_pairing_code(uuid, text), public.redeem_kiosk_pairing_code(text) from public, anon, authenticated;
grant execute on function public.create_kiosk_pairing_code(uuid, text) to authenticated, service_role;
-- the tablet calls as anon: with its device token (walk-in), or with the code before it has one
grant execute on function public.kiosk_register_walk_in(text, text, text, public.app_language),
  public.redeem_kiosk_pairing_code(text) to anon, authenticated, service_role;

-- ── 3. The check-in's answer carries what its ticket prints ─────────────────────────────────────────
-- public.kiosk_check_in: body from 20261216200001_kiosk_devices.sql (its only definition; mend17 changed the helper
-- it calls, private.kiosk_check_in_entry, not this function). Only the answer of a found visit grows: issued_at and
-- clinic_name. Rules, errors, attempt limits and grants unchanged.
create or replace function public.kiosk_check_in(p_kiosk_token text, p_ticket text, p_phone_last4 text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  d public.kiosk_devices := private.kiosk_device(p_kiosk_token);
  v_clinic public.clinics;
  v_code text := upper(regexp_replace(coalesce(p_ticket, ''), '\s', '', 'g'));
  v_parts text[];
  v_number integer;
  v_queue public.queues;
  e public.queue_entries;
  v_phone text;
  v_now timestamptz := private.now();
  v_position integer;
begin
  select * into v_clinic from public.clinics where id = d.clinic_id;
  v_parts := regexp_match(v_code, '^(?:([A-Z]{1,3})-?)?0*([0-9]{1,6})$');
  if v_parts is null or (v_parts[1] is not null and v_parts[1] <> v_clinic.ticket_prefix)
     or p_phone_last4 is null or p_phone_last4 !~ '^[0-9]{4}$' then
    perform private.raise_error(422, 'VALIDATION.FAILED',
      'a ticket code (e.g. A-014) and the last 4 digits of the phone number are required');
  end if;
  v_number := v_parts[2]::integer;

  -- locked: the clinic's kiosk, or this ticket
  if exists (select 1 from private.kiosk_locks l
              where l.clinic_id = d.clinic_id and l.locked_until > v_now
                and (l.ticket_number is null or l.ticket_number = v_number)) then
    perform private.raise_error(429, 'KIOSK.TOO_MANY_ATTEMPTS', 'too many wrong answers: please ask at the desk');
  end if;
  update public.kiosk_devices set last_used_at = v_now where id = d.id;

  select * into v_queue from public.queues
   where clinic_id = d.clinic_id and day = private.clinic_today(v_clinic.time_zone);
  if found then
    select o.* into e from public.queue_entries o
     where o.queue_id = v_queue.id and o.ticket_number = v_number
       and o.status in ('scheduled', 'waiting', 'called');
    if e.id is not null then
      select p.phone into v_phone from public.patients p where p.id = e.patient_id;
    end if;
  end if;

  if e.id is null or v_phone is null
     or right(regexp_replace(v_phone, '[^0-9]', '', 'g'), 4) <> p_phone_last4 then
    -- a wrong answer: recorded, then the same answer as for an unknown ticket
    delete from private.kiosk_attempts where clinic_id = d.clinic_id and at < v_now - interval '1 day';
    -- secmisc18 (20261217300004): an ended lock decides nothing; the clinic's are dropped with its old attempts
    delete from private.kiosk_locks l where l.clinic_id = d.clinic_id and l.locked_until <= v_now;
    insert into private.kiosk_attempts (clinic_id, device_id, ticket_number, at)
    values (d.clinic_id, d.id, v_number, v_now);
    if (select count(*) from private.kiosk_attempts a
         where a.clinic_id = d.clinic_id and a.ticket_number = v_number
           and a.at > v_now - private.kiosk_attempt_window()) >= private.kiosk_ticket_failures() then
      delete from private.kiosk_locks l where l.clinic_id = d.clinic_id and l.ticket_number = v_number;
      insert into private.kiosk_locks (clinic_id, ticket_number, locked_until)
      values (d.clinic_id, v_number, v_now + private.kiosk_lock_duration());
    end if;
    if (select count(*) from private.kiosk_attempts a
         where a.clinic_id = d.clinic_id
           and a.at > v_now - private.kiosk_attempt_window()) >= private.kiosk_clinic_failures() then
      delete from private.kiosk_locks l where l.clinic_id = d.clinic_id and l.ticket_number is null;
      insert into private.kiosk_locks (clinic_id, ticket_number, locked_until)
      values (d.clinic_id, null, v_now + private.kiosk_lock_duration());
    end if;
    return jsonb_build_object('found', false);
  end if;

  e := private.kiosk_check_in_entry(e.id);

  if e.status = 'waiting' then
    with line as (
      select o.id, o.ticket_number,
             array_position(array['emergency', 'urgent', 'normal'], o.priority::text) as rank_priority,
             o.order_key * 1000 as key_ms,
             o.order_tiebreak as tiebreak
        from public.queue_entries o
       where o.queue_id = e.queue_id and o.status = 'waiting'
         and o.practitioner_id is not distinct from e.practitioner_id)
    select 1 + count(*) into v_position
      from line o, line me
     where me.id = e.id and o.id <> e.id
       and (o.rank_priority, o.key_ms, o.tiebreak, o.ticket_number, o.id)
         < (me.rank_priority, me.key_ms, me.tiebreak, me.ticket_number, me.id);
  end if;
  return jsonb_build_object(
    'found', true,
    'entry_id', e.id,
    'ticket', private.ticket_label(v_clinic.ticket_prefix, e.ticket_number),
    'status', e.status,
    'position', v_position,
    -- kiosk17f: what the printed ticket shows besides — the clinic's name and its local time, by the server's clock
    'issued_at', to_char(v_now at time zone v_clinic.time_zone, 'YYYY-MM-DD HH24:MI'),
    'clinic_name', v_clinic.name);
end
$$;
