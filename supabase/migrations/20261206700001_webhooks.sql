-- Webhooks (issue 18): an owner/admin registers an endpoint (URL + event kinds); every queue event of a
-- kind it listens to becomes one delivery row, written by the database in the SAME transaction as the event
-- (an AFTER INSERT trigger on queue_events — the outbox the notifications already use). The edge function
-- `webhook-sweep` (service role) claims due deliveries, POSTs them signed with HMAC-SHA256 over
-- `<timestamp>.<body>` (header `QueueMed-Signature: t=<unix seconds>,v1=<hex>`, Stripe's scheme), and
-- records each attempt: a 2xx is delivered; otherwise it is retried with backoff (30 s × 4^(n−1), at most
-- 6 h, 8 attempts, then failed). An endpoint failing 20 times in a row is disabled (reason `failing`,
-- shown to the owner in the admin); re-enabling it resets the count. The owner sees the delivery log and
-- can resend a delivery.
--
-- Exactly one delivery per (endpoint, event): unique (endpoint_id, event_id). A claim leases the row
-- (locked_until) so two sweeps never send it at once; a sender that dies after the POST and before
-- recording leaves the lease to expire and the row is sent again — receivers dedupe by `QueueMed-Event-Id`.
--
-- URLs: https only, and never a loopback / private / link-local address or a local name — unless the
-- deployment explicitly allows them (private.webhook_settings.allow_private_urls, false by default; the
-- tests turn it on to reach a receiver on 127.0.0.1). The sender checks again after DNS resolution.
-- The signing secret (`whsec_<64 hex>`) is returned ONCE by create_webhook_endpoint and kept in a private
-- table only the sweep's RPC reads. Payloads carry ids, tickets and times — never names or phone numbers.

-- ── Settings (one row) ──────────────────────────────────────────────────────────────────────────────
create table private.webhook_settings (
  id boolean primary key default true check (id),
  allow_private_urls boolean not null default false
);
insert into private.webhook_settings (id, allow_private_urls) values (true, false);

-- The webhook event kinds and the queue events they come from.
create function private.webhook_event_types() returns text[]
language sql immutable
set search_path = ''
as $$
  select array['visit.booked', 'visit.cancelled', 'patient.checked_in', 'patient.called',
               'patient.no_show', 'visit.finished', 'day.ended']
$$;

create function private.webhook_type_of(p_event_type text) returns text
language sql immutable
set search_path = ''
as $$
  select case p_event_type
    when 'EntryScheduled' then 'visit.booked'
    when 'EntryCancelled' then 'visit.cancelled'
    when 'PatientCheckedIn' then 'patient.checked_in'
    when 'WalkInAdded' then 'patient.checked_in'
    when 'PatientCalled' then 'patient.called'
    when 'GraceExpired' then 'patient.no_show'
    when 'ServiceFinished' then 'visit.finished'
    when 'DayEnded' then 'day.ended'
  end
$$;

-- ── Tables ──────────────────────────────────────────────────────────────────────────────────────────
create table public.webhook_endpoints (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  url text not null check (char_length(url) between 10 and 2000),
  description text check (description is null or char_length(description) <= 120),
  event_types text[] not null check (
    cardinality(event_types) between 1 and 7 and event_types <@ private.webhook_event_types()),
  enabled boolean not null default true,
  -- why it is off: 'owner' (switched off) or 'failing' (disabled by the sweep after repeated failures)
  disabled_reason text check (disabled_reason in ('owner', 'failing')),
  consecutive_failures integer not null default 0 check (consecutive_failures >= 0),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint webhook_endpoints_reason check ((enabled and disabled_reason is null) or (not enabled and disabled_reason is not null))
);
create index webhook_endpoints_clinic_idx on public.webhook_endpoints (clinic_id) where enabled;
create trigger webhook_endpoints_touch before update on public.webhook_endpoints
  for each row execute function private.touch_updated_at();

create table private.webhook_secrets (
  endpoint_id uuid primary key references public.webhook_endpoints (id) on delete cascade,
  secret text not null check (secret ~ '^whsec_[0-9a-f]{64}$')
);

create table public.webhook_deliveries (
  id uuid primary key default gen_random_uuid(),
  endpoint_id uuid not null references public.webhook_endpoints (id) on delete cascade,
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  event_id bigint not null references public.queue_events (id) on delete cascade,
  event_type text not null check (event_type = any (private.webhook_event_types())),
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null,
  locked_until timestamptz,
  last_attempt_at timestamptz,
  last_status_code integer check (last_status_code is null or last_status_code between 100 and 599),
  last_error text check (last_error is null or char_length(last_error) <= 300),
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  constraint webhook_deliveries_once unique (endpoint_id, event_id)
);
create index webhook_deliveries_due_idx on public.webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_clinic_idx on public.webhook_deliveries (clinic_id, created_at desc);

-- ── RLS: the clinic's owners/admins read; every write goes through the functions below ────────────────
alter table public.webhook_endpoints enable row level security;
alter table public.webhook_deliveries enable row level security;
create policy webhook_endpoints_admin_read on public.webhook_endpoints
  for select to authenticated using (private.is_clinic_admin(clinic_id));
create policy webhook_deliveries_admin_read on public.webhook_deliveries
  for select to authenticated using (private.is_clinic_admin(clinic_id));
revoke all on public.webhook_endpoints, public.webhook_deliveries from public, anon, authenticated;
grant select on public.webhook_endpoints, public.webhook_deliveries to authenticated;
grant all on public.webhook_endpoints, public.webhook_deliveries to service_role;
revoke all on private.webhook_settings, private.webhook_secrets from public, anon, authenticated;

-- ── The outbox: one delivery per listening endpoint, in the event's own transaction ───────────────────
create function private.queue_events_webhooks() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_type text := private.webhook_type_of(new.type);
begin
  if v_type is null then
    return null;
  end if;
  insert into public.webhook_deliveries (endpoint_id, clinic_id, event_id, event_type, next_attempt_at, created_at)
  select w.id, new.clinic_id, new.id, v_type, private.now(), private.now()
    from public.webhook_endpoints w
   where w.clinic_id = new.clinic_id and w.enabled and v_type = any (w.event_types)
  on conflict (endpoint_id, event_id) do nothing;
  return null;
end
$$;
create trigger queue_events_webhooks after insert on public.queue_events
  for each row execute function private.queue_events_webhooks();

-- ── URL rule ────────────────────────────────────────────────────────────────────────────────────────
-- Returns null when the URL is acceptable, else the error code. Literal IPs are checked against the
-- private ranges; names only against local suffixes (the sender re-checks the resolved addresses).
create function private.webhook_url_problem(p_url text) returns text
language plpgsql stable
set search_path = ''
as $$
declare
  v_allow boolean := coalesce((select s.allow_private_urls from private.webhook_settings s), false);
  m text[];
  v_host text;
  v_ip inet;
begin
  if p_url is null or char_length(p_url) not between 10 and 2000 or p_url ~ '\s' then
    return 'WEBHOOK.URL_INVALID';
  end if;
  m := regexp_match(p_url, '^(https?)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?(/[^#]*)?$');
  if m is null then
    return 'WEBHOOK.URL_INVALID';
  end if;
  if m[3] is not null and substr(m[3], 2)::integer not between 1 and 65535 then
    return 'WEBHOOK.URL_INVALID';
  end if;
  if v_allow then
    return null;
  end if;
  if m[1] <> 'https' then
    return 'WEBHOOK.URL_INVALID';
  end if;
  v_host := lower(btrim(m[2], '[]'));
  if v_host = 'localhost' or v_host ~ '\.(localhost|local|internal|localdomain|home|lan)\.?$' or v_host !~ '[.:]' then
    return 'WEBHOOK.URL_PRIVATE';
  end if;
  if v_host ~ '^[0-9.]+$' or v_host ~ ':' then
    begin
      v_ip := v_host::inet;
    exception when others then
      return 'WEBHOOK.URL_INVALID';
    end;
    if family(v_ip) = 4 and (
         v_ip << '0.0.0.0/8' or v_ip << '10.0.0.0/8' or v_ip << '100.64.0.0/10' or v_ip << '127.0.0.0/8'
      or v_ip << '169.254.0.0/16' or v_ip << '172.16.0.0/12' or v_ip << '192.168.0.0/16'
      or v_ip << '198.18.0.0/15' or v_ip << '224.0.0.0/3') then
      return 'WEBHOOK.URL_PRIVATE';
    end if;
    if family(v_ip) = 6 and (
         v_ip <<= '::/127' or v_ip << '::ffff:0:0/96' or v_ip << 'fc00::/7' or v_ip << 'fe80::/10'
      or v_ip << 'ff00::/8') then
      return 'WEBHOOK.URL_PRIVATE';
    end if;
  end if;
  return null;
end
$$;

create function private.webhook_endpoint_json(w public.webhook_endpoints) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', w.id, 'clinic_id', w.clinic_id, 'url', w.url, 'description', w.description,
    'event_types', to_jsonb(w.event_types), 'enabled', w.enabled, 'disabled_reason', w.disabled_reason,
    'consecutive_failures', w.consecutive_failures, 'created_at', w.created_at)
