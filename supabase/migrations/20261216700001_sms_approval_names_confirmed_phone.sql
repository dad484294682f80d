-- Session 17 (abuse17), outside attack review: self-made clinics as an SMS cannon; throwaway accounts taking
-- every slot.
--
-- 1. A free account could create a clinic named "Votre banque: compte bloqué, appelez +447700900999", make it its
--    booking_confirmed template, desk-book any phone and have QueueMed send the text (200 SMS per new clinic per
--    month). Rules now:
--    * S1 "a self-made clinic sends no SMS until the platform operator approves it": clinics.sms_held (true for a
--      clinic made through create_clinic; clinics the operator inserts — the seed, existing rows — are not held).
--      sms_budget_reserve records every SMS of a held clinic as skipped_budget with the reason, nothing reserved
--      or sent (this covers every SMS kind, staff invitations included: they all reserve here first).
--      The operator releases it with approve_clinic_sms(p_clinic_id, p_approved) — service role only, like
--      approve_sms_sender (docs/operations.md). The column has no write grant for anon/authenticated; owners and admins
--      read it in sms_budget_report.sms_held (their admin screen says "SMS start once QueueMed has approved …").
--    * N1 "a clinic's name holds no link and no phone number": on every insert and every rename (create_clinic,
--      a PATCH of clinics.name, any RPC), a name with a URL (scheme, www., or a domain with a common TLD) or a run
--      of 6 or more digits (Latin, Arabic-Indic or fullwidth; spaces, dots, dashes, slashes, brackets between
--      them, optional +) is refused with 422 CLINIC.NAME_NOT_ALLOWED.
-- 2. 12 fresh email accounts booked 12 slots in 1.3 s (~320 accounts fill a clinic's 30-day horizon):
--    * P1 "a patient's own booking needs a confirmed phone": book_appointment, book_fluid_place and
--      join_queue_remotely refuse a caller whose auth.users.phone_confirmed_at is null with 403
--      BOOKING.PHONE_NOT_CONFIRMED, before anything is written. The other patient-side RPCs move or ask about a
--      visit that was booked this way (reschedule_*, request_earlier_slot, accept_earlier_slot) or claim records
--      by the verified phone already (claim_patient_records).
--
-- Redefined from their newest bodies: public.sms_budget_reserve, public.book_appointment, public.book_fluid_place
-- (20261214800002), public.create_clinic (20261202100001), public.join_queue_remotely (20261210800001),
-- public.sms_budget_report (20261201000400).

alter table public.clinics add column sms_held boolean not null default false;
comment on column public.clinics.sms_held is
  'True while the platform operator has not approved this self-made clinic for SMS (approve_clinic_sms). '
  'Every SMS of a held clinic is recorded skipped_budget, nothing sent.';
-- no write grant to authenticated: the column-level update grant (20261201000100) lists the columns owners change

-- ── N1: names without links or phone numbers ──────────────────────────────────────────────────────
create function private.clinic_name_allowed(p_name text) returns boolean
language sql immutable
set search_path = ''
as $$
  select p_name is null or (
    -- a URL: a scheme, www., or a domain ending in a common top-level domain
    translate(lower(p_name), '٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９．', '012345678901234567890123456789.')
      !~ '([a-z][a-z0-9+.-]*://|www\.|[a-z0-9-]\.(com|net|org|info|biz|ma|fr|io|ly|co|me|app|link|site|online|top|xyz|click|gl|to|sh|cc|tk|ru|uk|de|es|be|ch|tn|dz|us|eu|live|shop|store|page|dev)([^a-z0-9]|$))'
    -- a phone-number-like run: 6 or more digits with only separators between them
    and not exists (
      select 1
        from regexp_matches(
               translate(p_name, '٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９', '012345678901234567890123456789'),
               '[0-9][0-9 ().\-/ ]*[0-9]', 'g') as m(x)
       where char_length(regexp_replace(m.x[1], '[^0-9]', '', 'g')) >= 6))
$$;
revoke all on function private.clinic_name_allowed(text) from public;
grant execute on function private.clinic_name_allowed(text) to anon, authenticated, service_role;

create function private.clinics_name_rules() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (tg_op = 'INSERT' or new.name is distinct from old.name) and not private.clinic_name_allowed(new.name) then
    perform private.raise_error(422, 'CLINIC.NAME_NOT_ALLOWED',
      'a clinic name may not contain a web address or a phone number');
  end if;
  return new;
end
$$;
revoke all on function private.clinics_name_rules() from public;
create trigger clinics_name_rules before insert or update of name on public.clinics
  for each row execute function private.clinics_name_rules();

-- ── P1: a patient's own booking needs a confirmed phone ───────────────────────────────────────────
create function private.require_confirmed_phone() returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not exists (select 1 from auth.users u where u.id = auth.uid() and u.phone_confirmed_at is not null
                   and u.phone is not null and u.phone <> '') then
    perform private.raise_error(403, 'BOOKING.PHONE_NOT_CONFIRMED',
      'confirm your phone number (sign in with a code by SMS) before booking');
  end if;
end
$$;
revoke all on function private.require_confirmed_phone() from public;
grant execute on function private.require_confirmed_phone() to authenticated, service_role;

create or replace function public.book_appointment(
  p_clinic_id uuid,
  p_slot_start timestamptz,
  p_appointment_type_id uuid default null,
  p_practitioner_id uuid default null,
  p_full_name text default null,
  p_language public.app_language default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
  v_patient_id uuid;
begin
  if p_clinic_id is null or not exists (select 1 from public.clinics where id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  perform private.require_confirmed_phone(); -- abuse17: before the patient record is made
  v_patient_id := (private.find_or_create_patient(p_clinic_id, v_uid, p_full_name, null, p_language) ->> 'patient_id')::uuid;
  perform private.check_patient_visit_cap(p_clinic_id, v_patient_id);
  return private.book(p_clinic_id, v_patient_id, p_slot_start, p_appointment_type_id, p_practitioner_id, true);
end
$$;

create or replace function public.book_fluid_place(
  p_clinic_id uuid,
  p_day date,
  p_appointment_type_id uuid default null,
  p_practitioner_id uuid default null,
  p_full_name text default null,
  p_language public.app_language default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
  v_patient_id uuid;
begin
  if p_clinic_id is null or not exists (select 1 from public.clinics where id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  perform private.require_confirmed_phone(); -- abuse17: before the patient record is made
  v_patient_id := (private.find_or_create_patient(p_clinic_id, v_uid, p_full_name, null, p_language) ->> 'patient_id')::uuid;
  perform private.check_patient_visit_cap(p_clinic_id, v_patient_id);
  return private.book_fluid(p_clinic_id, v_patient_id, p_day, p_appointment_type_id, p_practitioner_id, true);
end
$$;

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
    -- abuse17 S1: a self-made clinic's SMS are held until the platform operator approves it (approve_clinic_sms)
    insert into public.clinics (name, slug, time_zone, default_language, created_by, sms_held)
    values (p_name, p_slug, coalesce(p_time_zone, 'Africa/Casablanca'), coalesce(p_default_language, 'fr'), v_uid, true)
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
  v_patient_id uuid;
  v_skip text;
  v_keep numeric;
  v_held boolean;
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
    if v_n.status <> 'failed' or v_n.channel <> 'sms' then
      return jsonb_build_object('notification_id', v_n.id, 'status', v_n.status, 'reserved', false,
                                'duplicate', true, 'code', null, 'remaining_count', null,
                                'remaining_amount', null, 'alert', false, 'channel', v_n.channel);
    end if;
  end if;

  -- abuse17 S1: nothing is sent for a clinic the platform operator has not approved for SMS (approve_clinic_sms)
  select c.sms_held into v_held from public.clinics c where c.id = p_clinic_id;
  if v_held then
    v_skip := 'SMS are held until QueueMed approves this clinic';
  end if;
  -- a booking confirmation is not sent past the patient's daily allowance (private.confirmations_per_patient_day)
  if v_skip is null and p_kind = 'booking_confirmed' and p_entry_id is not null then
    select e.patient_id into v_patient_id from public.queue_entries e where e.id = p_entry_id;
    -- links17: every budget-paid confirmation counts (SMS, WhatsApp, an SMS sent in place of a refused email /
    -- WhatsApp), through one helper
    if private.patient_confirmations_today(p_clinic_id, v_patient_id, v_n.id)
       >= private.confirmations_per_patient_day() then
      v_skip := 'daily booking confirmations of this patient used up';
    end if;
  end if;
  -- the queue messages' share: a booking confirmation may not take the budget's last
  -- private.sms_queue_reserve_ratio() (20 %, at least one message), kept for your_turn / almost_turn and the rest
  v_keep := case when p_kind = 'booking_confirmed' then private.sms_queue_reserve_ratio() else 0 end;
  if v_skip is null then
    update public.sms_budgets b
       set reserved_count = b.reserved_count + 1, reserved_amount = b.reserved_amount + p_cost
     where b.clinic_id = p_clinic_id and b.month = v_month
       and b.reserved_count + b.spent_count + 1
             <= b.limit_count - case when v_keep > 0 then greatest(1, ceil(b.limit_count * v_keep)) else 0 end
       and b.reserved_amount + b.spent_amount + p_cost <= b.limit_amount - b.limit_amount * v_keep
    returning * into v_b;
    if v_b.clinic_id is null and v_keep > 0 then
      v_skip := 'the rest of the monthly SMS budget is kept for queue messages';
    end if;
  end if;

  if v_b.clinic_id is null then
    update public.notifications set status = 'skipped_budget', reserved = false, reserved_cost = 0,
                                    segments = p_segments, error = coalesce(v_skip, 'monthly SMS budget exhausted')
     where id = v_n.id;
    select * into v_b from public.sms_budgets where clinic_id = p_clinic_id and month = v_month;
    return jsonb_build_object('notification_id', v_n.id, 'status', 'skipped_budget', 'reserved', false,
                              'duplicate', false, 'code', case when v_held then 'SMS.CLINIC_NOT_APPROVED' else 'SMS.BUDGET_EXCEEDED' end,
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

create or replace function public.sms_budget_report(p_clinic_id uuid, p_month date default null) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_month date;
  v_b public.sms_budgets;
  v_alert_ratio numeric;
  v_used numeric;
  v_now date;
begin
  perform private.require_admin(p_clinic_id);
  v_now := private.budget_month(p_clinic_id);
  if v_now is null then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if p_month is not null and (not isfinite(p_month) or p_month < date '2020-01-01'
                              or p_month >= (v_now + interval '13 months')::date) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'the month must be between 2020-01 and 12 months from now');
  end if;
  v_month := coalesce(date_trunc('month', p_month)::date, v_now);
  perform private.ensure_budget(p_clinic_id, v_month);
  select * into v_b from public.sms_budgets where clinic_id = p_clinic_id and month = v_month;
  select (private.effective_settings(settings) ->> 'budget_alert_ratio')::numeric into v_alert_ratio
    from public.clinics where id = p_clinic_id;
  v_used := greatest(
    case when v_b.limit_count > 0 then (v_b.reserved_count + v_b.spent_count)::numeric / v_b.limit_count else 1 end,
    case when v_b.limit_amount > 0 then (v_b.reserved_amount + v_b.spent_amount) / v_b.limit_amount else 1 end);
  return jsonb_build_object(
    'clinic_id', p_clinic_id, 'month', v_month,
    'limit_count', v_b.limit_count, 'limit_amount', v_b.limit_amount,
    'reserved_count', v_b.reserved_count, 'reserved_amount', v_b.reserved_amount,
    'spent_count', v_b.spent_count, 'spent_amount', v_b.spent_amount,
    'sms_held', (select c.sms_held from public.clinics c where c.id = p_clinic_id), -- abuse17 S1
    'used_ratio', round(v_used, 4), 'alert_ratio', v_alert_ratio, 'alert', v_used >= v_alert_ratio,
    'by_status', coalesce((select jsonb_object_agg(s.status, s.n) from (
        select n.status, count(*) as n from public.notifications n
        where n.clinic_id = p_clinic_id and n.budget_month = v_month group by n.status) s), '{}'::jsonb));
end
$$;

-- ── S1: the platform operator's approval ──────────────────────────────────────────────────────────
-- approve_clinic_sms(p_clinic_id, p_approved) → { clinic_id, sms_held }. Service role only (the operator's
-- script, docs/operations.md); p_approved false holds a clinic's SMS again.
create function public.approve_clinic_sms(p_clinic_id uuid, p_approved boolean) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_c public.clinics;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  if p_approved is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_approved (true or false) is required');
  end if;
  update public.clinics set sms_held = not p_approved where id = p_clinic_id returning * into v_c;
  if v_c.id is null then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  return jsonb_build_object('clinic_id', v_c.id, 'sms_held', v_c.sms_held);
end
$$;
revoke all on function public.approve_clinic_sms(uuid, boolean) from public, anon, authenticated;
grant execute on function public.approve_clinic_sms(uuid, boolean) to service_role;

