-- Issue 10 (security), database side: no identity without proof, no SMS relay, idempotency per clinic.
--
-- 1. claim_patient_records / accept_staff_invitation rely on an identity only when it was VERIFIED
--    (auth.users.phone_confirmed_at / email_confirmed_at, as on Supabase) AND the caller's JWT carries that
--    same phone / email (a session minted before an unverified change does not), and — for invitations —
--    it is the invitation's own address or phone.
-- 2. SMS by reference: notification_prepare(clinic, entry, kind, …) is what send-sms renders from. The
--    recipient is the visit's patient (a visit of THIS clinic), the text the clinic's template filled with
--    values the database holds; a queue message needs a logged event of that visit that owes it. A browser
--    never supplies a phone number or a text.
-- 3. Idempotency keys are unique per clinic, so another clinic can never take a key first (and the outbox
--    only counts this clinic's messages).
-- 4. A clinic's own sender (clinics.sms_sender) takes effect only once the platform operator approved that
--    exact value (approve_sms_sender, service role): anyone can create a clinic and type "CIH BANK".
-- 5. create_clinic is rate-limited per account (3 per 24 h, 10 in all; the service role is exempt).
-- 6. sms_budget_report's p_month must be a real month near now (no '-infinity' budget rows).

-- ── Helpers: the caller's JWT identity (Supabase puts phone digits without '+', and the email) ───────────
create function private.jwt_phone_digits() returns text
language sql stable
set search_path = ''
as $$ select nullif(regexp_replace(coalesce(auth.jwt() ->> 'phone', ''), '\D', '', 'g'), '') $$;

create function private.jwt_email() returns text
language sql stable
set search_path = ''
as $$ select nullif(lower(btrim(coalesce(auth.jwt() ->> 'email', ''))), '') $$;

-- ── 1. Identity claims ────────────────────────────────────────────────────────────────────────────────
-- claim_patient_records() → number of walk-in records linked to the caller: records of any clinic whose
-- phone equals the caller's VERIFIED phone (phone_confirmed_at set, and the same phone in the JWT) and
-- that no account holds yet.
create or replace function public.claim_patient_records() returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
  v_digits text;
  v_count integer;
begin
  select nullif(regexp_replace(coalesce(u.phone, ''), '\D', '', 'g'), '') into v_digits
    from auth.users u where u.id = v_uid and u.phone_confirmed_at is not null;
  if v_digits is null then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'verify your phone number first');
  end if;
  if private.jwt_phone_digits() is distinct from v_digits then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'sign in again with your verified phone number');
  end if;
  update public.patients p set user_id = v_uid
   where p.phone = '+' || v_digits and p.user_id is null
     and not exists (select 1 from public.patients o where o.clinic_id = p.clinic_id and o.user_id = v_uid);
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

