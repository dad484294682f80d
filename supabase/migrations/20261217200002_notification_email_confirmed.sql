-- email18 (security): notifications go only to an email address the patient has proved they own.
--
-- Before, a patient could store ANY address as their notification email (set_my_notification_preferences) and the
-- clinic's confirmations, reminders and queue messages were then mailed to a stranger. Now a patient's address is a
-- channel only while it is their account's own CONFIRMED email: auth.users.email of the record's user, with
-- email_confirmed_at set. The proof is GoTrue's email change — supabase-js `updateUser({ email })` sends a code to
-- the address (hashed, expiring, attempt-limited: docs/security.md "No identity without proof") and
-- `verifyOtp({ email, token, type: 'email_change' })` makes it the account's with email_confirmed_at. No code of
-- QueueMed's own: the same proof on Supabase and on the local stack.
--
-- The rule is evaluated when a message is routed, not stored: typing another address un-confirms at once (it is no
-- longer the account's email), a later change of the account's email leaves the old address unproved, and an
-- address proved later starts receiving without another save.
--
-- private.notification_email_confirmed(p public.patients) → boolean: the rule above (a record without an account,
--   i.e. a walk-in, has no proved address).
-- private.notification_route (newest: 20261209500002): an unproved address is passed over like a hard-bounced one
--   (the next choice, e.g. SMS, takes the message); when nothing else reaches the patient the message is skipped
--   with reason `email_not_confirmed` (opted_out still wins: the patient's own STOP). Every email sender goes
--   through the route — both outboxes, notification_recipient, notification_email_begin (which refuses any other
--   address: 409), the reminder and remote-join paths — so none can mail an unproved address.
-- public.set_my_notification_preferences (newest: 20261209500002): same rules and writes; + answers
--   `email_confirmed`, so the screen asks for the code right away.
-- public.get_my_notification_preferences (newest: 20261211200005): + `email_confirmed`.
-- public.notification_recipient (newest: 20261206800001): + `skip_reason` for a visit (the route's), so a sender
--   that finds no channel records the message as skipped with the right reason (email_not_confirmed, not no_phone).

create function private.notification_email_confirmed(p public.patients)
returns boolean
language sql stable
security definer
set search_path = ''
as $$
  select p.email is not null and p.user_id is not null and exists (
    select 1 from auth.users u
     where u.id = p.user_id and u.email_confirmed_at is not null and lower(u.email) = p.email)
$$;
revoke all on function private.notification_email_confirmed(public.patients) from public, anon, authenticated;

-- ── Routing: + an unproved address is no channel ───────────────────────────────────────────────────
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
  v_unproved boolean := false;
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
      if not private.notification_email_confirmed(p) then
        -- an address the patient has not proved is no channel either (email18): never mail a stranger
        v_unproved := true;
        continue;
      end if;
      if not p.email_opt_out then
        return query select 'email'::public.notification_channel, p.email, null::public.notification_skip_reason;
        return;
      end if;
      v_opted := true;
    end if;
  end loop;
  return query select null::public.notification_channel, null::text,
    (case when v_opted then 'opted_out' when v_unproved then 'email_not_confirmed' else 'no_phone' end)
      ::public.notification_skip_reason;
end
$$;
revoke all on function private.notification_route(public.patients) from public, anon, authenticated;

-- ── The patient's own choice: + answers whether the address is proved ──────────────────────────────
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
  return jsonb_build_object('clinic_id', v_p.clinic_id, 'channel', v_p.preferred_channel, 'email', v_p.email,
                            'email_confirmed', private.notification_email_confirmed(v_p));
end
$$;
revoke all on function public.set_my_notification_preferences(uuid, public.notification_channel, text) from public, anon;
grant execute on function public.set_my_notification_preferences(uuid, public.notification_channel, text)
  to authenticated;

create or replace function public.get_my_notification_preferences(p_clinic_id uuid)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
  v_p public.patients;
begin
  select * into v_p from public.patients where clinic_id = p_clinic_id and user_id = v_uid;
  return jsonb_build_object('known', v_p.id is not null, 'channel', v_p.preferred_channel, 'email', v_p.email,
                            'email_bounced', v_p.email is not null and v_p.email_bounced_at is not null,
                            'email_confirmed', v_p.id is not null and private.notification_email_confirmed(v_p));
end
$$;

-- ── notification_recipient: + the route's skip reason for a visit ──────────────────────────────────
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
                                            then v_route.address end,
                              -- why nothing reaches the patient (null when a channel does)
                              'skip_reason', case when p_phone is null then v_route.skip_reason end);
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
