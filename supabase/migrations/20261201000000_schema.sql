-- QueueMed baseline (1/8): the schema — clinics (tenants), staff, patients, booking rules, the daily queue
-- with its event log (audit trail + notification outbox) and applied command ids, invitations, templates,
-- notifications and SMS budgets, plus the private helpers that CHECK constraints and triggers need.
--
-- The baseline (20261201000000_* … 20261201000700_*) folds the 24 migrations of 2026-11-24 … 2026-11-30
-- into one definition of every object: each function appears exactly once, in its final form. It builds
-- the same catalogue as the old chain (proof: scripts/schema-fingerprint.mjs, supabase/tests/baseline.test.ts).
-- From here on migrations are append-only: a change is a NEW file that sorts after these, never an edit.
--
-- Applies on Supabase as-is (auth.users, roles and the supabase_realtime publication exist there; off
-- Supabase the platform shim creates them first). Only core PostgreSQL functions are used (sha256,
-- gen_random_uuid), so no extension is required.

create schema if not exists private;
comment on schema private is 'QueueMed internals (RLS helpers, validation); not exposed through the API.';
revoke all on schema private from public;
grant usage on schema private to anon, authenticated, service_role;

-- ── Enums ──────────────────────────────────────────────────────────────────────────────────────────
create type public.member_role as enum ('owner', 'admin', 'practitioner', 'receptionist');
create type public.app_language as enum ('ar', 'fr', 'en');
create type public.entry_status as enum (
  'scheduled', 'waiting', 'called', 'in_service', 'completed', 'absent', 'no_show', 'cancelled');
create type public.entry_priority as enum ('normal', 'urgent', 'emergency');
create type public.entry_kind as enum ('booked', 'walk_in');
create type public.queue_status as enum ('open', 'closed');
create type public.notification_kind as enum (
  'booking_confirmed', 'almost_turn', 'your_turn', 'still_next', 'marked_absent', 'returned',
  'cancelled', 'no_show', 'staff_invitation');
create type public.notification_channel as enum ('sms', 'email');
create type public.notification_status as enum (
  'queued', 'sent', 'delivered', 'failed', 'simulated', 'skipped_budget');

-- ── Error convention ───────────────────────────────────────────────────────────────────────────────
-- Every coded failure is RAISE EXCEPTION with SQLSTATE 'PT' || <HTTP status> (PostgREST maps PTxyz to
-- status xyz), MESSAGE = the app error code of src/services/shared/AppError.ts, DETAIL = English detail.
create function private.raise_error(p_status integer, p_code text, p_detail text default null)
returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception using
    errcode = 'PT' || p_status::text,
    message = p_code,
    detail = coalesce(p_detail, p_code);
end
$$;

-- ── Validation helpers (immutable, usable in CHECK constraints) ────────────────────────────────────
create function private.is_e164(p_phone text) returns boolean
language sql immutable
set search_path = ''
as $$ select p_phone ~ '^\+[1-9][0-9]{6,14}$' $$;