$$;

-- ── Owner/admin RPCs ────────────────────────────────────────────────────────────────────────────────
-- create_webhook_endpoint(p_clinic_id, p_url, p_event_types, p_description)
--   → the endpoint + { secret } (the signing secret, shown once)
create function public.create_webhook_endpoint(
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
  v_uid uuid := private.require_human_admin(p_clinic_id);
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

create function private.webhook_endpoint_for_admin(p_endpoint_id uuid) returns public.webhook_endpoints
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
  perform private.require_human_admin(w.clinic_id);
  return w;
end
$$;

-- set_webhook_endpoint_enabled(p_endpoint_id, p_enabled) → the endpoint. Re-enabling resets the failures.
create function public.set_webhook_endpoint_enabled(p_endpoint_id uuid, p_enabled boolean) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  w public.webhook_endpoints := private.webhook_endpoint_for_admin(p_endpoint_id);
begin
  if p_enabled is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'enabled: true or false');
  end if;
  update public.webhook_endpoints
     set enabled = p_enabled,
         disabled_reason = case when p_enabled then null else 'owner' end,
         consecutive_failures = case when p_enabled then 0 else consecutive_failures end
   where id = w.id
  returning * into w;
  return private.webhook_endpoint_json(w);
end
$$;

-- delete_webhook_endpoint(p_endpoint_id) → { id } (its secret and deliveries go with it)
create function public.delete_webhook_endpoint(p_endpoint_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  w public.webhook_endpoints := private.webhook_endpoint_for_admin(p_endpoint_id);
begin
  delete from public.webhook_endpoints where id = w.id;
  return jsonb_build_object('id', w.id);
end
$$;

-- resend_webhook_delivery(p_delivery_id) → { id, status }: due again now, with a fresh attempt count.
create function public.resend_webhook_delivery(p_delivery_id uuid) returns jsonb
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
  perform private.require_human_admin(d.clinic_id);
  update public.webhook_deliveries
     set status = 'pending', attempts = 0, next_attempt_at = private.now(), locked_until = null
   where id = d.id
  returning * into d;
  return jsonb_build_object('id', d.id, 'status', d.status);
end
$$;

-- ── The sweep's RPCs (service role only) ────────────────────────────────────────────────────────────
-- webhook_claim(p_limit, p_lease_seconds) → [{ delivery_id, endpoint_id, url, secret, attempt, event_id,
--   event_type, body }] — due deliveries of enabled endpoints, leased so no other sweep takes them. `body`
--   is the exact JSON text to send (and sign).
create function public.webhook_claim(p_limit integer default 20, p_lease_seconds integer default 60)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.now();
  v_out jsonb;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  with due as (
    select d.id
      from public.webhook_deliveries d
      join public.webhook_endpoints w on w.id = d.endpoint_id and w.enabled
     where d.status = 'pending' and d.next_attempt_at <= v_now
       and (d.locked_until is null or d.locked_until <= v_now)
     order by d.next_attempt_at, d.id
     limit greatest(1, least(coalesce(p_limit, 20), 200))
     for update of d skip locked
  ), claimed as (
    update public.webhook_deliveries d
       set locked_until = v_now + make_interval(secs => greatest(5, least(coalesce(p_lease_seconds, 60), 600)))
      from due where d.id = due.id
    returning d.*
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'delivery_id', c.id, 'endpoint_id', c.endpoint_id, 'url', w.url, 'secret', s.secret,
      'attempt', c.attempts + 1, 'event_id', c.event_id, 'event_type', c.event_type,
      'body', jsonb_build_object(
        'id', 'evt_' || e.id::text,
        'type', c.event_type,
        'created', e.occurred_at,
        'clinic_id', e.clinic_id,
        'data', jsonb_build_object('queue_id', e.queue_id, 'entry_id', e.entry_id, 'event', e.type)
                || (e.payload - 'completedEntryIds' - 'noShowEntryIds')
                || case when e.type = 'DayEnded' then jsonb_build_object(
                     'completed_entry_ids', coalesce(e.payload -> 'completedEntryIds', '[]'::jsonb),
                     'no_show_entry_ids', coalesce(e.payload -> 'noShowEntryIds', '[]'::jsonb))
                   else '{}'::jsonb end
      )::text) order by c.next_attempt_at, c.id), '[]'::jsonb)
    into v_out
    from claimed c
    join public.webhook_endpoints w on w.id = c.endpoint_id
    join private.webhook_secrets s on s.endpoint_id = c.endpoint_id
    join public.queue_events e on e.id = c.event_id;
  return v_out;
