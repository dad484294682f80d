-- Session 17 (kiosk17), attack review: the waiting-room kiosk could be abused.
--   (a) the kiosk tablet held a full receptionist session (and its refresh token): whoever picked it up, or read
--       its localStorage, had a receptionist's powers;
--   (b) kiosk_check_in (latest body: 20261201001001_entry_columns.sql) accepted any `X-<n>` ticket or the last 9
--       phone digits alone: a passer-by checked in every scheduled patient by typing A-1, A-2, … A-N.
--
-- Rules now (docs/security.md, "The waiting-room kiosk"):
--   * kioskPairing: the kiosk runs on a kiosk device token, not on a staff session. An owner, admin or receptionist
--     of the clinic pairs a tablet (pair_kiosk): a random token (private.new_token, 244 bits) shown once, stored
--     only as its sha-256 hash in public.kiosk_devices, scoped to one clinic. The token is not a JWT: the tablet
--     calls the API as anon, and the token opens exactly the kiosk's RPCs (get_kiosk, kiosk_check_in) of its own
--     clinic and nothing else. revoke_kiosk (same roles) stops it at once: the next call answers 401
--     KIOSK.NOT_PAIRED.
--   * kioskNeedsTicketAndPhoneDigits: a check-in needs the visit's ticket code (A-014, A-14 or 14 — the clinic's
--     prefix or none) AND the last 4 digits of the patient's phone on file. The phone alone is not enough, a
--     ticket alone is not enough; a visit whose patient has no phone is checked in at the desk. Unknown ticket,
--     wrong digits, or a visit of another day/status answer the same {found:false}: the answer never tells
--     whether a ticket exists.
--   * kioskAttemptLimit: every wrong answer is recorded (private.kiosk_attempts, database clock) per clinic, kiosk
--     and ticket number. The 5th wrong answer for one ticket within 10 minutes locks that ticket for 10 minutes; the
--     20th wrong answer at one clinic within 10 minutes locks the clinic's kiosk check-in for 10 minutes. While
--     locked, kiosk_check_in answers 429 KIOSK.TOO_MANY_ATTEMPTS before looking at the visit (even for the right
--     digits: the screen sends the patient to the desk). A wrong answer is a value, not an error, so its record is
--     committed with the call. The kiosk's row is locked for the call, so one kiosk's parallel guesses are counted
--     one after the other.

create table public.kiosk_devices (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  label text not null check (char_length(btrim(label)) between 1 and 80 and label !~ '[[:cntrl:]]'),
  token_hash bytea not null unique,
  paired_by uuid references auth.users (id) on delete set null,
  paired_at timestamptz not null default private.now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid references auth.users (id) on delete set null
);
create index kiosk_devices_clinic_idx on public.kiosk_devices (clinic_id);
comment on table public.kiosk_devices is
  'Paired waiting-room kiosks (kiosk17): a clinic-scoped device token, stored hashed, revocable; it opens only the kiosk RPCs.';

alter table public.kiosk_devices enable row level security;
-- the clinic's staff see their kiosks (never the token: only its hash is stored, and that column is not granted)
create policy kiosk_devices_staff_select on public.kiosk_devices for select to authenticated
  using (private.is_clinic_staff(clinic_id));
revoke all on public.kiosk_devices from public, anon, authenticated;
grant select (id, clinic_id, label, paired_at, last_used_at, revoked_at) on public.kiosk_devices to authenticated;
grant all on public.kiosk_devices to service_role;

create table private.kiosk_attempts (
  id bigint generated always as identity primary key,
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  device_id uuid not null references public.kiosk_devices (id) on delete cascade,
  -- the ticket number typed (never the digits typed)
  ticket_number integer not null,
  at timestamptz not null default private.now()
);
create index kiosk_attempts_clinic_idx on private.kiosk_attempts (clinic_id, at);
create index kiosk_attempts_ticket_idx on private.kiosk_attempts (clinic_id, ticket_number, at);
comment on table private.kiosk_attempts is 'Wrong kiosk check-in answers (kiosk17 attempt limit), kept one day.';
revoke all on private.kiosk_attempts from public, anon, authenticated;

create table private.kiosk_locks (
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  -- null: the whole clinic's kiosk check-in
  ticket_number integer,
  locked_until timestamptz not null
);
create unique index kiosk_locks_key on private.kiosk_locks (clinic_id, coalesce(ticket_number, -1));
comment on table private.kiosk_locks is 'Kiosk check-in locks (kiosk17): one ticket, or the whole clinic, until locked_until.';
revoke all on private.kiosk_locks from public, anon, authenticated;

create function private.kiosk_attempt_window() returns interval
language sql immutable set search_path = '' as $$ select interval '10 minutes' $$;
create function private.kiosk_lock_duration() returns interval
language sql immutable set search_path = '' as $$ select interval '10 minutes' $$;
create function private.kiosk_ticket_failures() returns integer
language sql immutable set search_path = '' as $$ select 5 $$;
create function private.kiosk_clinic_failures() returns integer
language sql immutable set search_path = '' as $$ select 20 $$;

-- The kiosk a token belongs to, locked for the call; 401 KIOSK.NOT_PAIRED for an unknown, revoked or malformed one.
create function private.kiosk_device(p_kiosk_token text) returns public.kiosk_devices
language plpgsql
set search_path = ''
as $$
declare
  d public.kiosk_devices;
