-- Issue 11: every time rule reads the database's pinnable clock, private.now(), never the wall clock.
--
-- Until now the queue's grace and end-of-day rules read private.now(), but check-in (tolerance, checked_in_at,
-- the order key), booking notice (private.book, get_free_slots), cancel_appointment, report_running_late,
-- sms_inbound_apply, save_queue_step (default order key, closed_at), bump_version, the outbox windows,
-- invitation expiry, the create_clinic rate limit, the SMS budget month and every updated_at/created_at
-- default still read now(). With a pinned clock (tests, the stack's QUEUEMED_FAKE_NOW on PostgreSQL) the
-- two clocks disagreed: a patient checked in "at 09:00" got an order key of the machine's hour.
--
-- Each function below is its newest definition, unchanged except `now()` → `private.now()` (bodies taken
-- with pg_get_functiondef from a database built from every earlier migration, so nothing else moved).
-- `create or replace` keeps each function's grants and comment. When private.pinned_clock is empty,
-- private.now() is now(): production behaviour is unchanged.
--
-- supabase/tests/clock.test.ts fails (on both databases) when any function in public/private other than
-- private.now itself, or any column default, calls now()/clock_timestamp()/current_date/current_timestamp:
-- a later migration that re-creates one of these functions from an older text is caught there.

-- ── Column defaults ────────────────────────────────────────────────────────────────────────────────
alter table public.clinics alter column created_at set default private.now();
alter table public.clinics alter column updated_at set default private.now();
alter table public.clinic_members alter column created_at set default private.now();
alter table public.clinic_members alter column updated_at set default private.now();
alter table public.profiles alter column created_at set default private.now();
alter table public.profiles alter column updated_at set default private.now();
alter table public.patients alter column created_at set default private.now();
alter table public.patients alter column updated_at set default private.now();
alter table public.appointment_types alter column created_at set default private.now();
alter table public.queues alter column created_at set default private.now();
alter table public.queues alter column updated_at set default private.now();
alter table public.queue_entries alter column created_at set default private.now();
alter table public.queue_entries alter column updated_at set default private.now();
alter table public.queue_events alter column occurred_at set default private.now();
alter table public.queue_commands alter column applied_at set default private.now();
alter table public.staff_invitations alter column created_at set default private.now();
alter table public.staff_invitations alter column expires_at set default private.now() + interval '7 days';
alter table public.notification_templates alter column created_at set default private.now();
alter table public.notification_templates alter column updated_at set default private.now();
alter table public.notifications alter column created_at set default private.now();
alter table public.notifications alter column updated_at set default private.now();
alter table public.sms_budgets alter column updated_at set default private.now();
alter table public.queue_entry_estimates alter column computed_at set default private.now();
alter table public.clinic_wait_accuracy alter column computed_at set default private.now();
alter table public.api_keys alter column created_at set default private.now();
alter table public.api_idempotency alter column created_at set default private.now();

-- ── Functions (newest definitions, clock only) ───────────────────────────────────────────────────

-- private.book
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

-- private.budget_month
create or replace function private.budget_month(p_clinic_id uuid)
returns date
language sql
stable
set search_path = ''
as $function$
  select date_trunc('month', private.now() at time zone c.time_zone)::date from public.clinics c where c.id = p_clinic_id
$function$;

-- private.bump_version
create or replace function private.bump_version(p_queue_id uuid)
returns integer
language sql
set search_path = ''
as $function$
  update public.queues set version = version + 1, updated_at = private.now() where id = p_queue_id
  returning version
$function$;

-- private.clinics_validate
create or replace function private.clinics_validate()
returns trigger
language plpgsql
set search_path = ''
as $function$
begin
  if not exists (select 1 from pg_catalog.pg_timezone_names where name = new.time_zone) then
    perform private.raise_error(422, 'TIMEZONE.INVALID', 'unknown time zone');
  end if;
  new.updated_at := private.now();
  return new;
end
$function$;

-- private.queue_entries_guard
create or replace function private.queue_entries_guard()
returns trigger
language plpgsql
set search_path = ''
as $function$
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
  if tg_op = 'INSERT' then
    -- rows added by other paths (booking, patient check-in, seed) tie-break on their ticket, as the domain does
    new.order_tiebreak := coalesce(new.order_tiebreak, new.ticket_number::numeric);
  end if;
  new.updated_at := private.now();
  return new;
end
$function$;

-- private.touch_updated_at
create or replace function private.touch_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $function$
begin
  new.updated_at := private.now();
  return new;
end
$function$;

-- public.accept_staff_invitation
create or replace function public.accept_staff_invitation(p_token text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_uid uuid := private.require_uid();
  v_inv public.staff_invitations;
  v_user auth.users;
  v_member_id uuid;
  v_by_email boolean;
  v_by_phone boolean;
begin
  if p_token is null or char_length(p_token) > 200 then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation not found');
  end if;
  select * into v_inv from public.staff_invitations where token_hash = private.hash_token(p_token) for update;
  if not found or v_inv.revoked_at is not null then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation not found');
  end if;
  if v_inv.accepted_at is not null then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation already used');
  end if;
  if v_inv.expires_at <= private.now() then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation expired');
  end if;
  select * into v_user from auth.users where id = v_uid;
  v_by_email := v_inv.email is not null and v_user.email_confirmed_at is not null
    and lower(v_user.email) = v_inv.email and private.jwt_email() = v_inv.email;
  v_by_phone := v_inv.phone is not null and v_user.phone_confirmed_at is not null
    and regexp_replace(coalesce(v_user.phone, ''), '\D', '', 'g') = ltrim(v_inv.phone, '+')
    and private.jwt_phone_digits() = ltrim(v_inv.phone, '+');
  if not (v_by_email or v_by_phone) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'this invitation was sent to someone else');
  end if;
  insert into public.clinic_members (clinic_id, user_id, role, display_name, room)
  values (v_inv.clinic_id, v_uid, v_inv.role, v_inv.display_name, v_inv.room)
  on conflict (clinic_id, user_id) do update
    set role = excluded.role, display_name = excluded.display_name, room = excluded.room, active = true
  returning id into v_member_id;
  update public.staff_invitations set accepted_at = private.now(), accepted_by = v_uid where id = v_inv.id;
  return jsonb_build_object('clinic_id', v_inv.clinic_id, 'member_id', v_member_id, 'role', v_inv.role);
end
$function$;

-- public.cancel_appointment
create or replace function public.cancel_appointment(p_entry_id uuid, p_reason text DEFAULT NULL::text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
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
         < private.now() + make_interval(mins => (v_settings ->> 'min_cancel_notice_minutes')::integer) then
      perform private.raise_error(422, 'BOOKING.CANCEL_TOO_LATE', 'too late to cancel; call the clinic');
    end if;
  end if;
  update public.queue_entries
     set status = 'cancelled', cancelled_at = private.now(), cancel_reason = left(p_reason, 500)
   where id = (r.e).id;
  perform private.log_event((r.e).queue_id, (r.e).clinic_id, (r.e).id, 'EntryCancelled',
    jsonb_build_object('ticket', (select private.ticket_label(c.ticket_prefix, (r.e).ticket_number)
                                    from public.clinics c where c.id = (r.e).clinic_id),
                       'fromStatus', (r.e).status, 'reason', left(p_reason, 500),
                       'by', case when r.is_staff then 'staff' else 'patient' end));
  return jsonb_build_object('entry_id', (r.e).id, 'status', 'cancelled',
                            'queue_version', private.bump_version((r.e).queue_id));
end
$function$;

-- public.check_in
create or replace function public.check_in(p_entry_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  r record;
  v_clinic public.clinics;
  v_day date;
  v_key numeric;
begin
  if not private.is_service() then
    perform private.require_uid();
  end if;
  select * into r from private.entry_for_actor(p_entry_id, null);
  select * into v_clinic from public.clinics where id = (r.e).clinic_id;
  select day into v_day from public.queues where id = (r.e).queue_id;
  if v_day <> private.clinic_today(v_clinic.time_zone) then
    perform private.raise_error(409, 'QUEUE.NOT_TODAY', 'check-in opens on the day of the visit');
  end if;
  if (r.e).status <> 'scheduled' then
    perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'only a scheduled visit can check in');
  end if;
  if (r.e).slot_start is not null and (r.e).slot_start > private.now() + make_interval(
       mins => (private.effective_settings(v_clinic.settings) ->> 'check_in_window_minutes')::integer) then
    perform private.raise_error(409, 'QUEUE.CHECK_IN_TOO_EARLY',
      format('check-in opens %s minutes before the slot',
             private.effective_settings(v_clinic.settings) ->> 'check_in_window_minutes'));
  end if;
  v_key := case
    when (r.e).slot_start is not null and private.now() <= (r.e).slot_start + make_interval(
           mins => (private.effective_settings(v_clinic.settings) ->> 'on_time_tolerance_minutes')::integer)
      then extract(epoch from (r.e).slot_start)::numeric
    else extract(epoch from private.now())::numeric end;
  update public.queue_entries set status = 'waiting', checked_in_at = private.now(), order_key = v_key
   where id = (r.e).id;
  perform private.log_event((r.e).queue_id, (r.e).clinic_id, (r.e).id, 'PatientCheckedIn',
    jsonb_build_object('by', case when r.is_staff then 'staff' else 'patient' end));
  return jsonb_build_object('entry_id', (r.e).id, 'status', 'waiting', 'order_key', v_key,
                            'queue_version', private.bump_version((r.e).queue_id));
end
$function$;

-- public.create_api_key
create or replace function public.create_api_key(p_clinic_id uuid, p_name text, p_scopes text[], p_expires_at timestamp with time zone DEFAULT NULL::timestamp with time zone, p_rate_limit_per_minute integer DEFAULT 120)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_uid uuid := private.require_human_admin(p_clinic_id);
  v_name text := btrim(coalesce(p_name, ''));
  v_scopes text[];
  v_key text;
  v_user uuid := gen_random_uuid();
  v_member uuid;
  v_id uuid := gen_random_uuid();
  v_row public.api_keys;
begin
  select coalesce(array_agg(distinct s order by s), '{}') into v_scopes from unnest(coalesce(p_scopes, '{}')) s;
  if char_length(v_name) not between 1 and 80 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'name: 1 to 80 characters');
  end if;
  if cardinality(v_scopes) = 0 or not (v_scopes <@ array['read', 'queue', 'bookings', 'admin']::text[]) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'scopes: one or more of read, queue, bookings, admin');
  end if;
  if p_expires_at is not null and p_expires_at <= private.now() then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'expires_at must be in the future');
  end if;
  if coalesce(p_rate_limit_per_minute, 0) not between 1 and 10000 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'rate_limit_per_minute: 1 to 10000');
  end if;
  -- 2 × 122 random bits (gen_random_uuid is a CSPRNG v4 uuid; core PostgreSQL, also on PGlite)
  v_key := 'qmk_' || replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');

  insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
  values ('00000000-0000-0000-0000-000000000000', v_user, 'authenticated', 'authenticated',
          'api-key-' || v_id::text || '@api-keys.queuemed.invalid',
          jsonb_build_object('provider', 'api_key', 'api_key_id', v_id),
          jsonb_build_object('full_name', 'API key: ' || v_name), private.now(), private.now());
  insert into public.clinic_members (clinic_id, user_id, role, display_name)
  values (p_clinic_id, v_user,
          case when 'admin' = any (v_scopes) then 'admin' else 'receptionist' end::public.member_role,
          left('API key: ' || v_name, 120))
  returning id into v_member;
  insert into public.api_keys (id, clinic_id, name, key_prefix, key_hash, scopes, rate_limit_per_minute,
                               expires_at, user_id, member_id, created_by)
  values (v_id, p_clinic_id, v_name, left(v_key, 12), encode(sha256(convert_to(v_key, 'UTF8')), 'hex'),
          v_scopes, p_rate_limit_per_minute, p_expires_at, v_user, v_member, v_uid)
  returning * into v_row;
  return jsonb_build_object(
    'id', v_row.id, 'key', v_key, 'key_prefix', v_row.key_prefix, 'name', v_row.name,
    'scopes', to_jsonb(v_row.scopes), 'expires_at', v_row.expires_at,
    'rate_limit_per_minute', v_row.rate_limit_per_minute, 'created_at', v_row.created_at);