-- accept_staff_invitation(p_token) → { clinic_id, member_id, role }. Only the invited recipient: the
-- invitation's email equals the caller's confirmed email AND the JWT's email, or the invitation's phone
-- equals the caller's confirmed phone AND the JWT's phone. Once, before expiry.
create or replace function public.accept_staff_invitation(p_token text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
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
  if v_inv.expires_at <= now() then
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
  update public.staff_invitations set accepted_at = now(), accepted_by = v_uid where id = v_inv.id;
  return jsonb_build_object('clinic_id', v_inv.clinic_id, 'member_id', v_member_id, 'role', v_inv.role);
end
$$;

-- ── 3. Idempotency keys per clinic ──────────────────────────────────────────────────────────────────────
alter table public.notifications drop constraint notifications_idempotency_key_key;
alter table public.notifications
  add constraint notifications_clinic_idempotency_key unique (clinic_id, idempotency_key);

-- sms_budget_reserve: as before (20261124000500), the key is looked up within the clinic only.
create or replace function public.sms_budget_reserve(
  p_clinic_id uuid,
  p_idempotency_key text,
  p_kind public.notification_kind,
  p_segments integer,
  p_cost numeric,
  p_entry_id uuid default null,
  p_event_id bigint default null,
  p_recipient text default null,
  p_language public.app_language default null,
  p_body text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
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
    update public.sms_budgets set alerted_at = now() where clinic_id = p_clinic_id and month = v_month;
    v_alert := true;
  end if;
  return jsonb_build_object('notification_id', v_n.id, 'status', 'queued', 'reserved', true,
                            'duplicate', false, 'code', null,
                            'remaining_count', v_b.limit_count - v_b.reserved_count - v_b.spent_count,
                            'remaining_amount', v_b.limit_amount - v_b.reserved_amount - v_b.spent_amount,
                            'alert', v_alert);
end
$$;

-- notification_outbox: as 20261124001500, with "already sent" counted within the event's clinic only.
create or replace function public.notification_outbox(
  p_limit integer default 50, p_min_age_seconds integer default 20, p_max_age_seconds integer default 3600)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
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
       and ev.occurred_at <= now() - make_interval(secs => greatest(coalesce(p_min_age_seconds, 20), 0))
     order by ev.id
     limit least(greatest(coalesce(p_limit, 50), 1), 500)
     for update of ev skip locked
  loop
    v_kind := private.event_notification_kind(r.type, r.payload);
    v_key := case when v_kind is not null and r.entry_id is not null
                  then private.event_notification_key(v_kind, r.entry_id, r.correlation_id, r.payload, r.id) end;
    if v_key is null or r.phone is null or r.sms_opt_out
       or r.occurred_at < now() - make_interval(secs => greatest(coalesce(p_max_age_seconds, 3600), 0))
       or exists (select 1 from public.notifications n
                   where n.clinic_id = r.clinic_id and n.idempotency_key = v_key)
       or exists (select 1 from public.notifications n
                   where n.clinic_id = r.clinic_id and n.entry_id = r.entry_id and n.kind = v_kind
                     and n.created_at >= r.occurred_at) then
      update public.queue_events set notified_at = now() where id = r.id;
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
$$;

-- ── 4. The clinic's own sender, approved by the platform operator ────────────────────────────────────
-- sms_sender_approved: the exact sender value the operator approved (service role only: no column grant).
-- The sender in use is sms_sender when it equals the approved value, else the platform's.
alter table public.clinics add column sms_sender_approved text;
comment on column public.clinics.sms_sender_approved is
  'The sms_sender value the platform operator approved (approve_sms_sender). Until then the platform sender is used.';

create function private.effective_sms_sender(c public.clinics) returns text
language sql immutable
set search_path = ''
as $$ select case when c.sms_sender is not null and c.sms_sender = c.sms_sender_approved then c.sms_sender end $$;

-- approve_sms_sender(p_clinic_id, p_sender) → { clinic_id, sms_sender, approved }. Service role only. The
-- value must be the one the clinic set (so an approval never applies to a later, different value);
-- p_sender null withdraws the approval.
create function public.approve_sms_sender(p_clinic_id uuid, p_sender text) returns jsonb
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
  select * into v_c from public.clinics where id = p_clinic_id for update;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if p_sender is not null and p_sender is distinct from v_c.sms_sender then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'this is not the clinic''s requested sender');
  end if;
  update public.clinics set sms_sender_approved = p_sender where id = p_clinic_id returning * into v_c;
  return jsonb_build_object('clinic_id', v_c.id, 'sms_sender', v_c.sms_sender,
                            'approved', private.effective_sms_sender(v_c) is not null);
end
$$;

-- notification_recipient(…) → { patient_id, phone, sender, language, opted_out }: as 20261124001600, the
-- sender only once approved.
create or replace function public.notification_recipient(p_clinic_id uuid, p_entry_id uuid default null, p_phone text default null)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_p public.patients;
  v_c public.clinics;
  v_sender text;
begin
  perform private.require_staff(p_clinic_id);
  select * into v_c from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  v_sender := private.effective_sms_sender(v_c);
  if p_phone is not null and not private.is_e164(p_phone) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'the phone must be E.164');
  end if;
  if p_entry_id is not null then
    select p.* into v_p from public.queue_entries e join public.patients p on p.id = e.patient_id
     where e.id = p_entry_id and e.clinic_id = p_clinic_id;
    if not found then
      perform private.raise_error(404, 'NOT_FOUND', 'visit not found in this clinic');
    end if;
    return jsonb_build_object('patient_id', v_p.id, 'phone', v_p.phone, 'sender', v_sender,
                              'language', coalesce(v_p.preferred_language, v_c.default_language),
                              'opted_out', v_p.sms_opt_out
                                or exists (select 1 from public.patients o where o.clinic_id = p_clinic_id
                                           and o.phone in (v_p.phone, p_phone) and o.sms_opt_out));
  end if;
  if p_phone is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'an entry or an E.164 phone is required');
  end if;
  select * into v_p from public.patients where clinic_id = p_clinic_id and phone = p_phone
   order by sms_opt_out desc, updated_at desc limit 1;
  return jsonb_build_object('patient_id', v_p.id, 'phone', p_phone, 'sender', v_sender,
                            'language', coalesce(v_p.preferred_language, v_c.default_language),
                            'opted_out', coalesce(v_p.sms_opt_out, false));
