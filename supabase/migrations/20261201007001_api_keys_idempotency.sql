-- The API gateway (edge function `api`, issue 18): clinic API keys, their per-minute rate windows, and the
-- Idempotency-Key store of every POST. New objects only.
--
-- Clinic API keys. An owner/admin creates a key (create_api_key): the database draws 256 random bits,
-- returns the key ONCE (`qmk_<64 hex>`), and stores only its SHA-256. A key acts through its own server
-- identity: an auth user with no password (it cannot sign in) that is a member of the key's clinic only
-- (role `admin` for a key with the `admin` scope, else `receptionist`). The gateway mints a short-lived JWT
-- for that user, so every query of a key runs under the same RLS and RPC checks as the web app's staff,
-- limited to the one clinic; the scopes (read / queue / bookings / admin) are checked by the gateway on
-- each route. Revoking a key deactivates its member at once (RLS's is_clinic_member checks `active`).
--
-- api_key_authenticate(p_key_hash) — service role only (the gateway, per request): the key's clinic,
-- user, scopes and the rate window after counting this request, or null when the key is unknown,
-- revoked or expired; records last_used_at. One statement per request, atomic across gateway instances.
--
-- api_idempotency_begin / _finish / _abort — service role only: the first response of a POST is stored
-- under (principal, Idempotency-Key) and replayed for a repeat with the same request fingerprint.

create table public.api_keys (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 80),
  -- the first characters of the key (`qmk_1a2b3c4d`), to recognise it in a list; not a secret
  key_prefix text not null,
  key_hash text not null unique check (key_hash ~ '^[0-9a-f]{64}$'),
  scopes text[] not null check (
    cardinality(scopes) between 1 and 4
    and scopes <@ array['read', 'queue', 'bookings', 'admin']::text[]),
  rate_limit_per_minute integer not null default 120 check (rate_limit_per_minute between 1 and 10000),
  expires_at timestamptz,
  revoked_at timestamptz,
  last_used_at timestamptz,
  user_id uuid not null references auth.users (id) on delete cascade,
  member_id uuid not null references public.clinic_members (id) on delete cascade,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now()
);
create index api_keys_clinic_idx on public.api_keys (clinic_id);
alter table public.api_keys enable row level security;
-- No policies: reads and writes go through the RPCs below (the hash never leaves the database).
revoke all on public.api_keys from public, anon, authenticated;
grant all on public.api_keys to service_role;

create table public.api_key_windows (
  key_id uuid primary key references public.api_keys (id) on delete cascade,
  window_start timestamptz not null,
  used integer not null
);
alter table public.api_key_windows enable row level security;
revoke all on public.api_key_windows from public, anon, authenticated;
grant all on public.api_key_windows to service_role;

create table public.api_idempotency (
  principal text not null check (char_length(principal) between 1 and 200),
  idempotency_key text not null check (char_length(idempotency_key) between 1 and 255),
  fingerprint text not null,
  status integer,
  headers jsonb,
  body text,
  created_at timestamptz not null default now(),
  primary key (principal, idempotency_key)
);
create index api_idempotency_created_idx on public.api_idempotency (created_at);
alter table public.api_idempotency enable row level security;
revoke all on public.api_idempotency from public, anon, authenticated;
grant all on public.api_idempotency to service_role;

-- ── Keys: create / list / revoke (owner or admin of the clinic, never a key itself) ──────────────────
create function private.require_human_admin(p_clinic_id uuid) returns uuid
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
begin
  if p_clinic_id is null or not private.is_clinic_admin(p_clinic_id) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'owner or admin only');
  end if;
  if exists (select 1 from public.api_keys k where k.user_id = v_uid) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'an API key cannot manage API keys');
  end if;
  return v_uid;
end
$$;