end
$function$;

-- public.create_clinic
create or replace function public.create_clinic(p_name text, p_slug text, p_time_zone text DEFAULT 'Africa/Casablanca'::text, p_default_language app_language DEFAULT 'fr'::app_language, p_display_name text DEFAULT NULL::text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_uid uuid := private.require_uid();
  v_clinic_id uuid;
  v_member_id uuid;
  v_name text;
begin
  -- one account's creations are serialized, so two at once cannot both pass the count
  perform pg_catalog.pg_advisory_xact_lock(hashtextextended('create_clinic:' || v_uid::text, 0));
  if (select count(*) from public.clinics where created_by = v_uid and created_at > private.now() - interval '24 hours') >= 3
     or (select count(*) from public.clinics where created_by = v_uid) >= 10 then
    perform private.raise_error(429, 'RATE.LIMITED', 'too many clinics created by this account');
  end if;
  if p_display_name is not null and char_length(p_display_name) > 120 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'the display name is longer than 120 characters');
  end if;
  begin
    insert into public.clinics (name, slug, time_zone, default_language, created_by)
    values (p_name, p_slug, coalesce(p_time_zone, 'Africa/Casablanca'), coalesce(p_default_language, 'fr'), v_uid)
    returning id into v_clinic_id;
  exception
    when unique_violation then
      perform private.raise_error(409, 'VALIDATION.FAILED', 'this address (slug) is taken');
    when not_null_violation or check_violation then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'a name (1-200 characters) and a slug (a-z, 0-9, -) are required');
  end;
  select coalesce(nullif(btrim(p_display_name), ''), pr.full_name, u.email, 'Owner') into v_name
    from auth.users u left join public.profiles pr on pr.id = u.id where u.id = v_uid;
  insert into public.clinic_members (clinic_id, user_id, role, display_name)
  values (v_clinic_id, v_uid, 'owner', left(coalesce(v_name, 'Owner'), 120))
  returning id into v_member_id;
  return jsonb_build_object('clinic_id', v_clinic_id, 'member_id', v_member_id);