end
$$;

-- ── 2. SMS by reference ─────────────────────────────────────────────────────────────────────────────────
-- notification_prepare(p_clinic_id, p_entry_id, p_kind, p_event_id?, p_correlation_id?, p_position?,
--   p_tracking_token?) → { kind, entry_id, event_id, idempotency_key, language, template, values,
--   tracking_token_ok }
-- What send-sms may send, decided here. Staff of the clinic or the service role; the visit must be this
-- clinic's.
--   your_turn, still_next, marked_absent, returned, cancelled, no_show: a logged event of this visit that
--     owes that message (the newest, or p_event_id / p_correlation_id's). Key: private.event_notification_key
--     (the outbox's), so the browser and the sweep still send one message between them.
--   booking_confirmed: a booked visit not yet over; key booking_confirmed:<entry>; appointment_time from
--     the slot in the clinic's zone; tracking_token_ok when p_tracking_token is this visit's token (the
--     function then builds the tracking link; the token is stored hashed, so only its holder can pass it).
--   almost_turn: a visit waiting in today's queue; key almost_turn:<entry>:once; p_position an integer
--     between 1 and the clinic's notify_at_position.
-- Coded errors: 422 VALIDATION.FAILED (bad kind / position), 404 NOT_FOUND (no such visit here, no event
-- owing it), 409 QUEUE.ILLEGAL_TRANSITION (the visit is not in a state that owes the message).
create function public.notification_prepare(
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
    'tracking_token_ok', v_token_ok);
end
$$;

-- ── 5. create_clinic, rate-limited per account ──────────────────────────────────────────────────────────
-- create_clinic(p_name, p_slug, p_time_zone?, p_default_language?, p_display_name?) → { clinic_id, member_id }
-- Any signed-in user; the caller becomes the clinic's owner. At most 3 clinics per account in 24 hours and
-- 10 in all (429 RATE.LIMITED) — a clinic comes with an SMS budget, so accounts must not mint them freely.
create or replace function public.create_clinic(
  p_name text,
  p_slug text,
  p_time_zone text default 'Africa/Casablanca',
  p_default_language public.app_language default 'fr',
  p_display_name text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
  v_clinic_id uuid;
  v_member_id uuid;
  v_name text;
begin
  -- one account's creations are serialized, so two at once cannot both pass the count
  perform pg_catalog.pg_advisory_xact_lock(hashtextextended('create_clinic:' || v_uid::text, 0));
  if (select count(*) from public.clinics where created_by = v_uid and created_at > now() - interval '24 hours') >= 3
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
$$;

-- ── 6. sms_budget_report: a real month ──────────────────────────────────────────────────────────────────
-- As 20261124000500, and p_month must be finite, from 2020-01 and at most 12 months after the clinic's
-- current month (422 VALIDATION.FAILED, nothing written).
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
    'used_ratio', round(v_used, 4), 'alert_ratio', v_alert_ratio, 'alert', v_used >= v_alert_ratio,
    'by_status', coalesce((select jsonb_object_agg(s.status, s.n) from (
        select n.status, count(*) as n from public.notifications n
        where n.clinic_id = p_clinic_id and n.budget_month = v_month group by n.status) s), '{}'::jsonb));
end
$$;

-- ── Grants ──────────────────────────────────────────────────────────────────────────────────────────────
revoke all on function private.jwt_phone_digits(), private.jwt_email(),
  private.effective_sms_sender(public.clinics) from public;
grant execute on function private.jwt_phone_digits(), private.jwt_email(),
  private.effective_sms_sender(public.clinics) to anon, authenticated, service_role;
revoke execute on function
  public.notification_prepare(uuid, uuid, public.notification_kind, bigint, uuid, integer, text),
  public.approve_sms_sender(uuid, text)
from public, anon, authenticated;
grant execute on function
  public.notification_prepare(uuid, uuid, public.notification_kind, bigint, uuid, integer, text)
to authenticated, service_role;
grant execute on function public.approve_sms_sender(uuid, text) to service_role;