-- create_api_key(p_clinic_id, p_name, p_scopes, p_expires_at, p_rate_limit_per_minute)
--   → { id, key, key_prefix, name, scopes, expires_at, rate_limit_per_minute, created_at }
create function public.create_api_key(
  p_clinic_id uuid,
  p_name text,
  p_scopes text[],
  p_expires_at timestamptz default null,
  p_rate_limit_per_minute integer default 120
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_human_admin(p_clinic_id);
  v_name text := btrim(coalesce(p_name, ''));
  v_scopes text[];
  v_key text;
  v_user uuid := gen_random_uuid();
  v_member uuid;
  v_id uuid := gen_random_uuid();
  v_row public.api_keys;
begin
  select coalesce(array_agg(distinct s order by s), '{}') into v_scopes from unnest(coalesce(p_scopes, '{}')) s;
  if char_length(v_name) not between 1 and 80 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'name: 1 to 80 characters');
  end if;
  if cardinality(v_scopes) = 0 or not (v_scopes <@ array['read', 'queue', 'bookings', 'admin']::text[]) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'scopes: one or more of read, queue, bookings, admin');
  end if;
  if p_expires_at is not null and p_expires_at <= private.now() then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'expires_at must be in the future');
  end if;
  if coalesce(p_rate_limit_per_minute, 0) not between 1 and 10000 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'rate_limit_per_minute: 1 to 10000');
  end if;
  -- 2 × 122 random bits (gen_random_uuid is a CSPRNG v4 uuid; core PostgreSQL, also on PGlite)
  v_key := 'qmk_' || replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');

  insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
  values ('00000000-0000-0000-0000-000000000000', v_user, 'authenticated', 'authenticated',
          'api-key-' || v_id::text || '@api-keys.queuemed.invalid',
          jsonb_build_object('provider', 'api_key', 'api_key_id', v_id),
          jsonb_build_object('full_name', 'API key: ' || v_name), now(), now());
  insert into public.clinic_members (clinic_id, user_id, role, display_name)
  values (p_clinic_id, v_user,
          case when 'admin' = any (v_scopes) then 'admin' else 'receptionist' end::public.member_role,
          left('API key: ' || v_name, 120))
  returning id into v_member;
  insert into public.api_keys (id, clinic_id, name, key_prefix, key_hash, scopes, rate_limit_per_minute,
                               expires_at, user_id, member_id, created_by)
  values (v_id, p_clinic_id, v_name, left(v_key, 12), encode(sha256(convert_to(v_key, 'UTF8')), 'hex'),
          v_scopes, p_rate_limit_per_minute, p_expires_at, v_user, v_member, v_uid)
  returning * into v_row;
  return jsonb_build_object(
    'id', v_row.id, 'key', v_key, 'key_prefix', v_row.key_prefix, 'name', v_row.name,
    'scopes', to_jsonb(v_row.scopes), 'expires_at', v_row.expires_at,
    'rate_limit_per_minute', v_row.rate_limit_per_minute, 'created_at', v_row.created_at);
end
$$;