end
$function$;

-- public.get_free_slots
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
  select coalesce(jsonb_agg(jsonb_build_object('start', s.slot_start, 'end', s.slot_end,
           'remaining', (v_s ->> 'slot_capacity')::integer - private.booked_overlapping(p_clinic_id, s.slot_start, s.slot_end))
           order by s.slot_start), '[]'::jsonb)
    into v_result
    from generate_series(greatest(p_from, v_today),
                         least(v_to, v_today + (v_s ->> 'booking_horizon_days')::integer), interval '1 day') d
    cross join lateral private.day_slots(p_clinic_id, d::date, v_duration) s
   where s.slot_start >= private.now() + make_interval(mins => (v_s ->> 'min_booking_notice_minutes')::integer)
     and private.booked_overlapping(p_clinic_id, s.slot_start, s.slot_end) < (v_s ->> 'slot_capacity')::integer;
  return v_result;
end
$function$;

-- public.mark_events_notified
create or replace function public.mark_events_notified(p_event_ids bigint[])
returns integer
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_count integer;
begin
  if p_event_ids is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_event_ids is required');
  end if;
  if not private.is_service() then
    perform private.require_uid();
  end if;
  update public.queue_events ev set notified_at = private.now()
   where ev.id = any (p_event_ids) and ev.notified_at is null
     and (private.is_service() or private.is_clinic_staff(ev.clinic_id));
  get diagnostics v_count = row_count;
  return v_count;
end
$function$;

-- public.notification_close_interrupted
create or replace function public.notification_close_interrupted(p_older_than_seconds integer DEFAULT 600)
returns integer
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_count integer := 0;
  r record;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  for r in
    select id from public.notifications
     where status = 'queued' and reserved
       and updated_at < private.now() - make_interval(secs => greatest(coalesce(p_older_than_seconds, 600), 60))
     order by updated_at
     limit 500
     for update skip locked
  loop
    perform public.sms_budget_settle(r.id, 'failed', null, null, null,
      'interrupted: the sender stopped before the provider answered; not resent (it may have been delivered)');
    v_count := v_count + 1;
  end loop;
  return v_count;
