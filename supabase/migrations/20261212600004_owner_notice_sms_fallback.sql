-- Issue 18: the webhook_disabled owner notice follows its order email → SMS → skip also when the email fails. Until
-- now an owner with an account email got the notice by email only: when the mail server refused it for good (an
-- SMTP 5xx: a dead or mistyped address), the owner was never told that their endpoint is off.
-- public.webhook_notice_outbox (newest: 20261211100002): + `fallback_phone` — the owner's profile phone when the
--   notice goes by email (null otherwise, or when they have none; `phone` stays the SMS channel's as before). The
--   sweep (notification-sweep, sendOwnerNotice) sends the same text by SMS to it under the key `<key>:sms` when the
--   email was refused for good, through the one SMS path (budget, idempotency, Twilio), or records that SMS as
--   skipped (no_phone) when there is no phone. A timeout is not a refusal (the server may have taken the email):
--   no SMS then, as for patients.

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
    select o.id, o.clinic_id, o.failing_disables, o.key, o.consecutive_failures, o.url, o.updated_at,
           c.name as clinic_name, ow.email, ow.phone,
           coalesce(ow.language, c.default_language) as language
      from owed o
      join public.clinics c on c.id = o.clinic_id
      left join lateral private.clinic_owner_contact(o.clinic_id) ow on true
     where not exists (select 1 from public.notifications n
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
