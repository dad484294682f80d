-- Issue 20: WhatsApp as a channel (Twilio's WhatsApp sender, Messages API), routed by the server like SMS and
-- email, recorded in the same message log and counted in the same monthly messaging budget.
--
-- patients.whatsapp_opt_out: STOP sent on WhatsApp (any record of the clinic with that number, as SMS's STOP):
--   WhatsApp is no longer a channel for that number; SMS stays allowed (sms_opt_out is untouched).
-- patients.whatsapp_inbound_at: the patient's last inbound WhatsApp message — the start of WhatsApp's 24-hour
--   customer service window. Inside it a free-form body may be sent; outside it only an approved template.
-- clinics.whatsapp_sender: the clinic's own WhatsApp number (E.164; null: the platform's TWILIO_WHATSAPP_FROM).
-- clinics.whatsapp_templates: the clinic's approved Twilio Content templates, per kind and language:
--   { "<kind>": { "<ar|fr|en>": { "sid": "HX…32 hex", "variables": ["patient_name", "ticket", …] } } }
--   variables[i] fills the template's {{i+1}} (ContentVariables); each must be a variable of that kind.
-- notifications.content_sid: on a WhatsApp message sent as a template, the template's SID (null: free-form).
--
-- private.notification_route (newest: 20261208500002): + 'whatsapp' when chosen (patient, then clinic default)
--   and the number has not opted out of WhatsApp. The fallback order after the choices stays SMS, email.
-- private.outbox_item (newest: 20261207400001): a WhatsApp item lists no phone (the sender asks the visit's
--   route, as for email).
-- public.set_my_notification_preferences (newest: 20261208500002): + 'whatsapp' (needs the record's phone;
--   choosing it again clears a WhatsApp STOP).
-- public.set_whatsapp_settings(p_clinic_id, p_sender, p_templates): owners/admins.
-- public.notification_whatsapp_begin(...): the sender's one call before Twilio — decides session (window open)
--   | template (a SID for the kind and language) | fallback (neither: nothing recorded, the message goes by SMS),
--   then records the message under its key with a budget reservation (as sms_budget_reserve).
-- public.whatsapp_inbound_apply(p_from, p_stop): service role; opens the window, applies STOP to WhatsApp only.
-- public.notification_sms_fallback (newest: 20261207400002): + a failed WhatsApp message (refused by Twilio or a
--   failed/undelivered receipt) falls back to SMS once, like a refused email; the body defaults to the message's.
-- public.sms_delivery_update (newest: 20261201000500): + answers the message's channel, so the status callback
--   knows a failed WhatsApp receipt owes its SMS fallback.

alter table public.patients
  add column whatsapp_opt_out boolean not null default false,
  add column whatsapp_inbound_at timestamptz;

alter table public.clinics
  add column whatsapp_sender text check (whatsapp_sender is null or whatsapp_sender ~ '^\+[1-9][0-9]{6,14}$'),
  add column whatsapp_templates jsonb not null default '{}'::jsonb
    check (jsonb_typeof(whatsapp_templates) = 'object');

alter table public.notifications
  add column content_sid text check (content_sid is null or content_sid ~ '^HX[0-9a-fA-F]{32}$');

-- ── Routing ─────────────────────────────────────────────────────────────────────────────────────────
create or replace function private.notification_route(p public.patients)
returns table (channel public.notification_channel, address text, skip_reason public.notification_skip_reason)
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_sms_out boolean;
  v_wa_out boolean;
  v_try public.notification_channel;
  v_opted boolean := false;
  v_default public.notification_channel;
begin
  if p.id is null then
    return query select null::public.notification_channel, null::text, 'no_phone'::public.notification_skip_reason;
    return;
  end if;
  -- STOP is honoured for the number (any record of the clinic with that phone), as notification_recipient does
  v_sms_out := p.sms_opt_out or (p.phone is not null and exists (
    select 1 from public.patients o where o.clinic_id = p.clinic_id and o.phone = p.phone and o.sms_opt_out));
  v_wa_out := p.whatsapp_opt_out or (p.phone is not null and exists (
    select 1 from public.patients o where o.clinic_id = p.clinic_id and o.phone = p.phone and o.whatsapp_opt_out));
  select c.default_channel into v_default from public.clinics c where c.id = p.clinic_id;
  foreach v_try in array array[p.preferred_channel, v_default, 'sms', 'email']::public.notification_channel[] loop
    continue when v_try is null;
    if v_try = 'sms' and p.phone is not null then
      if not v_sms_out then
        return query select 'sms'::public.notification_channel, p.phone, null::public.notification_skip_reason;
        return;
      end if;
      v_opted := true;
    elsif v_try = 'whatsapp' and p.phone is not null then
      if not v_wa_out then
        return query select 'whatsapp'::public.notification_channel, p.phone, null::public.notification_skip_reason;
        return;
      end if;
      v_opted := true;
    elsif v_try = 'email' and p.email is not null then
      -- an address the mail server refused for good is no channel: passed over, not reported as opted out
      continue when p.email_bounced_at is not null;
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

create or replace function private.outbox_item(
  p_kind public.notification_kind, p_key text, p_event_id bigint, p_e public.queue_entries,
  p_p public.patients, p_c public.clinics, p_values jsonb default '{}'::jsonb)
returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  v_lang public.app_language := coalesce(p_p.preferred_language, p_c.default_language);
  v_route record;
begin
  select * into v_route from private.notification_route(p_p);
  return jsonb_build_object(
    'event_id', p_event_id, 'clinic_id', p_c.id, 'entry_id', p_e.id, 'kind', p_kind,
    'idempotency_key', p_key,
    'channel', v_route.channel,
    -- email and WhatsApp list no phone: the sender routes the visit itself (notification_recipient)
    'phone', case when v_route.channel in ('email', 'whatsapp') then null
                  when v_route.channel = 'sms' then v_route.address
                  else p_p.phone end,
    'email', case when v_route.channel = 'email' then v_route.address end,
    'language', v_lang,
    'template', coalesce(
      (select t.body from public.notification_templates t
        where t.clinic_id = p_c.id and t.kind = p_kind and t.language = v_lang),
      (select t.body from public.notification_templates t
        where t.clinic_id is null and t.kind = p_kind and t.language = v_lang)),
    'values', jsonb_build_object(
        'patient_name', p_p.full_name,
        'clinic_name', p_c.name,
        'ticket', private.ticket_label(p_c.ticket_prefix, p_e.ticket_number)) || coalesce(p_values, '{}'::jsonb),
    'tracking_token', case when p_kind in ('booking_confirmed', 'appointment_reminder', 'almost_turn', 'your_turn')
                           then private.entry_link(p_e) end,
    'skip_reason', v_route.skip_reason);
end
$$;
revoke all on function private.outbox_item(public.notification_kind, text, bigint, public.queue_entries,
  public.patients, public.clinics, jsonb) from public, anon, authenticated;

-- ── The patient's own choice: + WhatsApp ─────────────────────────────────────────────────────────────
create or replace function public.set_my_notification_preferences(
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
  if p_channel = 'whatsapp' and v_p.phone is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a phone number is required for WhatsApp messages');
  end if;
  if p_channel = 'whatsapp' then
    -- choosing WhatsApp again takes back a WhatsApp STOP sent from this number (every record of the clinic)
    update public.patients set whatsapp_opt_out = false
     where clinic_id = p_clinic_id and phone = v_p.phone and whatsapp_opt_out;
  end if;
  update public.patients
     set email = v_email,
         preferred_channel = p_channel,
         email_opt_out = case when p_channel = 'email' then false
                              when v_email is distinct from v_p.email then false
                              else email_opt_out end,
         email_bounced_at = case when p_channel = 'email' then null
                                 when v_email is distinct from v_p.email then null
                                 else email_bounced_at end
   where id = v_p.id
  returning * into v_p;
  return jsonb_build_object('clinic_id', v_p.clinic_id, 'channel', v_p.preferred_channel, 'email', v_p.email);
end
$$;
revoke all on function public.set_my_notification_preferences(uuid, public.notification_channel, text) from public, anon;
grant execute on function public.set_my_notification_preferences(uuid, public.notification_channel, text)
  to authenticated;

-- ── The clinic's WhatsApp sender and templates ─────────────────────────────────────────────────────
-- set_whatsapp_settings(p_clinic_id, p_sender, p_templates) → { whatsapp_sender, whatsapp_templates }.
-- Owners/admins. p_sender: E.164 or null/'' (the platform's sender). p_templates: the shape above (null: none).
-- Anything else → 422 VALIDATION.FAILED, nothing written.
create function public.set_whatsapp_settings(p_clinic_id uuid, p_sender text, p_templates jsonb default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_sender text := nullif(btrim(p_sender), '');
  v_t jsonb := coalesce(p_templates, '{}'::jsonb);
  k record;
  l record;
  v record;
  v_kind public.notification_kind;
begin
  perform private.require_admin(p_clinic_id);
  if v_sender is not null and not private.is_e164(v_sender) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'the WhatsApp sender must be an E.164 number');
  end if;
  if jsonb_typeof(v_t) <> 'object' then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'templates must be an object by kind');
  end if;
  for k in select key, value from jsonb_each(v_t) loop
    if not exists (select 1 from unnest(enum_range(null::public.notification_kind)) x where x::text = k.key)
       or k.key = 'staff_invitation' or jsonb_typeof(k.value) <> 'object' then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'unknown message kind: ' || left(k.key, 40));
    end if;
    v_kind := k.key::public.notification_kind;
    for l in select key, value from jsonb_each(k.value) loop
      if l.key not in ('ar', 'fr', 'en') or jsonb_typeof(l.value) <> 'object'
         or coalesce(l.value ->> 'sid', '') !~ '^HX[0-9a-fA-F]{32}$'
         or jsonb_typeof(coalesce(l.value -> 'variables', '[]'::jsonb)) <> 'array'
         or jsonb_array_length(coalesce(l.value -> 'variables', '[]'::jsonb)) > 10
         or exists (select 1 from jsonb_object_keys(l.value) x where x not in ('sid', 'variables')) then
        perform private.raise_error(422, 'VALIDATION.FAILED',
          'a template is { sid: HX + 32 hex, variables: [names] } per language (ar, fr, en)');
      end if;
      for v in select value from jsonb_array_elements(coalesce(l.value -> 'variables', '[]'::jsonb)) loop
        if jsonb_typeof(v.value) <> 'string'
           or not ((v.value #>> '{}') = any (private.template_kind_variables(v_kind) || array['tracking_url'])) then
          perform private.raise_error(422, 'VALIDATION.FAILED',
            'unknown variable for ' || k.key || ': ' || left(v.value::text, 40));
        end if;
      end loop;
    end loop;
  end loop;
  update public.clinics set whatsapp_sender = v_sender, whatsapp_templates = v_t where id = p_clinic_id;
  return jsonb_build_object('whatsapp_sender', v_sender, 'whatsapp_templates', v_t);
end
$$;
revoke all on function public.set_whatsapp_settings(uuid, text, jsonb) from public, anon;
grant execute on function public.set_whatsapp_settings(uuid, text, jsonb) to authenticated, service_role;

-- ── Sending ────────────────────────────────────────────────────────────────────────────────────────
-- notification_whatsapp_begin(p_clinic_id, p_idempotency_key, p_kind, p_entry_id, p_body, p_cost, p_event_id?,
--   p_language?) → one of
--   { mode: 'fallback', reason: 'no_template' }  outside the 24-hour window with no approved template for the
--        kind and language: nothing recorded; the caller sends the message by SMS under the same key.
--   sms_budget_reserve's answer + { mode: 'session' | 'template', phone, sender, content_sid, variables } — the
--        message recorded (channel whatsapp) under its key BEFORE the Twilio call, with the budget reserved;
--        same key again → duplicate; over budget → skipped_budget.
-- Staff of the clinic or the service role. The visit's route must be WhatsApp (409 VALIDATION.FAILED
-- otherwise): a caller can never aim a clinic's WhatsApp at another number.
create function public.notification_whatsapp_begin(
  p_clinic_id uuid, p_idempotency_key text, p_kind public.notification_kind, p_entry_id uuid, p_body text,
  p_cost numeric, p_event_id bigint default null, p_language public.app_language default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_p public.patients;
  v_c public.clinics;
  v_route record;
  v_lang public.app_language;
  v_open boolean;
  v_tpl jsonb;
  v_out jsonb;
  v_n public.notifications;
begin
  perform private.require_staff(p_clinic_id);
  if p_idempotency_key is null or char_length(p_idempotency_key) not between 1 and 200 or p_kind is null
     or p_entry_id is null or p_body is null or char_length(p_body) not between 1 and 1600
     or p_cost is null or p_cost < 0 or p_cost > 1000 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'key, kind, visit, body and cost are required');
  end if;
  select p.* into v_p from public.queue_entries e join public.patients p on p.id = e.patient_id
   where e.id = p_entry_id and e.clinic_id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found in this clinic');
  end if;
  select * into v_route from private.notification_route(v_p);
  if v_route.channel is distinct from 'whatsapp' then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'this visit''s messages do not go by WhatsApp');
  end if;
  select * into v_c from public.clinics where id = p_clinic_id;
  -- an existing record under the key answers as the budget's duplicate does, whatever its channel
  select * into v_n from public.notifications where clinic_id = p_clinic_id and idempotency_key = p_idempotency_key;
  if found then
    return jsonb_build_object('notification_id', v_n.id, 'status', v_n.status, 'reserved', false,
                              'duplicate', true, 'alert', false, 'channel', v_n.channel, 'mode', null);
  end if;
  v_lang := coalesce(p_language, v_p.preferred_language, v_c.default_language);
  v_open := v_p.whatsapp_inbound_at is not null and v_p.whatsapp_inbound_at > private.now() - interval '24 hours';
  v_tpl := v_c.whatsapp_templates -> p_kind::text -> v_lang::text;
  if not v_open and v_tpl is null then
    return jsonb_build_object('mode', 'fallback', 'reason', 'no_template');
  end if;
  v_out := public.sms_budget_reserve(p_clinic_id, p_idempotency_key, p_kind, 0, p_cost, p_entry_id, p_event_id,
                                     v_route.address, v_lang, p_body);
  if (v_out ->> 'duplicate')::boolean is not true then
    update public.notifications
       set channel = 'whatsapp', content_sid = case when v_open then null else v_tpl ->> 'sid' end
     where id = (v_out ->> 'notification_id')::uuid;
  end if;
  return v_out || jsonb_build_object(
    'mode', case when v_open then 'session' else 'template' end,
    'phone', v_route.address,
    'sender', v_c.whatsapp_sender,
    'content_sid', case when v_open then null else v_tpl ->> 'sid' end,
    'variables', case when v_open then null else coalesce(v_tpl -> 'variables', '[]'::jsonb) end);
end
$$;
revoke all on function public.notification_whatsapp_begin(uuid, text, public.notification_kind, uuid, text,
  numeric, bigint, public.app_language) from public, anon;
grant execute on function public.notification_whatsapp_begin(uuid, text, public.notification_kind, uuid, text,
  numeric, bigint, public.app_language) to authenticated, service_role;

-- ── Inbound WhatsApp ───────────────────────────────────────────────────────────────────────────────
-- whatsapp_inbound_apply(p_from, p_stop) → { window_opened, opted_out, language, clinic_name }. Service role.
-- Every record with that number: the window starts now (private.now()); p_stop → WhatsApp opt-out only.
create function public.whatsapp_inbound_apply(p_from text, p_stop boolean default false)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_count integer;
  v_stopped integer := 0;
  v_lang public.app_language;
  v_clinic text;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  if p_from is null or not private.is_e164(p_from) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'an E.164 sender is required');
  end if;
  update public.patients set whatsapp_inbound_at = private.now() where phone = p_from;
  get diagnostics v_count = row_count;
  if coalesce(p_stop, false) then
    update public.patients set whatsapp_opt_out = true where phone = p_from and not whatsapp_opt_out;
    get diagnostics v_stopped = row_count;
  end if;
  select coalesce(p.preferred_language, c.default_language), c.name into v_lang, v_clinic
    from public.patients p join public.clinics c on c.id = p.clinic_id
   where p.phone = p_from order by p.updated_at desc limit 1;
  return jsonb_build_object('window_opened', v_count, 'opted_out', v_stopped, 'language', v_lang,
                            'clinic_name', v_clinic);