create function private.json_int_between(v jsonb, lo numeric, hi numeric) returns boolean
language sql immutable
set search_path = ''
as $$
  select v is null
      or (jsonb_typeof(v) = 'number' and (v #>> '{}')::numeric = trunc((v #>> '{}')::numeric)
          and (v #>> '{}')::numeric between lo and hi)
$$;

create function private.json_is_bool(v jsonb) returns boolean
language sql immutable
set search_path = ''
as $$ select v is null or jsonb_typeof(v) = 'boolean' $$;

-- The settings of src/services/clinic/models/ClinicSettings.ts: same snake_case keys and defaults
-- (check_in_window_minutes: a check-in is not earlier than this before the slot, issue 11).
create function private.clinic_settings_defaults() returns jsonb
language sql immutable
set search_path = ''
as $$
  select jsonb_build_object(
    'on_time_tolerance_minutes', 10,
    'auto_finish_on_next', true,
    'max_skips', 3,
    'grace_period_minutes', 10,
    'late_return_policy', 'after_next',
    'late_return_offset', 1,
    'notify_at_position', 3,
    'budget_alert_ratio', 0.8,
    'buffer_minutes', 5,
    'slot_capacity', 1,
    'max_walk_ins_per_day', null,
    'booking_horizon_days', 30,
    'min_booking_notice_minutes', 60,
    'min_cancel_notice_minutes', 120,
    'auto_end_day_after_closing_minutes', 120,
    'board_show_names', false,
    'check_in_window_minutes', 60)
$$;

create function private.clinic_settings_valid(s jsonb) returns boolean
language sql immutable
set search_path = ''
as $$
  select jsonb_typeof(s) = 'object'
    and not exists (
      select 1 from jsonb_object_keys(s) k
      where k not in (select jsonb_object_keys(private.clinic_settings_defaults())))
    and private.json_int_between(s -> 'on_time_tolerance_minutes', 0, 240)
    and private.json_is_bool(s -> 'auto_finish_on_next')
    and private.json_int_between(s -> 'max_skips', 1, 20)
    and private.json_int_between(s -> 'grace_period_minutes', 1, 240)
    and (s -> 'late_return_policy' is null
         or (s ->> 'late_return_policy') in ('after_next', 'front', 'end'))
    and private.json_int_between(s -> 'late_return_offset', 0, 50)
    and private.json_int_between(s -> 'notify_at_position', 1, 50)
    and (s -> 'budget_alert_ratio' is null
         or (jsonb_typeof(s -> 'budget_alert_ratio') = 'number'
             and (s ->> 'budget_alert_ratio')::numeric > 0 and (s ->> 'budget_alert_ratio')::numeric <= 1))
    and private.json_int_between(s -> 'buffer_minutes', 0, 240)
    and private.json_int_between(s -> 'slot_capacity', 1, 100)
    and (s -> 'max_walk_ins_per_day' is null or jsonb_typeof(s -> 'max_walk_ins_per_day') = 'null'
         or private.json_int_between(s -> 'max_walk_ins_per_day', 0, 10000))
    and private.json_int_between(s -> 'booking_horizon_days', 1, 365)
    and private.json_int_between(s -> 'min_booking_notice_minutes', 0, 43200)
    and private.json_int_between(s -> 'min_cancel_notice_minutes', 0, 43200)
    and private.json_int_between(s -> 'auto_end_day_after_closing_minutes', 0, 1440)
    and private.json_is_bool(s -> 'board_show_names')
    and private.json_int_between(s -> 'check_in_window_minutes', 0, 1440)
$$;

create function private.effective_settings(s jsonb) returns jsonb
language sql immutable
set search_path = ''
as $$ select private.clinic_settings_defaults() || coalesce(s, '{}'::jsonb) $$;

create function private.template_unknown_variables(p_body text) returns text[]
language sql immutable
set search_path = ''
as $$
  select coalesce(array_agg(distinct m[1] order by m[1]), '{}')
  from regexp_matches(p_body, '\{([^{}]*)\}', 'g') as m
  where m[1] not in ('patient_name', 'clinic_name', 'ticket', 'position', 'eta', 'room',
                     'grace_minutes', 'tracking_url')
$$;

create function private.ticket_label(p_prefix text, p_number integer) returns text
language sql immutable
set search_path = ''
as $$ select p_prefix || '-' || lpad(p_number::text, 3, '0') $$;

create function private.hash_token(p_token text) returns bytea
language sql immutable
set search_path = ''
as $$ select sha256(convert_to(p_token, 'UTF8')) $$;

-- 244 random bits, URL-safe hex (two v4 UUIDs; gen_random_uuid uses a CSPRNG).
create function private.new_token() returns text
language sql volatile
set search_path = ''
as $$ select replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '') $$;

create function private.touch_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

-- ── The database's clock (issue 11) ────────────────────────────────────────────────────────────────
-- The database's clock for the queue's time rules; tests pin it (private.pinned_clock) so db and stack
-- tests pass at any hour. Production: the table is empty and this is now().
create table private.pinned_clock (
  id boolean primary key default true check (id),
  at timestamptz not null
);
-- readable by every role that runs the queue's functions (a timestamp, nothing secret); written by tests only
revoke all on private.pinned_clock from public, anon, authenticated;
grant select on private.pinned_clock to anon, authenticated, service_role;

create function private.now() returns timestamptz
language sql stable
set search_path = ''
as $$ select coalesce((select c.at from private.pinned_clock c), now()) $$;

-- ── Clinics and staff ──────────────────────────────────────────────────────────────────────────────
create table public.clinics (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$'),
  name text not null check (char_length(btrim(name)) between 1 and 200),
  time_zone text not null default 'Africa/Casablanca',
  default_language public.app_language not null default 'fr',
  settings jsonb not null default '{}'::jsonb
    constraint clinics_settings_valid check (private.clinic_settings_valid(settings)),
  ticket_prefix text not null default 'A' check (ticket_prefix ~ '^[A-Z]{1,3}$'),
  phone text check (phone is null or private.is_e164(phone)),
  address text check (address is null or char_length(address) <= 500),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- A clinic's own SMS sender (issue 7, "the clinic's sender"): an E.164 number, an alphanumeric sender id
  -- (1-11 letters/digits/spaces, at least one letter) or a Twilio messaging service (MG…). It must exist on
  -- the Twilio account; Twilio refuses an unknown one (the message is then `failed` with Twilio's reason).
  -- Null → the platform's sender (TWILIO_FROM / TWILIO_MESSAGING_SERVICE_SID). Owners/admins set it like
  -- the other clinic columns; notification_recipient hands it to send-sms.
  sms_sender text
    constraint clinics_sms_sender_valid check (
      sms_sender is null
      or sms_sender ~ '^\+[1-9][0-9]{6,14}$'
      or sms_sender ~ '^MG[0-9a-fA-F]{32}$'
      or (sms_sender ~ '^[A-Za-z0-9 ]{1,11}$' and sms_sender ~ '[A-Za-z]' and btrim(sms_sender) = sms_sender)),
  -- The exact sender value the platform operator approved (approve_sms_sender, service role only: no column
  -- grant). The sender in use is sms_sender when it equals the approved value, else the platform's
  -- (issue 10: anyone can create a clinic and type "CIH BANK").
  sms_sender_approved text
);
comment on table public.clinics is 'A tenant. settings: keys and defaults of ClinicSettings.ts (validated).';
comment on column public.clinics.sms_sender_approved is
  'The sms_sender value the platform operator approved (approve_sms_sender). Until then the platform sender is used.';

-- A time zone cannot be validated in a CHECK (pg_timezone_names is not immutable): trigger.
create function private.clinics_validate() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if not exists (select 1 from pg_catalog.pg_timezone_names where name = new.time_zone) then
    perform private.raise_error(422, 'TIMEZONE.INVALID', 'unknown time zone');
  end if;
  new.updated_at := now();
  return new;
end
$$;
create trigger clinics_validate before insert or update on public.clinics
  for each row execute function private.clinics_validate();

create table public.clinic_members (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role public.member_role not null,
  display_name text not null check (char_length(btrim(display_name)) between 1 and 120),
  room text check (room is null or char_length(room) between 1 and 40),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (clinic_id, user_id),
  unique (id, clinic_id)
);
create index clinic_members_user_idx on public.clinic_members (user_id);
create trigger clinic_members_touch before update on public.clinic_members
  for each row execute function private.touch_updated_at();

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  full_name text check (full_name is null or char_length(full_name) between 1 and 200),
  phone text check (phone is null or private.is_e164(phone)),
  preferred_language public.app_language,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create trigger profiles_touch before update on public.profiles
  for each row execute function private.touch_updated_at();

-- Every new account gets a profile (name and language from the sign-up metadata).
create function private.handle_new_user() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_lang text := new.raw_user_meta_data ->> 'preferred_language';
  v_name text := nullif(btrim(coalesce(new.raw_user_meta_data ->> 'full_name', '')), '');
begin
  insert into public.profiles (id, full_name, phone, preferred_language)
  values (
    new.id,
    left(v_name, 200),
    case when private.is_e164(new.phone) then new.phone
         when private.is_e164('+' || new.phone) then '+' || new.phone end,
    case when v_lang in ('ar', 'fr', 'en') then v_lang::public.app_language end)
  on conflict (id) do nothing;
  return new;
end
$$;
create trigger on_auth_user_created after insert on auth.users
  for each row execute function private.handle_new_user();

-- ── Patients (clinic-scoped records; walk-ins need no account) ─────────────────────────────────────
create table public.patients (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  user_id uuid references auth.users (id) on delete set null,
  full_name text not null check (char_length(btrim(full_name)) between 1 and 200),
  phone text check (phone is null or private.is_e164(phone)),
  preferred_language public.app_language,
  sms_opt_out boolean not null default false,
  notes text check (notes is null or char_length(notes) <= 2000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, clinic_id)
);
create unique index patients_clinic_user_key on public.patients (clinic_id, user_id) where user_id is not null;
create index patients_clinic_phone_idx on public.patients (clinic_id, phone);
create index patients_user_idx on public.patients (user_id) where user_id is not null;
create trigger patients_touch before update on public.patients
  for each row execute function private.touch_updated_at();

-- ── Booking rules ──────────────────────────────────────────────────────────────────────────────────
create table public.appointment_types (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 120),
  duration_minutes integer not null check (duration_minutes between 5 and 480),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  unique (clinic_id, name),
  unique (id, clinic_id)
);

create table public.working_hours (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  weekday smallint not null check (weekday between 0 and 6), -- 0 = Sunday, as extract(dow)
  starts_at time not null,
  ends_at time not null,
  constraint working_hours_interval check (starts_at < ends_at)
);
create index working_hours_clinic_day_idx on public.working_hours (clinic_id, weekday, starts_at);

create function private.working_hours_no_overlap() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if exists (
    select 1 from public.working_hours w
    where w.clinic_id = new.clinic_id and w.weekday = new.weekday and w.id <> new.id
      and w.starts_at < new.ends_at and new.starts_at < w.ends_at) then
    perform private.raise_error(422, 'HOURS.INVALID', 'working hours overlap');
  end if;
  return new;
end
$$;
create trigger working_hours_no_overlap before insert or update on public.working_hours
  for each row execute function private.working_hours_no_overlap();

create table public.closed_dates (
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  day date not null,
  reason text check (reason is null or char_length(reason) <= 200),
  primary key (clinic_id, day)
);

-- ── The daily queue (one aggregate per clinic per local day, optimistic `version`) ─────────────────
create table public.queues (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  day date not null,
  version integer not null default 0 check (version >= 0),
  status public.queue_status not null default 'open',
  next_ticket integer not null default 1 check (next_ticket >= 1),
  closed_at timestamptz,
  summary jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (clinic_id, day),
  unique (id, clinic_id)
);

create table public.queue_entries (
  id uuid primary key default gen_random_uuid(),
  queue_id uuid not null,
  clinic_id uuid not null,
  patient_id uuid not null,
  practitioner_id uuid,
  appointment_type_id uuid,
  kind public.entry_kind not null,
  status public.entry_status not null,
  priority public.entry_priority not null default 'normal',
  ticket_number integer not null check (ticket_number between 1 and 9999),
  order_key numeric not null,
  skip_count integer not null default 0 check (skip_count >= 0),
  slot_start timestamptz,
  slot_end timestamptz,
  late boolean not null default false,
  running_late_at timestamptz,
  checked_in_at timestamptz,
  called_at timestamptz,
  started_at timestamptz,
  finished_at timestamptz,
  absent_at timestamptz,
  grace_ends_at timestamptz,
  returned_at timestamptz,
  no_show_at timestamptz,
  cancelled_at timestamptz,
  called_room text check (called_room is null or char_length(called_room) <= 40),
  call_reason text check (call_reason is null or char_length(call_reason) <= 500),
  priority_reason text check (priority_reason is null or char_length(priority_reason) <= 500),
  cancel_reason text check (cancel_reason is null or char_length(cancel_reason) <= 500),
  notes text check (notes is null or char_length(notes) <= 2000),
  tracking_token_hash bytea unique,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (queue_id, clinic_id) references public.queues (id, clinic_id) on delete cascade,
  foreign key (patient_id, clinic_id) references public.patients (id, clinic_id) on delete cascade,
  foreign key (practitioner_id, clinic_id) references public.clinic_members (id, clinic_id),
  foreign key (appointment_type_id, clinic_id) references public.appointment_types (id, clinic_id),
  unique (queue_id, ticket_number),
  constraint queue_entries_booked_has_slot check (kind = 'walk_in' or slot_start is not null),
  constraint queue_entries_slot_order check (slot_end is null or slot_end > slot_start),
  constraint queue_entries_absent_has_grace check (status <> 'absent' or grace_ends_at is not null)
);
comment on table public.queue_entries is 'A visit: booked appointment or walk-in, with every status timestamp.';
create index queue_entries_queue_idx on public.queue_entries (queue_id, status, priority, order_key);
create index queue_entries_patient_idx on public.queue_entries (patient_id);
create index queue_entries_slot_idx on public.queue_entries (clinic_id, slot_start)
  where kind = 'booked' and status <> 'cancelled';
create index queue_entries_grace_idx on public.queue_entries (grace_ends_at) where status = 'absent';

-- Only the moves of DOMAIN.md's state diagram (plus end-of-day and re-activating a no-show).
create function private.entry_transition_allowed(p_from public.entry_status, p_to public.entry_status)
returns boolean
language sql immutable
set search_path = ''
as $$
  select p_from = p_to or (p_from::text, p_to::text) in (
    ('scheduled', 'waiting'), ('scheduled', 'cancelled'), ('scheduled', 'no_show'),
    ('waiting', 'called'), ('waiting', 'absent'), ('waiting', 'cancelled'), ('waiting', 'no_show'),
    ('called', 'in_service'), ('called', 'absent'), ('called', 'completed'), ('called', 'cancelled'),
    ('in_service', 'completed'), ('in_service', 'cancelled'),
    ('absent', 'waiting'), ('absent', 'no_show'), ('absent', 'cancelled'),
    ('no_show', 'waiting'))
$$;

create function private.queue_entries_guard() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    if new.queue_id <> old.queue_id or new.clinic_id <> old.clinic_id or new.patient_id <> old.patient_id
       or new.kind <> old.kind or new.ticket_number <> old.ticket_number
       or new.tracking_token_hash is distinct from old.tracking_token_hash then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'identity columns of a visit cannot change');
    end if;
    if not private.entry_transition_allowed(old.status, new.status) then
      perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION',
        format('%s -> %s is not an allowed move', old.status, new.status));
    end if;
  end if;
  new.updated_at := now();
  return new;