end
$function$;

-- public.notification_outbox
create or replace function public.notification_outbox(p_limit integer DEFAULT 50, p_min_age_seconds integer DEFAULT 20, p_max_age_seconds integer DEFAULT 3600)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_out jsonb := '[]'::jsonb;
  r record;
  v_kind public.notification_kind;
  v_key text;
  v_lang public.app_language;
  v_settings jsonb;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  for r in
    select ev.*, e.ticket_number, e.called_room, p.full_name, p.phone, p.preferred_language, p.sms_opt_out,
           c.name as clinic_name, c.default_language, c.ticket_prefix, c.settings
      from public.queue_events ev
      left join public.queue_entries e on e.id = ev.entry_id and e.clinic_id = ev.clinic_id
      left join public.patients p on p.id = e.patient_id
      join public.clinics c on c.id = ev.clinic_id
     where ev.notified_at is null
       and ev.occurred_at <= private.now() - make_interval(secs => greatest(coalesce(p_min_age_seconds, 20), 0))
     order by ev.id
     limit least(greatest(coalesce(p_limit, 50), 1), 500)
     for update of ev skip locked
  loop
    v_kind := private.event_notification_kind(r.type, r.payload);
    v_key := case when v_kind is not null and r.entry_id is not null
                  then private.event_notification_key(v_kind, r.entry_id, r.correlation_id, r.payload, r.id) end;
    if v_key is null or r.phone is null or r.sms_opt_out
       or r.occurred_at < private.now() - make_interval(secs => greatest(coalesce(p_max_age_seconds, 3600), 0))
       or exists (select 1 from public.notifications n
                   where n.clinic_id = r.clinic_id and n.idempotency_key = v_key)
       or exists (select 1 from public.notifications n
                   where n.clinic_id = r.clinic_id and n.entry_id = r.entry_id and n.kind = v_kind
                     and n.created_at >= r.occurred_at) then
      update public.queue_events set notified_at = private.now() where id = r.id;
      continue;
    end if;
    v_lang := coalesce(r.preferred_language, r.default_language);
    v_settings := private.effective_settings(r.settings);
    v_out := v_out || jsonb_build_object(
      'event_id', r.id, 'clinic_id', r.clinic_id, 'entry_id', r.entry_id, 'kind', v_kind,
      'idempotency_key', v_key, 'phone', r.phone, 'language', v_lang,
      'template', coalesce(
        (select t.body from public.notification_templates t
          where t.clinic_id = r.clinic_id and t.kind = v_kind and t.language = v_lang),
        (select t.body from public.notification_templates t
          where t.clinic_id is null and t.kind = v_kind and t.language = v_lang)),
      'values', jsonb_build_object(
        'patient_name', r.full_name,
        'clinic_name', r.clinic_name,
        'ticket', coalesce(r.payload ->> 'ticket', private.ticket_label(r.ticket_prefix, r.ticket_number)),
        'room', coalesce(r.payload ->> 'room', r.called_room),
        'position', r.payload ->> 'position',
        'grace_minutes', coalesce(r.payload ->> 'graceMinutes', v_settings ->> 'grace_period_minutes')));
  end loop;
  return v_out;
end
$function$;

-- public.report_running_late
create or replace function public.report_running_late(p_entry_id uuid DEFAULT NULL::uuid, p_tracking_token text DEFAULT NULL::text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  r record;
begin
  if p_tracking_token is null and not private.is_service() then
    perform private.require_uid();
  end if;
  select * into r from private.entry_for_actor(
    case when p_tracking_token is null then p_entry_id end, p_tracking_token);
  if (r.e).status not in ('scheduled', 'waiting', 'called') then
    perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'the visit can no longer be late');
  end if;
  update public.queue_entries set running_late_at = private.now() where id = (r.e).id;
  perform private.log_event((r.e).queue_id, (r.e).clinic_id, (r.e).id, 'PatientRunningLate', '{}'::jsonb);
  return jsonb_build_object('entry_id', (r.e).id, 'late', true,
                            'queue_version', private.bump_version((r.e).queue_id));
end
$function$;

-- public.revoke_staff_invitation
create or replace function public.revoke_staff_invitation(p_invitation_id uuid)
returns boolean
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_clinic_id uuid;
begin
  select clinic_id into v_clinic_id from public.staff_invitations where id = p_invitation_id;
  if v_clinic_id is null then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation not found');
  end if;
  perform private.require_admin(v_clinic_id);
  update public.staff_invitations set revoked_at = private.now() where id = p_invitation_id and accepted_at is null;
  return true;
end
$function$;

-- public.save_queue_step
create or replace function public.save_queue_step(p_queue_id uuid, p_expected_version integer, p_entries jsonb, p_events jsonb, p_queue jsonb DEFAULT NULL::jsonb, p_command_id uuid DEFAULT NULL::uuid, p_patients jsonb DEFAULT NULL::jsonb)
returns integer
language plpgsql
security definer
set search_path = ''
as $function$
declare
  c_update_keys constant text[] := array[
    'id', 'status', 'priority', 'order_key', 'skip_count', 'practitioner_id', 'appointment_type_id',
    'running_late_at', 'checked_in_at', 'called_at', 'started_at', 'finished_at', 'absent_at',
    'grace_ends_at', 'returned_at', 'no_show_at', 'cancelled_at', 'called_room', 'call_reason',
    'priority_reason', 'cancel_reason', 'order_tiebreak', 'late_turn_at', 'served_by', 'reactivations',
    'expected_duration_minutes', 'appointment_id'];
  c_insert_keys constant text[] := c_update_keys || array['patient_id', 'kind', 'ticket_number', 'slot_start', 'slot_end'];
  v_queue public.queues;
  v_prefix text;
  e jsonb;
  ev jsonb;
  p jsonb;
  v_id uuid;
  v_existing public.queue_entries;
  v_ticket integer;
  v_bad text;
  v_version integer;
  v_applied integer;
  v_before jsonb;
