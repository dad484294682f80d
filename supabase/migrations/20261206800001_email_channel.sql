-- Issue 20: the email channel, routed by the server.
--
-- patients.email (optional), patients.preferred_channel (sms | email; null = no preference),
-- patients.email_opt_out (honoured like sms_opt_out). notifications.channel (typed since the baseline) is now
-- set to 'email' for an email, with its subject in notifications.subject.
--
-- private.notification_route(patient): the ONE place that decides the channel of a patient's message — the
--   patient's preference, then the fallback order SMS, email — the first the patient can be reached on (a phone
--   not opted out of SMS; an address not unsubscribed from email). None → a skip reason (opted_out when an
--   address exists but was opted out, else no_phone). The TypeScript twin is
--   src/services/notification/models/ChannelChoice.ts (chooseChannel).
-- public.set_my_notification_preferences(p_clinic_id, p_channel, p_email): the patient sets their own
--   address and channel in a clinic where they have a record (booking creates it).
-- public.notification_recipient (newest: 20261201000500): also answers `channel` and `email` for a visit, so
--   send-sms (a staff browser's "your turn") routes on the server too.
-- public.notification_outbox (newest: 20261205800002), public.reminder_outbox (newest: 20261205800002): each
--   item carries `channel` and `email`; an item is skipped only when no channel reaches the patient.
-- public.notification_email_begin / notification_email_settle: an email recorded under the message's
--   idempotency key before the SMTP call (at most once), then settled sent | failed | simulated. Emails cost
--   nothing against the SMS budget (no reservation).

alter table public.patients
  add column email text
    check (email is null or (char_length(email) <= 254 and email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$')),
  add column preferred_channel public.notification_channel,
  add column email_opt_out boolean not null default false;

alter table public.notifications
  add column subject text check (subject is null or char_length(subject) <= 300);
alter table public.notifications add constraint notifications_subject_email
  check (subject is null or channel = 'email');

-- ── Routing: one decision, used by every sender ────────────────────────────────────────────────────
-- notification_route(p, clinic-wide sms opt-out of that number) → { channel, address, skip_reason }
create function private.notification_route(p public.patients)
returns table (channel public.notification_channel, address text, skip_reason public.notification_skip_reason)
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_sms_out boolean;
  v_try public.notification_channel;
  v_opted boolean := false;
begin
  if p.id is null then
    return query select null::public.notification_channel, null::text, 'no_phone'::public.notification_skip_reason;
    return;
  end if;
  -- STOP is honoured for the number (any record of the clinic with that phone), as notification_recipient does
  v_sms_out := p.sms_opt_out or (p.phone is not null and exists (
    select 1 from public.patients o where o.clinic_id = p.clinic_id and o.phone = p.phone and o.sms_opt_out));
  foreach v_try in array array[p.preferred_channel, 'sms', 'email']::public.notification_channel[] loop
    continue when v_try is null;
    if v_try = 'sms' and p.phone is not null then
      if not v_sms_out then
        return query select 'sms'::public.notification_channel, p.phone, null::public.notification_skip_reason;
        return;
      end if;
      v_opted := true;
    elsif v_try = 'email' and p.email is not null then
      if not p.email_opt_out then
        return query select 'email'::public.notification_channel, p.email, null::public.notification_skip_reason;
        return;
      end if;
      v_opted := true;
    end if;
  end loop;
  return query select null::public.notification_channel, null::text,
    (case when v_opted then 'opted_out' else 'no_phone' end)::public.notification_skip_reason;
end
$$;
revoke all on function private.notification_route(public.patients) from public, anon, authenticated;

-- ── The patient's own choice ───────────────────────────────────────────────────────────────────────
-- set_my_notification_preferences(p_clinic_id, p_channel, p_email) → { clinic_id, channel, email }.
-- The caller's own patient record in that clinic (404 NOT_FOUND without one: a booking creates it).
-- p_email: null or '' removes the address; p_channel null = no preference (SMS first). Email chosen without an
-- address, or an address that is not one → 422 VALIDATION.FAILED, nothing written. Choosing email again
-- re-subscribes an address that had unsubscribed.
create function public.set_my_notification_preferences(
  p_clinic_id uuid, p_channel public.notification_channel, p_email text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
  v_email text := nullif(lower(btrim(p_email)), '');
  v_p public.patients;
begin
  if v_email is not null and (char_length(v_email) > 254
       or v_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$') then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'the email address is not valid');
  end if;
  if p_channel = 'email' and v_email is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'an email address is required for email messages');
  end if;
  select * into v_p from public.patients where clinic_id = p_clinic_id and user_id = v_uid for update;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'no patient record of yours in this clinic');
  end if;
  update public.patients
     set email = v_email,
         preferred_channel = p_channel,
         email_opt_out = case when p_channel = 'email' then false
                              when v_email is distinct from v_p.email then false
                              else email_opt_out end
   where id = v_p.id
  returning * into v_p;
  return jsonb_build_object('clinic_id', v_p.clinic_id, 'channel', v_p.preferred_channel, 'email', v_p.email);
end
$$;
revoke all on function public.set_my_notification_preferences(uuid, public.notification_channel, text) from public, anon;
grant execute on function public.set_my_notification_preferences(uuid, public.notification_channel, text)
  to authenticated;

-- ── notification_recipient: + channel and email for a visit ───────────────────────────────────────
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
  v_route record;
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
    select * into v_route from private.notification_route(v_p);
    return jsonb_build_object('patient_id', v_p.id, 'phone', v_p.phone, 'sender', v_sender,
                              'language', coalesce(v_p.preferred_language, v_c.default_language),
                              'opted_out', v_p.sms_opt_out
                                or exists (select 1 from public.patients o where o.clinic_id = p_clinic_id
                                           and o.phone in (v_p.phone, p_phone) and o.sms_opt_out),
                              -- the channel the server routes this visit's messages to (null: none reaches)
                              -- and the address when it is email; a caller-given phone means SMS
                              'channel', case when p_phone is null then v_route.channel else 'sms' end,
                              'email', case when p_phone is null and v_route.channel = 'email'
                                            then v_route.address end);
  end if;
  if p_phone is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'an entry or an E.164 phone is required');
  end if;
  select * into v_p from public.patients where clinic_id = p_clinic_id and phone = p_phone
   order by sms_opt_out desc, updated_at desc limit 1;
  return jsonb_build_object('patient_id', v_p.id, 'phone', p_phone, 'sender', v_sender,
                            'language', coalesce(v_p.preferred_language, v_c.default_language),
                            'opted_out', coalesce(v_p.sms_opt_out, false), 'channel', 'sms', 'email', null);
end
$$;

-- ── The outboxes: routed per patient ───────────────────────────────────────────────────────────────
create or replace function public.notification_outbox(
  p_limit integer default 50, p_min_age_seconds integer default 20, p_max_age_seconds integer default 3600)
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
  v_e public.queue_entries;
  v_p public.patients;
  v_route record;
  v_values jsonb;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  for r in
    select ev.*, e.ticket_number, e.called_room, e.patient_id, p.full_name, p.preferred_language,
           c.name as clinic_name, c.default_language, c.ticket_prefix, c.settings, c.time_zone
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
    v_e := null;
    if v_key is not null then
      select * into v_e from public.queue_entries where id = r.entry_id;
    end if;
    if v_key is null
       -- a confirmation is owed while the visit is a pending booking whose slot has not started (a sweep
       -- that was down for a while still confirms); the other messages expire after p_max_age_seconds
       or (v_kind = 'booking_confirmed' and (v_e.kind is distinct from 'booked'
             or v_e.status not in ('scheduled', 'waiting') or v_e.slot_start <= private.now()))
       or (v_kind <> 'booking_confirmed' and r.occurred_at
             < private.now() - make_interval(secs => greatest(coalesce(p_max_age_seconds, 3600), 0)))
       or exists (select 1 from public.notifications n
                   where n.clinic_id = r.clinic_id and n.idempotency_key = v_key)
       or exists (select 1 from public.notifications n
                   where n.clinic_id = r.clinic_id and n.entry_id = r.entry_id and n.kind = v_kind
                     and n.created_at >= r.occurred_at) then
      update public.queue_events set notified_at = private.now() where id = r.id;
      continue;
    end if;
    v_lang := coalesce(r.preferred_language, r.default_language);
    select * into v_p from public.patients where id = r.patient_id;
    select * into v_route from private.notification_route(v_p);
    if v_route.channel is null then
      -- owed but not sendable on any channel: recorded in the message log as skipped with its reason (no
      -- recipient kept), under the message's own key, so it is recorded once and never sent later
      insert into public.notifications (clinic_id, entry_id, event_id, kind, language, idempotency_key,
                                        status, skip_reason)
      values (r.clinic_id, r.entry_id, r.id, v_kind, v_lang, v_key, 'skipped', v_route.skip_reason)
      on conflict (clinic_id, idempotency_key) do nothing;
      update public.queue_events set notified_at = private.now() where id = r.id;
      continue;
    end if;
    v_settings := private.effective_settings(r.settings);
    v_values := jsonb_build_object(
        'patient_name', r.full_name,
        'clinic_name', r.clinic_name,
        'ticket', coalesce(r.payload ->> 'ticket', private.ticket_label(r.ticket_prefix, r.ticket_number)),
        'room', coalesce(r.payload ->> 'room', r.called_room),
        'position', r.payload ->> 'position',
        'grace_minutes', coalesce(r.payload ->> 'graceMinutes', v_settings ->> 'grace_period_minutes'));
    if v_kind = 'booking_confirmed' then
      v_values := v_values || jsonb_build_object(
        'appointment_time', to_char(v_e.slot_start at time zone r.time_zone, 'DD/MM HH24:MI'));
    end if;
    v_out := v_out || jsonb_build_object(
      'event_id', r.id, 'clinic_id', r.clinic_id, 'entry_id', r.entry_id, 'kind', v_kind,
      'idempotency_key', v_key,
      'channel', v_route.channel,
      'phone', case when v_route.channel = 'sms' then v_route.address end,
      'email', case when v_route.channel = 'email' then v_route.address end,
      'language', v_lang,
      'template', coalesce(
        (select t.body from public.notification_templates t
          where t.clinic_id = r.clinic_id and t.kind = v_kind and t.language = v_lang),
        (select t.body from public.notification_templates t
          where t.clinic_id is null and t.kind = v_kind and t.language = v_lang)),
      'values', v_values,
      -- the visit's link token (rendered by the sender with the app's address: {tracking_url},
      -- {cancel_url}) for the messages that carry a link; null when the server cannot render it
      'tracking_token', case when v_kind in ('booking_confirmed', 'almost_turn', 'your_turn')
                             then private.entry_link(v_e) end);
  end loop;
  return v_out;
end
$function$;

create or replace function public.reminder_outbox(p_limit integer default 50)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.now();
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  return coalesce((
    select jsonb_agg(x.item order by x.slot_start, x.id)
      from (
        select e.id, e.slot_start, jsonb_build_object(
          'event_id', null, 'clinic_id', e.clinic_id, 'entry_id', e.id, 'kind', 'appointment_reminder',
          'idempotency_key', private.reminder_key(e.id, e.slot_start),
          'channel', rt.channel,
          -- the phone of an SMS reminder, also listed (as before) with a skip so the log keeps no address
          'phone', case when rt.channel = 'email' then null else p.phone end,
          'email', case when rt.channel = 'email' then rt.address end,
          'language', coalesce(p.preferred_language, c.default_language),
          'template', coalesce(
            (select t.body from public.notification_templates t
              where t.clinic_id = e.clinic_id and t.kind = 'appointment_reminder'
                and t.language = coalesce(p.preferred_language, c.default_language)),
            (select t.body from public.notification_templates t
              where t.clinic_id is null and t.kind = 'appointment_reminder'
                and t.language = coalesce(p.preferred_language, c.default_language))),
          'values', jsonb_build_object(
            'patient_name', p.full_name,
            'clinic_name', c.name,
            'ticket', private.ticket_label(c.ticket_prefix, e.ticket_number),
            'appointment_time', to_char(e.slot_start at time zone c.time_zone, 'DD/MM HH24:MI')),
          'tracking_token', private.entry_link(e),
          -- not sendable on any channel: the sweep records it as skipped with this reason, once
          'skip_reason', rt.skip_reason) as item
          from public.queue_entries e
          join public.clinics c on c.id = e.clinic_id
          join public.patients p on p.id = e.patient_id
          cross join lateral private.notification_route(p) rt
         where c.reminder_minutes_before is not null
           and e.kind = 'booked'
           and e.status in ('scheduled', 'waiting')
           and e.slot_start > v_now
           and e.slot_start <= v_now + make_interval(mins => c.reminder_minutes_before)
           and not exists (select 1 from public.notifications n
                            where n.clinic_id = e.clinic_id
                              and n.idempotency_key = private.reminder_key(e.id, e.slot_start))
         order by e.slot_start, e.id
         limit least(greatest(coalesce(p_limit, 50), 1), 500)
      ) x), '[]'::jsonb);
end
$$;

-- ── Email records ──────────────────────────────────────────────────────────────────────────────────
-- notification_email_begin(p_clinic_id, p_idempotency_key, p_kind, p_entry_id, p_recipient, p_subject, p_body,
--   p_event_id?, p_language?) → { notification_id, status, duplicate }. Staff of the clinic or the service
-- role. Records the email (channel email, queued) under the message's key BEFORE the SMTP call; the same key
-- again → duplicate, nothing to send. The recipient must be the address the server routes the visit's
-- messages to (a caller can never aim a clinic's email elsewhere): else 409 VALIDATION.FAILED.
create function public.notification_email_begin(
  p_clinic_id uuid, p_idempotency_key text, p_kind public.notification_kind, p_entry_id uuid,
  p_recipient text, p_subject text, p_body text, p_event_id bigint default null,
  p_language public.app_language default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_p public.patients;
  v_route record;
  v_n public.notifications;
begin
  perform private.require_staff(p_clinic_id);
  if p_idempotency_key is null or char_length(p_idempotency_key) not between 1 and 200 or p_kind is null
     or p_entry_id is null or p_recipient is null or p_subject is null or char_length(p_subject) not between 1 and 300
     or p_body is null or char_length(p_body) not between 1 and 2000 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'key, kind, visit, recipient, subject and body are required');
  end if;
  select p.* into v_p from public.queue_entries e join public.patients p on p.id = e.patient_id
   where e.id = p_entry_id and e.clinic_id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found in this clinic');
  end if;
  if p_event_id is not null and not exists (
       select 1 from public.queue_events where id = p_event_id and clinic_id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'event not found in this clinic');
  end if;
  select * into v_route from private.notification_route(v_p);
  if v_route.channel is distinct from 'email' or v_route.address is distinct from lower(btrim(p_recipient)) then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'this visit''s messages do not go to that address');
  end if;
  insert into public.notifications (clinic_id, entry_id, event_id, kind, channel, recipient, language, subject,
                                    body, idempotency_key, status, segments, cost, attempts)
  values (p_clinic_id, p_entry_id, p_event_id, p_kind, 'email', v_route.address,
          coalesce(p_language, v_p.preferred_language), p_subject, p_body, p_idempotency_key, 'queued', 0, 0, 0)
  on conflict (clinic_id, idempotency_key) do nothing
  returning * into v_n;
  if v_n.id is not null then
    return jsonb_build_object('notification_id', v_n.id, 'status', 'queued', 'duplicate', false);
  end if;
  select * into v_n from public.notifications where clinic_id = p_clinic_id and idempotency_key = p_idempotency_key;
  return jsonb_build_object('notification_id', v_n.id, 'status', v_n.status, 'duplicate', true);
end
$$;
revoke all on function public.notification_email_begin(uuid, text, public.notification_kind, uuid, text, text,
  text, bigint, public.app_language) from public, anon;
grant execute on function public.notification_email_begin(uuid, text, public.notification_kind, uuid, text, text,
  text, bigint, public.app_language) to authenticated, service_role;

-- notification_email_settle(p_notification_id, p_status, p_provider_id?, p_error?) → { notification_id, status,
--   attempts }. p_status: sent | failed | simulated; only a queued email moves (409 otherwise). Staff of the
-- clinic or the service role.
create function public.notification_email_settle(
  p_notification_id uuid, p_status public.notification_status, p_provider_id text default null,
  p_error text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_n public.notifications;
begin
  if p_status is null or p_status not in ('sent', 'failed', 'simulated') then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'status must be sent, failed or simulated');
  end if;
  select * into v_n from public.notifications where id = p_notification_id for update;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'notification not found');
  end if;
  perform private.require_staff(v_n.clinic_id);
  if v_n.channel <> 'email' or v_n.status <> 'queued' then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'not an email being sent');
  end if;
  update public.notifications
     set status = p_status, provider_id = left(p_provider_id, 300), attempts = attempts + 1,
         error = case when p_status = 'failed' then left(coalesce(p_error, 'not sent'), 2000) end,
         sent_at = case when p_status in ('sent', 'simulated') then private.now() end
   where id = v_n.id
  returning * into v_n;
  return jsonb_build_object('notification_id', v_n.id, 'status', v_n.status, 'attempts', v_n.attempts);
end
$$;
revoke all on function public.notification_email_settle(uuid, public.notification_status, text, text) from public, anon;
grant execute on function public.notification_email_settle(uuid, public.notification_status, text, text)
  to authenticated, service_role;