end
$$;
create trigger queue_entries_guard before insert or update on public.queue_entries
  for each row execute function private.queue_entries_guard();

-- The event log: audit trail and notification outbox (notified_at = sent / handled).
create table public.queue_events (
  id bigint generated always as identity primary key,
  queue_id uuid not null,
  clinic_id uuid not null,
  entry_id uuid references public.queue_entries (id) on delete cascade,
  type text not null check (type ~ '^[A-Za-z][A-Za-z0-9_.]{0,79}$'),
  payload jsonb not null default '{}'::jsonb check (jsonb_typeof(payload) = 'object'),
  actor_id uuid references auth.users (id) on delete set null,
  correlation_id uuid,
  occurred_at timestamptz not null default now(),
  notified_at timestamptz,
  foreign key (queue_id, clinic_id) references public.queues (id, clinic_id) on delete cascade
);
create index queue_events_queue_idx on public.queue_events (queue_id, id);
create index queue_events_outbox_idx on public.queue_events (clinic_id, id) where notified_at is null;

-- Exactly-once queue commands (issue 12 item 1): every queue command carries a client-generated id; the
-- ids applied per queue day are recorded here, and a command id seen again is never applied a second
-- time (save_queue_step answers 409 QUEUE.COMMAND_ALREADY_APPLIED, get_queue(p_command_id) reports it).
create table public.queue_commands (
  queue_id uuid not null references public.queues (id) on delete cascade,
  command_id uuid not null,
  version integer not null,
  actor_id uuid references auth.users (id) on delete set null,
  applied_at timestamptz not null default now(),
  primary key (queue_id, command_id)
);
comment on table public.queue_commands is
  'Ids of the queue commands applied per queue day (exactly-once); written only by save_queue_step.';

