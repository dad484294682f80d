-- Webhooks over REST /v1 (issue 18): an API key with the `admin` scope may manage its clinic's webhook
-- endpoints and resend deliveries, as an owner/admin does in the admin screen. 20261206700001 let only a
-- person do it (private.require_human_admin, which refuses every key identity — right for managing API keys,
-- which stays so). Here the three webhook functions check private.require_webhook_admin instead: an
-- owner/admin of the clinic, or the identity of an unrevoked, unexpired key OF THAT CLINIC with the `admin`
-- scope (a key identity is a member of its own clinic only; a key without `admin` is a receptionist and is
-- refused here, as it is by is_clinic_admin). Bodies from the newest definitions (20261206700001), with only
-- the admin check changed.

create function private.require_webhook_admin(p_clinic_id uuid) returns uuid
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
begin
  if p_clinic_id is null or not private.is_clinic_admin(p_clinic_id) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'owner or admin only');
  end if;
  if exists (select 1 from public.api_keys k where k.user_id = v_uid)
     and not exists (
       select 1 from public.api_keys k
        where k.user_id = v_uid and k.clinic_id = p_clinic_id and 'admin' = any (k.scopes)
          and k.revoked_at is null and (k.expires_at is null or k.expires_at > private.now())) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'an API key needs the admin scope for webhooks');
  end if;
  return v_uid;
end
$$;
revoke all on function private.require_webhook_admin(uuid) from public;
grant execute on function private.require_webhook_admin(uuid) to authenticated, service_role;

create or replace function public.create_webhook_endpoint(
  p_clinic_id uuid,
  p_url text,
  p_event_types text[],
  p_description text default null
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_webhook_admin(p_clinic_id);
  v_types text[];
  v_problem text := private.webhook_url_problem(p_url);
  v_description text := nullif(btrim(coalesce(p_description, '')), '');
  v_secret text;
  w public.webhook_endpoints;
begin
  if v_problem is not null then
    if v_problem = 'WEBHOOK.URL_PRIVATE' then
      perform private.raise_error(422, 'WEBHOOK.URL_PRIVATE', 'url: a private, loopback or local address is not allowed');
    end if;
    perform private.raise_error(422, 'WEBHOOK.URL_INVALID', 'url: an https URL is required');
  end if;
  select coalesce(array_agg(distinct t order by t), '{}') into v_types from unnest(coalesce(p_event_types, '{}')) t;
  if cardinality(v_types) = 0 or not (v_types <@ private.webhook_event_types()) then
    perform private.raise_error(422, 'VALIDATION.FAILED',
      'event_types: one or more of ' || array_to_string(private.webhook_event_types(), ', '));
  end if;
  if v_description is not null and char_length(v_description) > 120 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'description: at most 120 characters');
  end if;
  if (select count(*) from public.webhook_endpoints e where e.clinic_id = p_clinic_id) >= 10 then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'at most 10 webhook endpoints per clinic');
  end if;
  v_secret := 'whsec_' || replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');
  insert into public.webhook_endpoints (clinic_id, url, description, event_types, created_by, created_at, updated_at)
  values (p_clinic_id, p_url, v_description, v_types, v_uid, private.now(), private.now())
  returning * into w;
  insert into private.webhook_secrets (endpoint_id, secret) values (w.id, v_secret);
  return private.webhook_endpoint_json(w) || jsonb_build_object('secret', v_secret);
end
$$;

create or replace function private.webhook_endpoint_for_admin(p_endpoint_id uuid) returns public.webhook_endpoints
language plpgsql
security definer
set search_path = ''
as $$
declare
  w public.webhook_endpoints;
begin
  perform private.require_uid();
  select * into w from public.webhook_endpoints where id = p_endpoint_id;
  if not found or not private.is_clinic_admin(w.clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'no such webhook endpoint');
  end if;
  perform private.require_webhook_admin(w.clinic_id);
  return w;
end
$$;

create or replace function public.resend_webhook_delivery(p_delivery_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  d public.webhook_deliveries;
begin
  perform private.require_uid();
  select * into d from public.webhook_deliveries where id = p_delivery_id;
  if not found or not private.is_clinic_admin(d.clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'no such webhook delivery');
  end if;
  perform private.require_webhook_admin(d.clinic_id);
  update public.webhook_deliveries
     set status = 'pending', attempts = 0, next_attempt_at = private.now(), locked_until = null
   where id = d.id
  returning * into d;
  return jsonb_build_object('id', d.id, 'status', d.status);
end
$$;