end
$$;

-- webhook_record_attempt(p_delivery_id, p_ok, p_status_code, p_error) → { status, attempts,
--   next_attempt_at, endpoint_disabled }
create function public.webhook_record_attempt(
  p_delivery_id uuid, p_ok boolean, p_status_code integer default null, p_error text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.now();
  d public.webhook_deliveries;
  w public.webhook_endpoints;
  v_disabled boolean := false;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  select * into d from public.webhook_deliveries where id = p_delivery_id for update;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'no such webhook delivery');
  end if;
  if d.status <> 'pending' then
    -- already settled (a late report of a resent delivery): nothing changes
    return jsonb_build_object('status', d.status, 'attempts', d.attempts, 'next_attempt_at', null,
                              'endpoint_disabled', false);
  end if;
  if coalesce(p_ok, false) then
    update public.webhook_deliveries
       set status = 'delivered', attempts = attempts + 1, delivered_at = v_now, last_attempt_at = v_now,
           last_status_code = p_status_code, last_error = null, locked_until = null
     where id = d.id returning * into d;
    update public.webhook_endpoints set consecutive_failures = 0
     where id = d.endpoint_id and consecutive_failures <> 0;
  else
    update public.webhook_deliveries
       set attempts = attempts + 1, last_attempt_at = v_now, locked_until = null,
           last_status_code = case when p_status_code between 100 and 599 then p_status_code end,
           last_error = left(coalesce(p_error, 'HTTP ' || p_status_code::text, 'failed'), 300),
           status = case when attempts + 1 >= 8 then 'failed' else 'pending' end,
           next_attempt_at = v_now + least(interval '6 hours', interval '30 seconds' * power(4, attempts))
     where id = d.id returning * into d;
    update public.webhook_endpoints set consecutive_failures = consecutive_failures + 1
     where id = d.endpoint_id returning * into w;
    if w.enabled and w.consecutive_failures >= 20 then
      update public.webhook_endpoints set enabled = false, disabled_reason = 'failing' where id = w.id;
      v_disabled := true;
    end if;
  end if;
  return jsonb_build_object('status', d.status, 'attempts', d.attempts,
    'next_attempt_at', case when d.status = 'pending' then d.next_attempt_at end,
    'endpoint_disabled', v_disabled);
end
$$;

revoke all on function private.webhook_url_problem(text) from public;
revoke execute on function public.create_webhook_endpoint(uuid, text, text[], text) from public, anon;
revoke execute on function public.set_webhook_endpoint_enabled(uuid, boolean) from public, anon;
revoke execute on function public.delete_webhook_endpoint(uuid) from public, anon;
revoke execute on function public.resend_webhook_delivery(uuid) from public, anon;
grant execute on function public.create_webhook_endpoint(uuid, text, text[], text) to authenticated, service_role;
grant execute on function public.set_webhook_endpoint_enabled(uuid, boolean) to authenticated, service_role;
grant execute on function public.delete_webhook_endpoint(uuid) to authenticated, service_role;
grant execute on function public.resend_webhook_delivery(uuid) to authenticated, service_role;
revoke execute on function public.webhook_claim(integer, integer) from public, anon, authenticated;
revoke execute on function public.webhook_record_attempt(uuid, boolean, integer, text) from public, anon, authenticated;
grant execute on function public.webhook_claim(integer, integer) to service_role;
grant execute on function public.webhook_record_attempt(uuid, boolean, integer, text) to service_role;