-- ── Staff invitations ──────────────────────────────────────────────────────────────────────────────
create table public.staff_invitations (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  role public.member_role not null,
  email text check (email is null or (email = lower(email) and email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$')),
  phone text check (phone is null or private.is_e164(phone)),
  display_name text not null check (char_length(btrim(display_name)) between 1 and 120),
  room text check (room is null or char_length(room) between 1 and 40),
  token_hash bytea not null unique,
  invited_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null default now() + interval '7 days',
  accepted_at timestamptz,
  accepted_by uuid references auth.users (id) on delete set null,
  revoked_at timestamptz,
  constraint staff_invitations_recipient check (email is not null or phone is not null),
  constraint staff_invitations_expiry check (expires_at > created_at)
);
create index staff_invitations_clinic_idx on public.staff_invitations (clinic_id, created_at desc);

-- ── Notification templates (clinic_id null = built-in default) ─────────────────────────────────────
create table public.notification_templates (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid references public.clinics (id) on delete cascade,
  kind public.notification_kind not null,
  language public.app_language not null,
  body text not null check (char_length(btrim(body)) between 1 and 1000),
  updated_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint notification_templates_known_variables
    check (cardinality(private.template_unknown_variables(body)) = 0)
);
create unique index notification_templates_builtin_key on public.notification_templates (kind, language)
  where clinic_id is null;
create unique index notification_templates_clinic_key on public.notification_templates (clinic_id, kind, language)
  where clinic_id is not null;
create trigger notification_templates_touch before update on public.notification_templates
  for each row execute function private.touch_updated_at();

-- ── Notifications (the sent-message log) and monthly SMS budgets ───────────────────────────────────
create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  entry_id uuid references public.queue_entries (id) on delete set null,
  event_id bigint references public.queue_events (id) on delete set null,
  kind public.notification_kind not null,
  channel public.notification_channel not null default 'sms',
  recipient text check (recipient is null or char_length(recipient) <= 320),
  language public.app_language,
  body text check (body is null or char_length(body) <= 2000),
  idempotency_key text not null check (char_length(idempotency_key) between 1 and 200),
  status public.notification_status not null default 'queued',
  attempts integer not null default 0 check (attempts >= 0),
  provider_id text,
  segments integer check (segments is null or segments between 0 and 50),
  cost numeric(12, 4) check (cost is null or cost >= 0),
  reserved_cost numeric(12, 4) not null default 0 check (reserved_cost >= 0),
  reserved boolean not null default false,
  error text check (error is null or char_length(error) <= 2000),
  budget_month date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  sent_at timestamptz,
  -- Idempotency keys are unique per clinic (issue 10), so another clinic can never take a key first (and
  -- the outbox only counts this clinic's messages).
  constraint notifications_clinic_idempotency_key unique (clinic_id, idempotency_key)
);
create index notifications_clinic_idx on public.notifications (clinic_id, created_at desc);
create index notifications_entry_idx on public.notifications (entry_id) where entry_id is not null;
create index notifications_provider_idx on public.notifications (provider_id) where provider_id is not null;
create trigger notifications_touch before update on public.notifications
  for each row execute function private.touch_updated_at();

create table public.sms_budgets (
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  month date not null check (extract(day from month) = 1),
  limit_count integer not null check (limit_count >= 0),
  limit_amount numeric(12, 4) not null check (limit_amount >= 0),
  reserved_count integer not null default 0 check (reserved_count >= 0),
  reserved_amount numeric(12, 4) not null default 0 check (reserved_amount >= 0),
  spent_count integer not null default 0 check (spent_count >= 0),
  spent_amount numeric(12, 4) not null default 0 check (spent_amount >= 0),
  alerted_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (clinic_id, month)
);
comment on table public.sms_budgets is
  'Monthly SMS limit per clinic. reserved_* + spent_* never exceed limit_* (enforced by sms_budget_reserve).';
create trigger sms_budgets_touch before update on public.sms_budgets
  for each row execute function private.touch_updated_at();

-- ── Realtime: queue screens subscribe to these ─────────────────────────────────────────────────────
alter publication supabase_realtime add table public.queues, public.queue_entries, public.queue_events;