begin
  if p_queue_id is null or p_expected_version is null or p_entries is null or p_events is null
     or jsonb_typeof(p_entries) <> 'array' or jsonb_typeof(p_events) <> 'array'
     or (p_queue is not null and jsonb_typeof(p_queue) <> 'object')
     or (p_patients is not null and jsonb_typeof(p_patients) <> 'array') then
    perform private.raise_error(422, 'VALIDATION.FAILED',
      'p_queue_id, p_expected_version, p_entries (array) and p_events (array) are required');
  end if;

  select * into v_queue from public.queues where id = p_queue_id for update;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'queue not found');
  end if;
  perform private.require_staff(v_queue.clinic_id);
  if p_command_id is not null then
    select c.version into v_applied from public.queue_commands c
     where c.queue_id = p_queue_id and c.command_id = p_command_id;
    if found then
      perform private.raise_error(409, 'QUEUE.COMMAND_ALREADY_APPLIED',
        format('command %s was applied at version %s', p_command_id, v_applied));
    end if;
  end if;
  if v_queue.version <> p_expected_version then
    perform private.raise_error(409, 'QUEUE.VERSION_CONFLICT',
      format('queue is at version %s, the step was computed from version %s', v_queue.version, p_expected_version));
  end if;
  if v_queue.status = 'closed' and coalesce(p_queue ->> 'status', 'closed') <> 'open' then
    perform private.raise_error(409, 'QUEUE.CLOSED', 'the day is closed');
  end if;
  select ticket_prefix into v_prefix from public.clinics where id = v_queue.clinic_id;

  begin
    -- the touched entries as they were, for verify_step
    select coalesce(jsonb_object_agg(q.id::text, to_jsonb(q)), '{}'::jsonb) into v_before
      from public.queue_entries q
     where q.queue_id = p_queue_id
       and q.id in (select (x ->> 'id')::uuid from jsonb_array_elements(p_entries) x
                     where jsonb_typeof(x) = 'object' and x ? 'id');

    for p in select * from jsonb_array_elements(coalesce(p_patients, '[]'::jsonb)) loop
      if jsonb_typeof(p) <> 'object' or p ->> 'id' is null then
        perform private.raise_error(422, 'VALIDATION.FAILED', 'each patient needs an id');
      end if;
      select string_agg(k, ', ') into v_bad from jsonb_object_keys(p) k
       where k not in ('id', 'full_name', 'phone', 'preferred_language');
      if v_bad is not null then
        perform private.raise_error(422, 'VALIDATION.FAILED', 'patient columns not settable: ' || v_bad);
      end if;
      insert into public.patients (id, clinic_id, full_name, phone, preferred_language)
      values ((p ->> 'id')::uuid, v_queue.clinic_id, btrim(p ->> 'full_name'), p ->> 'phone',
              (p ->> 'preferred_language')::public.app_language);
    end loop;

    for e in select * from jsonb_array_elements(p_entries) loop
      if jsonb_typeof(e) <> 'object' or e ->> 'id' is null then
        perform private.raise_error(422, 'VALIDATION.FAILED', 'each entry needs an id');
      end if;
      v_id := (e ->> 'id')::uuid;
      select * into v_existing from public.queue_entries where id = v_id for update;
      if found then
        if v_existing.queue_id <> p_queue_id then
          perform private.raise_error(404, 'QUEUE.ENTRY_NOT_FOUND', 'entry is not in this queue');
        end if;
        select string_agg(k, ', ') into v_bad from jsonb_object_keys(e) k where k <> all (c_update_keys);
        if v_bad is not null then
          perform private.raise_error(422, 'VALIDATION.FAILED', 'columns not changeable: ' || v_bad);
        end if;
        update public.queue_entries q set
          status = case when e ? 'status' then (e ->> 'status')::public.entry_status else q.status end,
          priority = case when e ? 'priority' then (e ->> 'priority')::public.entry_priority else q.priority end,
          order_key = case when e ? 'order_key' then (e ->> 'order_key')::numeric else q.order_key end,
          skip_count = case when e ? 'skip_count' then (e ->> 'skip_count')::integer else q.skip_count end,
          practitioner_id = case when e ? 'practitioner_id' then (e ->> 'practitioner_id')::uuid else q.practitioner_id end,
          appointment_type_id = case when e ? 'appointment_type_id' then (e ->> 'appointment_type_id')::uuid else q.appointment_type_id end,
          running_late_at = case when e ? 'running_late_at' then (e ->> 'running_late_at')::timestamptz else q.running_late_at end,
          checked_in_at = case when e ? 'checked_in_at' then (e ->> 'checked_in_at')::timestamptz else q.checked_in_at end,
          called_at = case when e ? 'called_at' then (e ->> 'called_at')::timestamptz else q.called_at end,
          started_at = case when e ? 'started_at' then (e ->> 'started_at')::timestamptz else q.started_at end,
          finished_at = case when e ? 'finished_at' then (e ->> 'finished_at')::timestamptz else q.finished_at end,
          absent_at = case when e ? 'absent_at' then (e ->> 'absent_at')::timestamptz else q.absent_at end,
          grace_ends_at = case when e ? 'grace_ends_at' then (e ->> 'grace_ends_at')::timestamptz else q.grace_ends_at end,
          returned_at = case when e ? 'returned_at' then (e ->> 'returned_at')::timestamptz else q.returned_at end,
          no_show_at = case when e ? 'no_show_at' then (e ->> 'no_show_at')::timestamptz else q.no_show_at end,
          cancelled_at = case when e ? 'cancelled_at' then (e ->> 'cancelled_at')::timestamptz else q.cancelled_at end,
          called_room = case when e ? 'called_room' then e ->> 'called_room' else q.called_room end,
          call_reason = case when e ? 'call_reason' then e ->> 'call_reason' else q.call_reason end,
          priority_reason = case when e ? 'priority_reason' then e ->> 'priority_reason' else q.priority_reason end,
          cancel_reason = case when e ? 'cancel_reason' then e ->> 'cancel_reason' else q.cancel_reason end,
          order_tiebreak = case when e ? 'order_tiebreak' then coalesce((e ->> 'order_tiebreak')::numeric, q.ticket_number::numeric) else q.order_tiebreak end,
          late_turn_at = case when e ? 'late_turn_at' then (e ->> 'late_turn_at')::timestamptz else q.late_turn_at end,
          served_by = case when e ? 'served_by' then (e ->> 'served_by')::uuid else q.served_by end,
          reactivations = case when e ? 'reactivations' then (e ->> 'reactivations')::integer else q.reactivations end,
          expected_duration_minutes = case when e ? 'expected_duration_minutes' then (e ->> 'expected_duration_minutes')::integer else q.expected_duration_minutes end,
          appointment_id = case when e ? 'appointment_id' then (e ->> 'appointment_id')::uuid else q.appointment_id end
        where q.id = v_id;
      else
        select string_agg(k, ', ') into v_bad from jsonb_object_keys(e) k where k <> all (c_insert_keys);
        if v_bad is not null then
          perform private.raise_error(422, 'VALIDATION.FAILED', 'columns not settable: ' || v_bad);
        end if;
        if e ->> 'patient_id' is null or not exists (
             select 1 from public.patients p
             where p.id = (e ->> 'patient_id')::uuid and p.clinic_id = v_queue.clinic_id) then
          perform private.raise_error(404, 'NOT_FOUND', 'patient not found in this clinic');
        end if;
        v_ticket := coalesce((e ->> 'ticket_number')::integer, v_queue.next_ticket);
        insert into public.queue_entries (
          id, queue_id, clinic_id, patient_id, kind, status, priority, ticket_number, order_key, skip_count,
          practitioner_id, appointment_type_id, slot_start, slot_end, running_late_at, checked_in_at,
          called_at, started_at, finished_at, absent_at, grace_ends_at, returned_at, no_show_at, cancelled_at,
          called_room, call_reason, priority_reason, cancel_reason, order_tiebreak, late_turn_at, served_by,
          reactivations, expected_duration_minutes, appointment_id, created_by)
        values (
          v_id, p_queue_id, v_queue.clinic_id, (e ->> 'patient_id')::uuid,
          coalesce((e ->> 'kind')::public.entry_kind, 'walk_in'),
          coalesce((e ->> 'status')::public.entry_status, 'waiting'),
          coalesce((e ->> 'priority')::public.entry_priority, 'normal'),
          v_ticket,
          coalesce((e ->> 'order_key')::numeric, extract(epoch from private.now())::numeric),
          coalesce((e ->> 'skip_count')::integer, 0),
          (e ->> 'practitioner_id')::uuid, (e ->> 'appointment_type_id')::uuid,
          (e ->> 'slot_start')::timestamptz, (e ->> 'slot_end')::timestamptz,
          (e ->> 'running_late_at')::timestamptz,
          (e ->> 'checked_in_at')::timestamptz, (e ->> 'called_at')::timestamptz,
          (e ->> 'started_at')::timestamptz, (e ->> 'finished_at')::timestamptz,
          (e ->> 'absent_at')::timestamptz, (e ->> 'grace_ends_at')::timestamptz,
          (e ->> 'returned_at')::timestamptz, (e ->> 'no_show_at')::timestamptz,
          (e ->> 'cancelled_at')::timestamptz, e ->> 'called_room', e ->> 'call_reason',
          e ->> 'priority_reason', e ->> 'cancel_reason', (e ->> 'order_tiebreak')::numeric,
          (e ->> 'late_turn_at')::timestamptz, (e ->> 'served_by')::uuid,
          coalesce((e ->> 'reactivations')::integer, 0), (e ->> 'expected_duration_minutes')::integer,
          (e ->> 'appointment_id')::uuid, auth.uid());
        v_queue.next_ticket := greatest(v_queue.next_ticket, v_ticket + 1);
      end if;
    end loop;

    for ev in select * from jsonb_array_elements(p_events) loop
      if jsonb_typeof(ev) <> 'object' or ev ->> 'type' is null then
        perform private.raise_error(422, 'VALIDATION.FAILED', 'each event needs a type');
      end if;
      if ev ->> 'entry_id' is not null and not exists (
           select 1 from public.queue_entries x where x.id = (ev ->> 'entry_id')::uuid and x.queue_id = p_queue_id) then
        perform private.raise_error(404, 'QUEUE.ENTRY_NOT_FOUND', 'event entry is not in this queue');
      end if;
      insert into public.queue_events (queue_id, clinic_id, entry_id, type, payload, actor_id, correlation_id)
      values (p_queue_id, v_queue.clinic_id, (ev ->> 'entry_id')::uuid, ev ->> 'type',
              coalesce(ev -> 'payload', '{}'::jsonb), auth.uid(), (ev ->> 'correlation_id')::uuid);
    end loop;

    perform private.verify_step(p_queue_id, v_before, p_entries, p_events, p_queue);

    if p_queue is not null then
      select string_agg(k, ', ') into v_bad from jsonb_object_keys(p_queue) k where k not in ('status', 'summary');
      if v_bad is not null then
        perform private.raise_error(422, 'VALIDATION.FAILED', 'queue columns not changeable: ' || v_bad);
      end if;
      if p_queue ? 'status' then
        v_queue.status := (p_queue ->> 'status')::public.queue_status;
        v_queue.closed_at := case when v_queue.status = 'closed' then private.now() end;
      end if;
      if p_queue ? 'summary' then
        v_queue.summary := p_queue -> 'summary';
      end if;
    end if;
  exception
    when invalid_text_representation or invalid_datetime_format or datetime_field_overflow
      or numeric_value_out_of_range or invalid_parameter_value or not_null_violation or check_violation
      or foreign_key_violation or string_data_right_truncation or data_exception then
      perform private.raise_error(422, 'VALIDATION.FAILED', sqlerrm);
    when unique_violation then
      perform private.raise_error(409, 'QUEUE.DUPLICATE_ENTRY', sqlerrm);
  end;

  update public.queues
     set version = version + 1, next_ticket = v_queue.next_ticket, status = v_queue.status,
         closed_at = v_queue.closed_at, summary = v_queue.summary, updated_at = private.now()
   where id = p_queue_id
  returning version into v_version;
  if p_command_id is not null then
    insert into public.queue_commands (queue_id, command_id, version, actor_id)
    values (p_queue_id, p_command_id, v_version, auth.uid());
  end if;
  return v_version;
