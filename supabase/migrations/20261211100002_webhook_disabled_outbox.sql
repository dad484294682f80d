-- Issue 18: the owner notice of a webhook endpoint disabled for failing goes through the notifications outbox
-- (kind `webhook_disabled`), instead of an email sent directly by the webhook sweep.
--
-- Owed: one notice per disabling. webhook_record_attempt switches an endpoint off after 20 failures in a row
-- (enabled = false, disabled_reason = 'failing'); in that same update the trigger below counts the disabling
-- (webhook_endpoints.failing_disables + 1), so the debt is written in the transaction that disabled it. The
-- notice's idempotency key is `webhook_disabled:<endpoint>:<failing_disables>`: two sweeps at once record and
-- send it once (unique per clinic), and a later disabling (after a re-enable) owes a new one.
--
-- public.webhook_notice_outbox(p_limit) → [{ clinic_id, endpoint_id, disables, kind, idempotency_key, channel,
--   email, phone, language, template, values, skip_reason }] — service role only (the notification sweep).
--   Lists each endpoint still disabled for failing whose current notice has no message yet and whose owner
--   was not told (owner_notified_at, also set by the older direct email). The owner's channel: their account's
--   email, else SMS to their profile's phone, else none (skip_reason no_phone, recorded in the message log).
--   Language: the owner's profile, else the clinic's. Text: the clinic's template for the kind, else the
--   built-in one; values {clinic_name} {webhook_url} (the endpoint's URL without credentials, query or
--   fragment: a URL may carry a token) {failures}.
-- public.webhook_notice_done(p_endpoint_id, p_disables) — service role: stamps owner_notified_at once the
--   notice is recorded (sent, failed or skipped); a later disabling is not affected.
--
-- Only the service role may record a `webhook_disabled` message (a trigger on notifications): a staff member
-- cannot take the notice's key first through send-sms, a skip or an email and so keep the owner from hearing
-- of it. notification_email_begin accepts, from the service role only, an email without a visit for this kind,
-- addressed to the clinic owner's account email and nothing else.
--
-- Redefined from their newest bodies:
--   private.webhook_endpoint_renotify   (20261208500003)  + counts each disabling for failing
--   private.template_kind_variables     (20261210500002)  + webhook_disabled: webhook_url, failures
--   public.notification_email_begin     (20261206800001)  + an owner notice without a visit (service role)
-- Dropped: public.webhook_disabled_notice (20261208500003), the direct email's claim; nothing calls it now.
-- Built-in texts: = src/services/notification/models/DefaultTemplates.ts (fr/en kept in GSM-7).

alter table public.webhook_endpoints
  add column failing_disables integer not null default 0 check (failing_disables >= 0);

create or replace function private.webhook_endpoint_renotify() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.enabled and not old.enabled then
    new.owner_notified_at := null;
  end if;
  if old.enabled and not new.enabled and new.disabled_reason = 'failing' then
    new.failing_disables := old.failing_disables + 1;
  end if;
  return new;
end
$$;

create or replace function private.template_kind_variables(p_kind public.notification_kind) returns text[]
language sql immutable
set search_path = ''
as $$
  select array['patient_name', 'clinic_name', 'ticket', 'position', 'eta', 'room', 'grace_minutes', 'tracking_url']
         || case p_kind
              when 'booking_confirmed' then array['appointment_time', 'cancel_url']
              when 'appointment_reminder' then array['appointment_time', 'cancel_url']
              when 'waitlist_offer' then array['appointment_time', 'offer_expires_at', 'offer_url']
              when 'remote_join_confirmed' then array['arrive_by']
              when 'staff_invitation' then array['invitation_url']
              when 'webhook_disabled' then array['webhook_url', 'failures']
              else array[]::text[]
            end
$$;

insert into public.notification_templates (clinic_id, kind, language, body)
values
  (null, 'webhook_disabled', 'ar',
   '{clinic_name}: أوقف QueueMed نقطة استقبال webhook {webhook_url} بعد {failures} محاولة إرسال فاشلة متتالية. أصلح الخادم المستقبِل ثم أعد تشغيلها من الإدارة > مفاتيح API.'),
  (null, 'webhook_disabled', 'fr',
   '{clinic_name} : QueueMed a désactivé votre webhook {webhook_url} après {failures} envois échoués d''affilée. Réparez le récepteur puis réactivez-le dans Administration > Clés API.'),
  (null, 'webhook_disabled', 'en',
   '{clinic_name}: QueueMed switched off your webhook {webhook_url} after {failures} failed deliveries in a row. Fix the receiver, then switch it back on in Admin > API keys.');

