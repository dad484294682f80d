-- Issue 20: a hard bounce (the mail server refused the message for good: an SMTP 5xx) is recorded on the
-- patient, so the route stops choosing a dead address, and on the failed email, so staff see it in the log.
--
-- patients.email_bounced_at: when an email to the patient's current address was refused for good (null: none).
--   An address that bounced is not a channel: private.notification_route passes over it as over an address
--   that unsubscribed (the next message goes by SMS, or is skipped when nothing else reaches the patient).
--   Cleared when the patient changes the address or chooses email again (set_my_notification_preferences).
-- notifications.hard_bounce: on the failed email itself — the message log shows "address bounced".
-- public.notification_email_bounced(p_notification_id) → { notification_id, patient_id, bounced_at, already }.
--   Staff of the clinic or the service role (the email sender calls it when the SMTP answer was 5xx). Only a
--   FAILED email that was not interrupted (409 VALIDATION.FAILED otherwise). The patient is the visit's own,
--   and only while their address is still the one that bounced (a changed address is not marked: patient_id
--   null). Idempotent: the first bounce time stays.
-- private.notification_route (newest: 20261207400004): + the bounce.
-- public.set_my_notification_preferences (newest: 20261206800001): + clears the bounce.

alter table public.patients add column email_bounced_at timestamptz;
alter table public.notifications add column hard_bounce boolean not null default false;

create function public.notification_email_bounced(p_notification_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_n public.notifications;
  v_p public.patients;
  v_already boolean;
begin
  select * into v_n from public.notifications where id = p_notification_id for update;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'notification not found');
  end if;
  perform private.require_staff(v_n.clinic_id);
  if v_n.channel <> 'email' or v_n.status <> 'failed' or v_n.entry_id is null
     or coalesce(v_n.error, '') like 'interrupted:%' then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'only an email the mail server refused is a bounce');
  end if;
  v_already := v_n.hard_bounce;
  update public.notifications set hard_bounce = true where id = v_n.id;
  update public.patients p
     set email_bounced_at = coalesce(p.email_bounced_at, private.now())
    from public.queue_entries e
   where e.id = v_n.entry_id and e.clinic_id = v_n.clinic_id and p.id = e.patient_id
     and p.email is not distinct from v_n.recipient
  returning p.* into v_p;
  return jsonb_build_object('notification_id', v_n.id, 'patient_id', v_p.id, 'bounced_at', v_p.email_bounced_at,
                            'already', v_already);
end
$$;
revoke all on function public.notification_email_bounced(uuid) from public, anon;
grant execute on function public.notification_email_bounced(uuid) to authenticated, service_role;

create or replace function private.notification_route(p public.patients)
returns table (channel public.notification_channel, address text, skip_reason public.notification_skip_reason)
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_sms_out boolean;
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
  select c.default_channel into v_default from public.clinics c where c.id = p.clinic_id;
  foreach v_try in array array[p.preferred_channel, v_default, 'sms', 'email']::public.notification_channel[] loop
    continue when v_try is null;
    if v_try = 'sms' and p.phone is not null then
      if not v_sms_out then
        return query select 'sms'::public.notification_channel, p.phone, null::public.notification_skip_reason;
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