end
$function$;

-- public.sms_budget_reserve
create or replace function public.sms_budget_reserve(p_clinic_id uuid, p_idempotency_key text, p_kind notification_kind, p_segments integer, p_cost numeric, p_entry_id uuid DEFAULT NULL::uuid, p_event_id bigint DEFAULT NULL::bigint, p_recipient text DEFAULT NULL::text, p_language app_language DEFAULT NULL::app_language, p_body text DEFAULT NULL::text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_month date;
  v_n public.notifications;
  v_b public.sms_budgets;
  v_ratio numeric;
  v_alert boolean := false;
  v_inserted boolean := false;
begin
  perform private.require_staff(p_clinic_id);
  if p_idempotency_key is null or p_kind is null or p_segments is null or p_cost is null
     or p_segments < 0 or p_segments > 50 or p_cost < 0 or p_cost > 1000
     or char_length(p_idempotency_key) not between 1 and 200
     or (p_recipient is not null and not private.is_e164(p_recipient))
     or char_length(p_body) > 1600 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'key, kind, segments (0-50) and cost (>= 0) are required');
  end if;
  if p_entry_id is not null and not exists (
       select 1 from public.queue_entries where id = p_entry_id and clinic_id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found in this clinic');
  end if;
  if p_event_id is not null and not exists (
       select 1 from public.queue_events where id = p_event_id and clinic_id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'event not found in this clinic');
  end if;
  v_month := private.budget_month(p_clinic_id);
  perform private.ensure_budget(p_clinic_id, v_month);

  begin
    insert into public.notifications (clinic_id, entry_id, event_id, kind, recipient, language, body,
                                      idempotency_key, segments, budget_month)
    values (p_clinic_id, p_entry_id, p_event_id, p_kind, p_recipient, p_language, p_body,
            p_idempotency_key, p_segments, v_month)
    on conflict (clinic_id, idempotency_key) do nothing
    returning * into v_n;
    v_inserted := v_n.id is not null;
  exception
    when check_violation or foreign_key_violation or string_data_right_truncation then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'the message could not be recorded');
  end;
  if not v_inserted then
    select * into v_n from public.notifications
     where clinic_id = p_clinic_id and idempotency_key = p_idempotency_key for update;
    if v_n.status <> 'failed' then
      return jsonb_build_object('notification_id', v_n.id, 'status', v_n.status, 'reserved', false,
                                'duplicate', true, 'code', null, 'remaining_count', null,
                                'remaining_amount', null, 'alert', false);
    end if;
  end if;

  update public.sms_budgets b
     set reserved_count = b.reserved_count + 1, reserved_amount = b.reserved_amount + p_cost
   where b.clinic_id = p_clinic_id and b.month = v_month
     and b.reserved_count + b.spent_count + 1 <= b.limit_count
     and b.reserved_amount + b.spent_amount + p_cost <= b.limit_amount
  returning * into v_b;

  if v_b.clinic_id is null then
    update public.notifications set status = 'skipped_budget', reserved = false, reserved_cost = 0,
                                    segments = p_segments, error = 'monthly SMS budget exhausted'
     where id = v_n.id;
    select * into v_b from public.sms_budgets where clinic_id = p_clinic_id and month = v_month;
    return jsonb_build_object('notification_id', v_n.id, 'status', 'skipped_budget', 'reserved', false,
                              'duplicate', false, 'code', 'SMS.BUDGET_EXCEEDED',
                              'remaining_count', greatest(0, v_b.limit_count - v_b.reserved_count - v_b.spent_count),
                              'remaining_amount', greatest(0, v_b.limit_amount - v_b.reserved_amount - v_b.spent_amount),
                              'alert', false);
  end if;

  update public.notifications set status = 'queued', reserved = true, reserved_cost = p_cost,
                                  segments = p_segments, error = null
   where id = v_n.id;
  v_ratio := (select (private.effective_settings(settings) ->> 'budget_alert_ratio')::numeric
                from public.clinics where id = p_clinic_id);
  if v_b.alerted_at is null and (
       (v_b.limit_count > 0 and (v_b.reserved_count + v_b.spent_count)::numeric / v_b.limit_count >= v_ratio)
    or (v_b.limit_amount > 0 and (v_b.reserved_amount + v_b.spent_amount) / v_b.limit_amount >= v_ratio)) then
    update public.sms_budgets set alerted_at = private.now() where clinic_id = p_clinic_id and month = v_month;
    v_alert := true;
  end if;
  return jsonb_build_object('notification_id', v_n.id, 'status', 'queued', 'reserved', true,
                            'duplicate', false, 'code', null,
                            'remaining_count', v_b.limit_count - v_b.reserved_count - v_b.spent_count,
                            'remaining_amount', v_b.limit_amount - v_b.reserved_amount - v_b.spent_amount,
                            'alert', v_alert);