-- list_api_keys(p_clinic_id) → [{ id, name, key_prefix, scopes, rate_limit_per_minute, expires_at,
--   revoked_at, last_used_at, created_at }] (newest first; never the hash)
create function public.list_api_keys(p_clinic_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_human_admin(p_clinic_id);
  return coalesce((
    select jsonb_agg(jsonb_build_object(
      'id', k.id, 'name', k.name, 'key_prefix', k.key_prefix, 'scopes', to_jsonb(k.scopes),
      'rate_limit_per_minute', k.rate_limit_per_minute, 'expires_at', k.expires_at,
      'revoked_at', k.revoked_at, 'last_used_at', k.last_used_at, 'created_at', k.created_at)
      order by k.created_at desc, k.id)
    from public.api_keys k where k.clinic_id = p_clinic_id), '[]'::jsonb);
end
$$;

-- revoke_api_key(p_key_id) → { id, revoked_at }: the key stops at once (its member is deactivated).
create function public.revoke_api_key(p_key_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.api_keys;
begin
  select * into v_row from public.api_keys where id = p_key_id;
  if not found then
    perform private.require_uid();
    perform private.raise_error(404, 'NOT_FOUND', 'no such API key');
  end if;
  perform private.require_human_admin(v_row.clinic_id);
  update public.api_keys set revoked_at = coalesce(revoked_at, private.now())
   where id = p_key_id returning * into v_row;
  update public.clinic_members set active = false where id = v_row.member_id;
  return jsonb_build_object('id', v_row.id, 'revoked_at', v_row.revoked_at);
end
$$;

-- ── The gateway's per-request calls (service role only) ───────────────────────────────────────────
create function public.api_key_authenticate(p_key_hash text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.now();
  v_window timestamptz := date_trunc('minute', v_now);
  v_key public.api_keys;
  v_used integer;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  select * into v_key from public.api_keys k
   where k.key_hash = lower(coalesce(p_key_hash, ''))
     and k.revoked_at is null and (k.expires_at is null or k.expires_at > v_now);
  if not found then
    return null;
  end if;
  insert into public.api_key_windows as w (key_id, window_start, used)
  values (v_key.id, v_window, 1)
  on conflict (key_id) do update
     set window_start = excluded.window_start,
         used = case when w.window_start = excluded.window_start then w.used + 1 else 1 end
  returning used into v_used;
  update public.api_keys set last_used_at = v_now where id = v_key.id;
  return jsonb_build_object(
    'key_id', v_key.id, 'clinic_id', v_key.clinic_id, 'user_id', v_key.user_id,
    'scopes', to_jsonb(v_key.scopes), 'limit', v_key.rate_limit_per_minute, 'used', v_used,
    'reset_seconds', greatest(1, ceil(extract(epoch from (v_window + interval '1 minute' - v_now)))::integer));
end
$$;

-- begin → { state: 'new' } (a pending row is now held) | { state: 'done', status, headers, body }
--       | { state: 'pending' } (the first request is still running) | { state: 'mismatch' }
create function public.api_idempotency_begin(p_principal text, p_key text, p_fingerprint text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.api_idempotency;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  -- Keys are kept 24 hours (Stripe's convention); older ones are dropped as new ones arrive.
  delete from public.api_idempotency
   where principal = p_principal and idempotency_key = p_key and created_at < private.now() - interval '24 hours';
  insert into public.api_idempotency (principal, idempotency_key, fingerprint, created_at)
  values (p_principal, p_key, p_fingerprint, private.now())
  on conflict (principal, idempotency_key) do nothing
  returning * into v_row;
  if found then
    return jsonb_build_object('state', 'new');
  end if;
  select * into v_row from public.api_idempotency where principal = p_principal and idempotency_key = p_key;
  if v_row.fingerprint <> p_fingerprint then
    return jsonb_build_object('state', 'mismatch');
  end if;
  if v_row.status is null then
    return jsonb_build_object('state', 'pending');
  end if;
  return jsonb_build_object('state', 'done', 'status', v_row.status, 'headers', v_row.headers, 'body', v_row.body);
end
$$;

create function public.api_idempotency_finish(
  p_principal text, p_key text, p_status integer, p_headers jsonb, p_body text
) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  update public.api_idempotency set status = p_status, headers = p_headers, body = p_body
   where principal = p_principal and idempotency_key = p_key and status is null;
end
$$;

create function public.api_idempotency_abort(p_principal text, p_key text) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  delete from public.api_idempotency
   where principal = p_principal and idempotency_key = p_key and status is null;
end
$$;

revoke all on function private.require_human_admin(uuid) from public;
grant execute on function private.require_human_admin(uuid) to authenticated, service_role;
revoke execute on function public.create_api_key(uuid, text, text[], timestamptz, integer) from public, anon;
revoke execute on function public.list_api_keys(uuid) from public, anon;
revoke execute on function public.revoke_api_key(uuid) from public, anon;
grant execute on function public.create_api_key(uuid, text, text[], timestamptz, integer) to authenticated;
grant execute on function public.list_api_keys(uuid) to authenticated;
grant execute on function public.revoke_api_key(uuid) to authenticated;
revoke execute on function public.api_key_authenticate(text) from public, anon, authenticated;
revoke execute on function public.api_idempotency_begin(text, text, text) from public, anon, authenticated;
revoke execute on function public.api_idempotency_finish(text, text, integer, jsonb, text) from public, anon, authenticated;
revoke execute on function public.api_idempotency_abort(text, text) from public, anon, authenticated;
grant execute on function public.api_key_authenticate(text) to service_role;
grant execute on function public.api_idempotency_begin(text, text, text) to service_role;
grant execute on function public.api_idempotency_finish(text, text, integer, jsonb, text) to service_role;
grant execute on function public.api_idempotency_abort(text, text) to service_role;
