-- QueueMed baseline (6/8): the notification pipeline's database side (issue 7): recipient lookup with
-- opt-out, provider attempts, delivery receipts, two-way SMS (late / cancel / STOP), the outbox the periodic
-- sweep drains, staff invitation delivery, SMS by reference (notification_prepare) and the clinic's own
-- sender once approved. The edge functions (supabase/functions/*) call these through PostgREST; budget
-- reservation and settling are sms_budget_reserve / sms_budget_settle (20261201000400_clinic_staff.sql).

-- ── Which message a queue event owes, and the key that makes it "at most once" ─────────────────────
-- The browser's NotificationService and the sweep derive the same key for the same event:
--   <kind>:<entry_id>:<correlation>   (correlation = the command's correlation id, else 'event-<id>')
-- so whichever runs first sends and the other finds the key taken (src/services/notification/channels/
-- idempotency.ts is the TypeScript twin).
create function private.event_notification_kind(p_type text, p_payload jsonb)
returns public.notification_kind
language sql immutable
set search_path = ''
as $$
  select case p_type
    when 'PatientCalled' then 'your_turn'
    when 'PatientOvertaken' then 'still_next'
    when 'PatientMarkedAbsent' then 'marked_absent'
    when 'PatientReturned' then 'returned'
    when 'EntryCancelled' then 'cancelled'
    -- a patient who cancelled (web or SMS) already knows; staff cancellations are announced
    when 'AppointmentCancelled' then case when coalesce(p_payload ->> 'by', 'staff') = 'staff' then 'cancelled' end
    when 'GraceExpired' then 'no_show'
    when 'PatientNoShow' then 'no_show'
  end::public.notification_kind
$$;
-- Idempotency keys of the messages that are once per visit (cancelled, no_show): <kind>:<entry id>, the
-- same key the browser's NotificationService uses for them (src/services/notification/channels/
-- idempotency.ts), so a cancellation or a no-show is announced once whichever side sends it. The others
-- stay <kind>:<entry id>:<correlation id>.
create function private.event_notification_key(
  p_kind public.notification_kind, p_entry_id uuid, p_correlation_id uuid, p_payload jsonb, p_event_id bigint)
returns text
language sql immutable
set search_path = ''
as $$
  select case when p_kind in ('cancelled', 'no_show', 'booking_confirmed')
    then p_kind::text || ':' || p_entry_id::text
    else p_kind::text || ':' || p_entry_id::text || ':'
      || coalesce(p_correlation_id::text, nullif(p_payload ->> 'correlationId', ''), 'event-' || p_event_id::text)
  end
$$;

-- ── Recipient: the patient's phone, language and opt-out ───────────────────────────────────────────
-- notification_recipient(p_clinic_id, p_entry_id?, p_phone?) → { patient_id, phone, sender, language, opted_out }
-- With an entry: that visit's patient (phone may be null: nothing to send). With only a phone: opted_out
-- is true when any record of this clinic with that phone opted out. Staff of the clinic or service role.
-- STOP is honoured for the number a message actually goes to: with both a visit and a phone, opted_out is
-- true when the visit's patient opted out OR any record of the clinic with either number did (a caller may
-- pass a phone other than the one on file). `sender`: the clinic's own SMS sender once the platform
-- operator approved it (private.effective_sms_sender), else null = the platform's.
create function public.notification_recipient(p_clinic_id uuid, p_entry_id uuid default null, p_phone text default null)
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

-- ── Provider attempts (a failed try that will be retried or given up) ──────────────────────────────
-- notification_record_attempt(p_notification_id, p_error) → attempts. Staff of the clinic or service role.
-- Only while the message is queued (reserved); the final try is counted by sms_budget_settle.
create function public.notification_record_attempt(p_notification_id uuid, p_error text default null)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_n public.notifications;
begin
  select * into v_n from public.notifications where id = p_notification_id for update;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'notification not found');
  end if;
  perform private.require_staff(v_n.clinic_id);
  if v_n.status <> 'queued' then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'the message is no longer being sent');
  end if;
  update public.notifications set attempts = attempts + 1, error = left(p_error, 2000)
   where id = p_notification_id returning attempts into v_n.attempts;
  return v_n.attempts;
end
$$;

-- ── Delivery receipts (Twilio status callbacks; the function verified the signature) ───────────────
-- sms_delivery_update(p_provider_id, p_status, p_error?) → { notification_id, status, changed } or null
-- when no message has that provider id. p_status: delivered | failed. Only a sent message moves (a late
-- "failed" never overwrites "delivered"; the budget is not refunded: the provider bills attempts).
-- Service role only.
create function public.sms_delivery_update(p_provider_id text, p_status public.notification_status, p_error text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_n public.notifications;
  v_changed boolean := false;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  if p_provider_id is null or p_status is null or p_status not in ('delivered', 'failed') then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'provider id and status (delivered, failed) are required');
  end if;
  select * into v_n from public.notifications where provider_id = p_provider_id for update;
  if not found then
    return null;
  end if;
  if v_n.status = 'sent' then
    update public.notifications
       set status = p_status,
           error = case when p_status = 'failed' then left(coalesce(p_error, 'undelivered'), 2000) else null end
     where id = v_n.id
    returning * into v_n;
    v_changed := true;
  end if;
  return jsonb_build_object('notification_id', v_n.id, 'status', v_n.status, 'changed', v_changed);
end
$$;

-- ── Two-way SMS ────────────────────────────────────────────────────────────────────────────────────
-- sms_inbound_apply(p_from, p_intent) → { intent, applied, reason, language, clinic_name, ticket, entry_id }
-- p_intent: late | cancel | stop (parsed by the function). late/cancel act on the sender's visit today
-- (the most recent non-final visit of a patient record with that phone, in its clinic's local day):
-- late marks it late (PatientRunningLate, source sms); cancel cancels it (AppointmentCancelled, by
-- patient, via sms) — the same-day notice rule of the web does not apply: a patient who will not come
-- frees the slot. stop opts every record with that phone out of SMS. Each change bumps the queue
-- version, so a screen computing from the old version gets 409 and reloads. Service role only.
create function public.sms_inbound_apply(p_from text, p_intent text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
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
    update public.queue_entries set late = true, running_late_at = now() where id = r.id;
    perform private.log_event(r.queue_id, r.clinic_id, r.id, 'PatientRunningLate',
      jsonb_build_object('ticket', private.ticket_label(r.ticket_prefix, r.ticket_number), 'source', 'sms'));
  else
    update public.queue_entries set status = 'cancelled', cancelled_at = now(), cancel_reason = 'SMS'
     where id = r.id;
    perform private.log_event(r.queue_id, r.clinic_id, r.id, 'AppointmentCancelled',
      jsonb_build_object('ticket', private.ticket_label(r.ticket_prefix, r.ticket_number), 'by', 'patient', 'via', 'sms'));
  end if;
  perform private.bump_version(r.queue_id);
  return jsonb_build_object('intent', p_intent, 'applied', true, 'reason', null, 'language', r.language,
                            'clinic_name', r.clinic_name,
                            'ticket', private.ticket_label(r.ticket_prefix, r.ticket_number), 'entry_id', r.id);
end
$$;

-- ── The outbox: events that owe a message and have none ────────────────────────────────────────────
-- notification_outbox(p_limit, p_min_age_seconds, p_max_age_seconds) → [{ event_id, clinic_id, entry_id,
--   kind, idempotency_key, phone, language, template, values{…} }]
-- Events younger than p_min_age_seconds are left to the browser that saved them. Events that owe nothing
-- (no message for that type, no phone, opted out, older than p_max_age_seconds: a "your turn" an hour
-- late helps nobody) or whose message already exists are marked notified here. The caller sends the
-- rest through the same idempotent path and marks them with mark_events_notified. Service role only.
-- An event is also served when a message of the same kind for the same visit was recorded at or after the
-- event (the browser sent it), whatever idempotency key that message used — so the sweep never doubles a
-- message the browser already sent, even with a differently built key. "Already sent" is counted within
-- the event's clinic only.
create function public.notification_outbox(
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

-- ── Staff invitation delivery ──────────────────────────────────────────────────────────────────────
-- send-staff-invitation (issue 7): what the function needs to deliver an invitation link, checked here.

-- staff_invitation_delivery(p_invitation_id, p_token) → { invitation_id, clinic_id, clinic_name, language,
--   display_name, email, phone, expires_at, templates: { ar, fr, en } } (the clinic's staff_invitation
--   text in each language, else the built-in one)
-- Owner/admin of the invitation's clinic (or service role). The token (shown once by
-- create_staff_invitation, stored hashed) must be this invitation's, and the invitation still pending
-- (not accepted, revoked or expired) — so the function can only ever send a link that works.
create function public.staff_invitation_delivery(p_invitation_id uuid, p_token text)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
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
  if v_inv.accepted_at is not null or v_inv.revoked_at is not null or v_inv.expires_at <= now() then
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
$$;

-- ── Interrupted sends ──────────────────────────────────────────────────────────────────────────────
-- A send interrupted mid-way (the function died between recording the message and settling it) leaves a
-- `queued` message holding a budget reservation. Whether Twilio got it is unknown, so it is never resent
-- (at most once); the sweep closes it as failed with a clear reason, which releases the reservation and
-- shows it in the admin message log.

-- notification_close_interrupted(p_older_than_seconds default 600) → how many messages were closed.
-- Service role only (the notification sweep).
create function public.notification_close_interrupted(p_older_than_seconds integer default 600)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
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
       and updated_at < now() - make_interval(secs => greatest(coalesce(p_older_than_seconds, 600), 60))
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
$$;

-- ── The clinic's own sender, approved by the platform operator (issue 10) ──────────────────────────
-- clinics.sms_sender_approved: the exact sender value the operator approved (service role only: no column
-- grant). The sender in use is sms_sender when it equals the approved value, else the platform's.
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

-- ── SMS by reference (issue 10) ────────────────────────────────────────────────────────────────────
-- notification_prepare is what send-sms renders from. The recipient is the visit's patient (a visit of
-- THIS clinic), the text the clinic's template filled with values the database holds; a queue message
-- needs a logged event of that visit that owes it. A browser never supplies a phone number or a text.
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