end
$function$;

-- public.sms_budget_settle
create or replace function public.sms_budget_settle(p_notification_id uuid, p_status notification_status, p_provider_id text DEFAULT NULL::text, p_segments integer DEFAULT NULL::integer, p_cost numeric DEFAULT NULL::numeric, p_error text DEFAULT NULL::text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_n public.notifications;
  v_ok boolean;
begin
  if p_notification_id is null or p_status is null or p_status not in ('sent', 'delivered', 'simulated', 'failed')
     or (p_cost is not null and (p_cost < 0 or p_cost > 1000))
     or (p_segments is not null and (p_segments < 0 or p_segments > 50)) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'status must be sent, delivered, simulated or failed');
  end if;
  select * into v_n from public.notifications where id = p_notification_id for update;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'notification not found');
  end if;
  perform private.require_staff(v_n.clinic_id);
  v_ok := p_status <> 'failed';
  if v_n.reserved then
    update public.sms_budgets b
       set reserved_count = greatest(0, b.reserved_count - 1),
           reserved_amount = greatest(0, b.reserved_amount - v_n.reserved_cost),
           spent_count = b.spent_count + case when v_ok then 1 else 0 end,
           spent_amount = b.spent_amount + case when v_ok then coalesce(p_cost, v_n.reserved_cost) else 0 end
     where b.clinic_id = v_n.clinic_id and b.month = v_n.budget_month;
  elsif v_n.status not in ('sent', 'delivered', 'simulated') or p_status = 'failed' then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'nothing reserved for this notification');
  end if;
  update public.notifications
     set status = p_status,
         reserved = false,
         reserved_cost = 0,
         attempts = attempts + case when v_n.reserved then 1 else 0 end,
         provider_id = coalesce(left(p_provider_id, 200), provider_id),
         segments = coalesce(p_segments, segments),
         cost = case when v_ok then coalesce(p_cost, cost, v_n.reserved_cost) else cost end,
         error = case when v_ok then null else left(p_error, 2000) end,
         sent_at = case when v_ok then coalesce(sent_at, private.now()) else sent_at end
   where id = p_notification_id
  returning * into v_n;
  return jsonb_build_object('notification_id', v_n.id, 'status', v_n.status, 'attempts', v_n.attempts);