end
$$;
revoke all on function public.whatsapp_inbound_apply(text, boolean) from public, anon, authenticated;
grant execute on function public.whatsapp_inbound_apply(text, boolean) to service_role;

-- ── Fallback to SMS: + a failed WhatsApp message ──────────────────────────────────────────────────
create or replace function public.notification_sms_fallback(
  p_notification_id uuid, p_segments integer, p_cost numeric, p_body text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_first public.notifications;
  v_p public.patients;
  v_key text;
  v_out jsonb;
  v_reason public.notification_skip_reason;
begin
  select * into v_first from public.notifications where id = p_notification_id for update;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'notification not found');
  end if;
  perform private.require_staff(v_first.clinic_id);
  if v_first.channel not in ('email', 'whatsapp') or v_first.status <> 'failed' or v_first.entry_id is null
     or coalesce(v_first.error, '') like 'interrupted:%' then
    perform private.raise_error(409, 'VALIDATION.FAILED',
      'only an email or a WhatsApp message the provider refused falls back to SMS');
  end if;
  v_key := left(v_first.idempotency_key, 196) || ':sms';
  select p.* into v_p from public.queue_entries e join public.patients p on p.id = e.patient_id
   where e.id = v_first.entry_id and e.clinic_id = v_first.clinic_id;
  if v_p.phone is null then
    v_reason := 'no_phone';
  elsif v_p.sms_opt_out or exists (select 1 from public.patients o
                                   where o.clinic_id = v_p.clinic_id and o.phone = v_p.phone and o.sms_opt_out) then
    v_reason := 'opted_out';
  end if;
  if v_reason is not null then
    v_out := public.notification_record_skip(v_first.clinic_id, v_key, v_first.kind, v_reason, v_first.entry_id,
                                             v_first.event_id, v_first.language);
    update public.notifications set fallback_of = v_first.id
     where id = (v_out ->> 'notification_id')::uuid and fallback_of is null;
    return v_out || jsonb_build_object('reserved', false, 'phone', null, 'fallback_of', v_first.id,
                                       'skip_reason', v_reason);
  end if;
  v_out := public.sms_budget_reserve(v_first.clinic_id, v_key, v_first.kind, p_segments, p_cost, v_first.entry_id,
                                     v_first.event_id, v_p.phone, v_first.language, coalesce(p_body, v_first.body));
  update public.notifications set fallback_of = v_first.id
   where id = (v_out ->> 'notification_id')::uuid and fallback_of is null;
  return v_out || jsonb_build_object('phone', v_p.phone, 'fallback_of', v_first.id);
end
$$;
revoke all on function public.notification_sms_fallback(uuid, integer, numeric, text) from public, anon;
grant execute on function public.notification_sms_fallback(uuid, integer, numeric, text)
  to authenticated, service_role;

-- ── Delivery receipts: + the channel and what a WhatsApp fallback needs ───────────────────────────
create or replace function public.sms_delivery_update(p_provider_id text, p_status public.notification_status, p_error text default null)
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
  return jsonb_build_object('notification_id', v_n.id, 'status', v_n.status, 'changed', v_changed,
                            'channel', v_n.channel, 'clinic_id', v_n.clinic_id, 'kind', v_n.kind, 'entry_id', v_n.entry_id,
                            'idempotency_key', v_n.idempotency_key,
                            -- the text an SMS fallback sends (only for a WhatsApp message that just failed)
                            'body', case when v_changed and v_n.channel = 'whatsapp' and p_status = 'failed'
                                         then v_n.body end);
end
$$;