begin
  if p_kiosk_token is null or char_length(p_kiosk_token) not between 32 and 200 then
    perform private.raise_error(401, 'KIOSK.NOT_PAIRED', 'this tablet is not paired as a kiosk');
  end if;
  select * into d from public.kiosk_devices
   where token_hash = private.hash_token(p_kiosk_token) and revoked_at is null
   for update;
  if not found then
    perform private.raise_error(401, 'KIOSK.NOT_PAIRED', 'this tablet is not paired as a kiosk');
  end if;
  return d;
end
$$;

-- ── Pairing (staff) ────────────────────────────────────────────────────────────────────────────────
create function public.pair_kiosk(p_clinic_id uuid, p_label text default null) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_label text := btrim(coalesce(p_label, ''));
  v_token text := private.new_token();
  v_id uuid;
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
  if (select count(*) from public.kiosk_devices where clinic_id = p_clinic_id and revoked_at is null) >= 20 then
    perform private.raise_error(429, 'RATE.LIMITED', 'a clinic pairs at most 20 kiosks; revoke one first');
  end if;
  insert into public.kiosk_devices (clinic_id, label, token_hash, paired_by)
  values (p_clinic_id, v_label, private.hash_token(v_token), auth.uid())
  returning id into v_id;
  return jsonb_build_object('id', v_id, 'label', v_label, 'token', v_token);
end
$$;

create function public.revoke_kiosk(p_device_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  d public.kiosk_devices;
begin
  perform private.require_uid();
  select * into d from public.kiosk_devices where id = p_device_id for update;
  if not found
     or not private.is_clinic_member(d.clinic_id, array['owner', 'admin', 'receptionist']::public.member_role[]) then
    perform private.raise_error(404, 'NOT_FOUND', 'kiosk not found');
  end if;
  if d.revoked_at is null then
    update public.kiosk_devices set revoked_at = private.now(), revoked_by = auth.uid() where id = d.id;
  end if;
  return jsonb_build_object('id', d.id, 'revoked', true);
end
$$;

-- ── The kiosk's own calls (the device token; any API role) ──────────────────────────────────────────
create function public.get_kiosk(p_kiosk_token text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  d public.kiosk_devices := private.kiosk_device(p_kiosk_token);
  c public.clinics;
begin
  select * into c from public.clinics where id = d.clinic_id;
  return jsonb_build_object('id', d.id, 'label', d.label, 'clinic_id', c.id, 'clinic_name', c.name,
                            'default_language', c.default_language, 'ticket_prefix', c.ticket_prefix);
end
$$;

-- check_in's rules (20261213900002_fluid_self_check_in_window.sql) for a visit the kiosk identified, by 'kiosk';
-- the queue row is locked first, as everywhere (queue before entry).
create function private.kiosk_check_in_entry(p_entry_id uuid) returns public.queue_entries
language plpgsql
set search_path = ''
as $$
declare
  e public.queue_entries;
  v_clinic public.clinics;
  v_day date;
  v_key numeric;
  v_window integer;
begin
  select q.day into v_day from public.queues q
   where q.id = (select o.queue_id from public.queue_entries o where o.id = p_entry_id) for update;
  select * into e from public.queue_entries where id = p_entry_id for update;
  select * into v_clinic from public.clinics where id = e.clinic_id;
  if v_day <> private.clinic_today(v_clinic.time_zone) then
    perform private.raise_error(409, 'QUEUE.NOT_TODAY', 'check-in opens on the day of the visit');
  end if;
  if e.status <> 'scheduled' then
    return e;
  end if;
  v_window := (private.effective_settings(v_clinic.settings) ->> 'check_in_window_minutes')::integer;
  if e.slot_start is not null and e.slot_start > private.now() + make_interval(mins => v_window) then
    perform private.raise_error(409, 'QUEUE.CHECK_IN_TOO_EARLY',
      jsonb_build_object(
        'opens_at', to_char((e.slot_start - make_interval(mins => v_window)) at time zone 'UTC',
                            'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'window_minutes', v_window,
        'slot_start', to_char(e.slot_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text);
  end if;
  v_key := case
    when e.slot_start is not null and private.now() <= e.slot_start + make_interval(
           mins => (private.effective_settings(v_clinic.settings) ->> 'on_time_tolerance_minutes')::integer)
      then extract(epoch from e.slot_start)::numeric
    else extract(epoch from private.now())::numeric end;
  update public.queue_entries set status = 'waiting', checked_in_at = private.now(), order_key = v_key
   where id = e.id
  returning * into e;
  perform private.log_event(e.queue_id, e.clinic_id, e.id, 'PatientCheckedIn', jsonb_build_object('by', 'kiosk'));
  perform private.bump_version(e.queue_id);
  return e;
end
$$;

drop function public.kiosk_check_in(uuid, text);

create function public.kiosk_check_in(p_kiosk_token text, p_ticket text, p_phone_last4 text) returns jsonb
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
    'position', v_position);
end
$$;

revoke all on function private.kiosk_attempt_window(), private.kiosk_lock_duration(), private.kiosk_ticket_failures(),
  private.kiosk_clinic_failures(), private.kiosk_device(text), private.kiosk_check_in_entry(uuid) from public;
revoke execute on function public.pair_kiosk(uuid, text), public.revoke_kiosk(uuid), public.get_kiosk(text),
  public.kiosk_check_in(text, text, text) from public, anon, authenticated;
grant execute on function public.pair_kiosk(uuid, text), public.revoke_kiosk(uuid) to authenticated, service_role;
-- the kiosk calls as anon with its device token (a signed-in browser may be the same tablet before pairing)
grant execute on function public.get_kiosk(text), public.kiosk_check_in(text, text, text)
  to anon, authenticated, service_role;