-- Only the service role records an owner notice (see the header).
create function private.notifications_service_only_kinds() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.kind = 'webhook_disabled' and not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'this message kind is sent by the server only');
  end if;
  return new;
end
$$;
create trigger notifications_service_only_kinds before insert on public.notifications
  for each row execute function private.notifications_service_only_kinds();
revoke all on function private.notifications_service_only_kinds() from public;

-- The clinic's first active owner: their account email, profile phone and language (null row: no owner).
create function private.clinic_owner_contact(p_clinic_id uuid)
returns table (email text, phone text, language public.app_language)
language sql stable security definer
set search_path = ''
as $$
  select nullif(btrim(u.email), ''), pr.phone, pr.preferred_language
    from public.clinic_members m
    left join auth.users u on u.id = m.user_id
    left join public.profiles pr on pr.id = m.user_id
   where m.clinic_id = p_clinic_id and m.role = 'owner' and m.active
   order by m.created_at, m.id
   limit 1
$$;
revoke all on function private.clinic_owner_contact(uuid) from public, anon, authenticated;

create function public.webhook_notice_outbox(p_limit integer default 20)
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
revoke all on function public.webhook_notice_outbox(integer) from public, anon, authenticated;
grant execute on function public.webhook_notice_outbox(integer) to service_role;

create function public.webhook_notice_done(p_endpoint_id uuid, p_disables integer)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id uuid;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  update public.webhook_endpoints
     set owner_notified_at = private.now()
   where id = p_endpoint_id and failing_disables = p_disables and not enabled and owner_notified_at is null
  returning id into v_id;
  return v_id is not null;
end
$$;
revoke all on function public.webhook_notice_done(uuid, integer) from public, anon, authenticated;
grant execute on function public.webhook_notice_done(uuid, integer) to service_role;

drop function public.webhook_disabled_notice(uuid);

create or replace function public.notification_email_begin(
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
  v_address text;
  v_language public.app_language := p_language;
begin
  perform private.require_staff(p_clinic_id);
  if p_idempotency_key is null or char_length(p_idempotency_key) not between 1 and 200 or p_kind is null
     or (p_entry_id is null and p_kind is distinct from 'webhook_disabled')
     or p_recipient is null or p_subject is null or char_length(p_subject) not between 1 and 300
     or p_body is null or char_length(p_body) not between 1 and 2000 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'key, kind, visit, recipient, subject and body are required');
  end if;
  if p_entry_id is null then
    -- an owner notice (webhook_disabled): the server only, to the clinic owner's own account email
    if not private.is_service() then
      perform private.raise_error(403, 'AUTH.FORBIDDEN', 'this message kind is sent by the server only');
    end if;
    select lower(o.email) into v_address from private.clinic_owner_contact(p_clinic_id) o;
    if v_address is null or v_address is distinct from lower(btrim(p_recipient)) then
      perform private.raise_error(409, 'VALIDATION.FAILED', 'this notice does not go to that address');
    end if;
  else
    select p.* into v_p from public.queue_entries e join public.patients p on p.id = e.patient_id
     where e.id = p_entry_id and e.clinic_id = p_clinic_id;
    if not found then
      perform private.raise_error(404, 'NOT_FOUND', 'visit not found in this clinic');
    end if;
    select * into v_route from private.notification_route(v_p);
    if v_route.channel is distinct from 'email' or v_route.address is distinct from lower(btrim(p_recipient)) then
      perform private.raise_error(409, 'VALIDATION.FAILED', 'this visit''s messages do not go to that address');
    end if;
    v_address := v_route.address;
    v_language := coalesce(p_language, v_p.preferred_language);
  end if;
  if p_event_id is not null and not exists (
       select 1 from public.queue_events where id = p_event_id and clinic_id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'event not found in this clinic');
  end if;
  insert into public.notifications (clinic_id, entry_id, event_id, kind, channel, recipient, language, subject,
                                    body, idempotency_key, status, segments, cost, attempts)
  values (p_clinic_id, p_entry_id, p_event_id, p_kind, 'email', v_address,
          v_language, p_subject, p_body, p_idempotency_key, 'queued', 0, 0, 0)
  on conflict (clinic_id, idempotency_key) do nothing
  returning * into v_n;
  if v_n.id is not null then
    return jsonb_build_object('notification_id', v_n.id, 'status', 'queued', 'duplicate', false);
  end if;
  select * into v_n from public.notifications where clinic_id = p_clinic_id and idempotency_key = p_idempotency_key;
  return jsonb_build_object('notification_id', v_n.id, 'status', v_n.status, 'duplicate', true);
end
$$;
