-- The owner's SMS in place of a refused email is owed by the outbox, not only remembered by one sweep (review of
-- session 15, issue 12).
--
-- sendOwnerNotice (notification-sweep) sends the webhook_disabled notice by email and, when the mail server
-- refuses it for good, the same text by SMS under `<key>:sms` — in the same run. A sweep that died between the two
-- (killed, restarted, timed out) left the email's row under the key, and webhook_notice_outbox owes nothing once a
-- row holds the key: the SMS was never sent and the owner never told their endpoint is off.
-- Now:
--   * public.notification_email_bounced (newest: 20261208500002) also marks an email without a visit (an owner
--     notice): hard_bounce on the email only, no patient to mark (patient_id null). The email sender calls it for
--     every refusal (supabase/functions/_shared/email.ts), BEFORE the sweep goes on to the SMS.
--   * public.webhook_notice_outbox (newest: 20261212600004) owes `<key>:sms` when the key's row is a failed email
--     marked hard_bounce and no row holds `<key>:sms`: channel sms to the owner's phone (else null with skip_reason
--     no_phone: the SMS is recorded as skipped), email null. A re-run of the sweep sends it once (the key is unique
--     in notifications; deliver() reserves it before sending) and then marks the endpoint told. A failed email
--     without hard_bounce (a timeout: the server may have taken it) still owes nothing, as before.

create or replace function public.notification_email_bounced(p_notification_id uuid)
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
  if v_n.entry_id is null and not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'an owner notice is the server''s to mark');
  end if;
  -- an email without a visit (an owner notice) is marked too: the outbox then owes the SMS in its place
  if v_n.channel <> 'email' or v_n.status <> 'failed' or coalesce(v_n.error, '') like 'interrupted:%' then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'only an email the mail server refused is a bounce');
  end if;
  v_already := v_n.hard_bounce;
  update public.notifications set hard_bounce = true where id = v_n.id;
  if v_n.entry_id is not null then
    update public.patients p
       set email_bounced_at = coalesce(p.email_bounced_at, private.now())
      from public.queue_entries e
     where e.id = v_n.entry_id and e.clinic_id = v_n.clinic_id and p.id = e.patient_id
       and p.email is not distinct from v_n.recipient
    returning p.* into v_p;
  end if;
  return jsonb_build_object('notification_id', v_n.id, 'patient_id', v_p.id, 'bounced_at', v_p.email_bounced_at,
                            'already', v_already);
end
$$;

create or replace function public.webhook_notice_outbox(p_limit integer default 20)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_out jsonb;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  if p_limit is null or p_limit not between 1 and 500 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'limit: 1 to 500');
  end if;
  with owed as (
    select w.*, 'webhook_disabled:' || w.id::text || ':' || w.failing_disables::text as key
      from public.webhook_endpoints w
     where not w.enabled and w.disabled_reason = 'failing' and w.owner_notified_at is null
       and w.failing_disables > 0
     order by w.updated_at, w.id
  ), item as (
    select o.id, o.clinic_id, o.failing_disables, o.consecutive_failures, o.url, o.updated_at,
           c.name as clinic_name, ow.phone,
           coalesce(ow.language, c.default_language) as language,
           -- the email was refused for good and the SMS in its place was never recorded: the SMS is owed
           s.sms_owed,
           case when s.sms_owed then o.key || ':sms' else o.key end as key,
           case when s.sms_owed then null else ow.email end as email
      from owed o
      join public.clinics c on c.id = o.clinic_id
      left join lateral private.clinic_owner_contact(o.clinic_id) ow on true
      cross join lateral (select
          exists (select 1 from public.notifications n
                   where n.clinic_id = o.clinic_id and n.idempotency_key = o.key
                     and n.channel = 'email' and n.status = 'failed' and n.hard_bounce)
          and not exists (select 1 from public.notifications n
                           where n.clinic_id = o.clinic_id and n.idempotency_key = o.key || ':sms') as sms_owed) s
     where s.sms_owed
        or not exists (select 1 from public.notifications n
                        where n.clinic_id = o.clinic_id and n.idempotency_key = o.key)
     order by o.updated_at, o.id
     limit p_limit
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'clinic_id', i.clinic_id, 'endpoint_id', i.id, 'disables', i.failing_disables,
           'kind', 'webhook_disabled', 'idempotency_key', i.key,
           'channel', case when i.email is not null then 'email' when i.phone is not null then 'sms' end,
           'email', i.email,
           'phone', case when i.email is null then i.phone end,
           -- the same owner's phone for the SMS in place of an email the mail server refused for good
           'fallback_phone', case when i.email is not null then i.phone end,
           'language', i.language,
           'template', coalesce(
             (select t.body from public.notification_templates t
               where t.clinic_id = i.clinic_id and t.kind = 'webhook_disabled' and t.language = i.language),
             (select t.body from public.notification_templates t
               where t.clinic_id is null and t.kind = 'webhook_disabled' and t.language = i.language)),
           'values', jsonb_build_object(
             'clinic_name', i.clinic_name,
             -- scheme://host[:port]/path: no user:password@, no ?query, no #fragment
             'webhook_url', regexp_replace(split_part(split_part(i.url, '#', 1), '?', 1),
                                           '^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@', '\1'),
             'failures', i.consecutive_failures::text),
           'skip_reason', case when i.email is null and i.phone is null then 'no_phone' end)
         order by i.updated_at, i.id), '[]'::jsonb)
    into v_out
    from item i;
  return v_out;
end
$$;
