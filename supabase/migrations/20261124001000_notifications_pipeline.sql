-- The notification pipeline's database side (issue 7): recipient lookup with opt-out, provider attempts,
-- delivery receipts, two-way SMS (late / cancel / STOP) and the outbox the periodic sweep drains.
-- The edge functions (supabase/functions/*) call these through PostgREST; budget reservation and settling
-- stay in sms_budget_reserve / sms_budget_settle.

-- ── Which message a queue event owes, and the key that makes it "at most once" ──────────────────────
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

create function private.event_notification_key(
  p_kind public.notification_kind, p_entry_id uuid, p_correlation_id uuid, p_payload jsonb, p_event_id bigint)
returns text
language sql immutable
set search_path = ''
as $$
  select p_kind::text || ':' || p_entry_id::text || ':'
      || coalesce(p_correlation_id::text, nullif(p_payload ->> 'correlationId', ''), 'event-' || p_event_id::text)
$$;

-- ── Recipient: the patient's phone, language and opt-out ──────────────────────────────────────────
-- notification_recipient(p_clinic_id, p_entry_id?, p_phone?) → { phone, language, opted_out, patient_id }
-- With an entry: that visit's patient (phone may be null: nothing to send). With only a phone: opted_out
-- is true when any record of this clinic with that phone opted out. Staff of the clinic or service role.
create function public.notification_recipient(p_clinic_id uuid, p_entry_id uuid default null, p_phone text default null)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_p public.patients;
  v_clinic_lang public.app_language;
begin
  perform private.require_staff(p_clinic_id);
  select default_language into v_clinic_lang from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if p_entry_id is not null then
    select p.* into v_p from public.queue_entries e join public.patients p on p.id = e.patient_id
     where e.id = p_entry_id and e.clinic_id = p_clinic_id;
    if not found then
      perform private.raise_error(404, 'NOT_FOUND', 'visit not found in this clinic');
    end if;
    return jsonb_build_object('patient_id', v_p.id, 'phone', v_p.phone,
                              'language', coalesce(v_p.preferred_language, v_clinic_lang),
                              'opted_out', v_p.sms_opt_out
                                or exists (select 1 from public.patients o where o.clinic_id = p_clinic_id
                                           and o.phone = v_p.phone and o.sms_opt_out));
  end if;
  if p_phone is null or not private.is_e164(p_phone) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'an entry or an E.164 phone is required');
  end if;
  select * into v_p from public.patients where clinic_id = p_clinic_id and phone = p_phone
   order by sms_opt_out desc, updated_at desc limit 1;
  return jsonb_build_object('patient_id', v_p.id, 'phone', p_phone,
                            'language', coalesce(v_p.preferred_language, v_clinic_lang),
                            'opted_out', coalesce(v_p.sms_opt_out, false));
end
$$;

-- ── Provider attempts (a failed try that will be retried or given up) ────────────────────────────────
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
create index notifications_provider_idx on public.notifications (provider_id) where provider_id is not null;

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

-- ── The outbox: events that owe a message and have none ───────────────────────────────────────────
-- notification_outbox(p_limit, p_min_age_seconds, p_max_age_seconds) → [{ event_id, clinic_id, entry_id,
--   kind, idempotency_key, phone, language, template, values{…} }]
-- Events younger than p_min_age_seconds are left to the browser that saved them. Events that owe nothing
-- (no message for that type, no phone, opted out, older than p_max_age_seconds: a "your turn" an hour
-- late helps nobody) or whose message already exists are marked notified here. The caller sends the
-- rest through the same idempotent path and marks them with mark_events_notified. Service role only.
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
      left join public.queue_entries e on e.id = ev.entry_id
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
       or exists (select 1 from public.notifications n where n.idempotency_key = v_key) then
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

-- ── Grants (Supabase's default privileges give new functions to anon/authenticated: narrow them) ───
revoke execute on function
  public.notification_recipient(uuid, uuid, text),
  public.notification_record_attempt(uuid, text),
  public.sms_delivery_update(text, public.notification_status, text),
  public.sms_inbound_apply(text, text),
  public.notification_outbox(integer, integer, integer)
from public, anon, authenticated;
revoke all on function
  private.event_notification_kind(text, jsonb),
  private.event_notification_key(public.notification_kind, uuid, uuid, jsonb, bigint)
from public;
grant execute on function
  private.event_notification_kind(text, jsonb),
  private.event_notification_key(public.notification_kind, uuid, uuid, jsonb, bigint)
to anon, authenticated, service_role;
grant execute on function
  public.notification_recipient(uuid, uuid, text),
  public.notification_record_attempt(uuid, text)
to authenticated;
grant execute on function
  public.notification_recipient(uuid, uuid, text),
  public.notification_record_attempt(uuid, text),
  public.sms_delivery_update(text, public.notification_status, text),
  public.sms_inbound_apply(text, text),
  public.notification_outbox(integer, integer, integer)
to service_role;