end
$function$;

-- public.sms_inbound_apply
create or replace function public.sms_inbound_apply(p_from text, p_intent text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
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
    update public.queue_entries set running_late_at = private.now() where id = r.id;
    perform private.log_event(r.queue_id, r.clinic_id, r.id, 'PatientRunningLate',
      jsonb_build_object('ticket', private.ticket_label(r.ticket_prefix, r.ticket_number), 'source', 'sms'));
  else
    update public.queue_entries set status = 'cancelled', cancelled_at = private.now(), cancel_reason = 'SMS'
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
$function$;

-- public.staff_invitation_delivery
create or replace function public.staff_invitation_delivery(p_invitation_id uuid, p_token text)
returns jsonb
language plpgsql
stable SECURITY DEFINER
set search_path = ''
as $function$
declare
  v_inv public.staff_invitations;
  v_clinic public.clinics;
begin
  select * into v_inv from public.staff_invitations where id = p_invitation_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation not found');
  end if;
  perform private.require_admin(v_inv.clinic_id);
  if p_token is null or v_inv.token_hash <> private.hash_token(p_token) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'this token is not the invitation''s');
  end if;
  if v_inv.accepted_at is not null or v_inv.revoked_at is not null or v_inv.expires_at <= private.now() then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'the invitation is no longer pending');
  end if;
  select * into v_clinic from public.clinics where id = v_inv.clinic_id;
  return jsonb_build_object('invitation_id', v_inv.id, 'clinic_id', v_inv.clinic_id, 'clinic_name', v_clinic.name,
                            'language', v_clinic.default_language, 'display_name', v_inv.display_name,
                            'email', v_inv.email, 'phone', v_inv.phone, 'expires_at', v_inv.expires_at,
                            'templates', (
                              select jsonb_object_agg(l.lang, coalesce(
                                (select t.body from public.notification_templates t
                                  where t.clinic_id = v_inv.clinic_id and t.kind = 'staff_invitation' and t.language = l.lang),
                                (select t.body from public.notification_templates t
                                  where t.clinic_id is null and t.kind = 'staff_invitation' and t.language = l.lang)))
                              from unnest(array['ar', 'fr', 'en']::public.app_language[]) as l(lang)));
end
$function$;
