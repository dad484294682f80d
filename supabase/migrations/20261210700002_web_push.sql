-- Issue 20: web push from the tracker. A patient who opts in on their visit's tracker (a button, never on load)
-- gets "your turn is near" (almost_turn) and "you are called" (your_turn) as a browser notification, free, with
-- the phone locked; a push the push service refuses falls back to SMS once.
--
-- public.push_subscriptions: one row per visit and browser (the PushSubscription the browser gave: endpoint +
--   the p256dh/auth keys the payload is encrypted for). RLS on, no policy and no grant: reached only through the
--   functions below — by the visit's tracking token (the tracker), or by the visit's own patient account, to
--   subscribe and revoke; by staff of the clinic or the service role to send (the sender) and to drop an
--   endpoint the push service answered 404/410 for. Rows go with the visit (on delete cascade).
-- public.push_subscribe(p_endpoint, p_p256dh, p_auth, p_tracking_token?, p_entry_id?) → { entry_id, subscribed,
--   subscriptions }. A visit that is over (completed, cancelled, no_show) → 409 VALIDATION.FAILED. At most 5 per
--   visit (the oldest is replaced). The same endpoint again replaces its keys.
-- public.push_unsubscribe(p_endpoint?, p_tracking_token?, p_entry_id?) → { removed } (null endpoint: all of the
--   visit's). Idempotent.
-- public.notification_push_begin(p_clinic_id, p_idempotency_key, p_kind, p_entry_id, p_body, p_event_id?,
--   p_language?) → { mode: 'none' } (not a push kind, or the visit has no subscription: nothing recorded, the
--   sender goes on with the visit's route) | { mode: 'push', notification_id, status, duplicate, subscriptions:
--   [{ id, endpoint, p256dh, auth }] } — the message recorded (channel push, cost 0, outside the budget: a push
--   costs nothing) under its key BEFORE any push request. Same key again → duplicate, no subscriptions.
-- public.notification_push_settle(p_notification_id, p_status sent|simulated|failed, p_error?, p_delivered?) —
--   the push's outcome (cost 0; the budget is never touched).
-- public.push_subscription_gone(p_subscription_id) → { removed } — the push service answered 404/410: the
--   subscription has expired or was revoked in the browser, it is deleted.
-- public.notification_sms_fallback (newest: 20261209500002): + a failed push falls back to SMS once, as a
--   refused email or WhatsApp message does.

create table public.push_subscriptions (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  entry_id uuid not null references public.queue_entries (id) on delete cascade,
  endpoint text not null check (char_length(endpoint) between 12 and 1000 and endpoint ~ '^https?://[^[:space:]]+$'),
  -- the browser's P-256 public key (65 bytes, uncompressed) and auth secret (16 bytes), base64url
  p256dh text not null check (p256dh ~ '^B[A-Za-z0-9_-]{86}$'),
  auth text not null check (auth ~ '^[A-Za-z0-9_-]{22}$'),
  created_at timestamptz not null default private.now(),
  constraint push_subscriptions_entry_endpoint unique (entry_id, endpoint)
);
create index push_subscriptions_clinic_idx on public.push_subscriptions (clinic_id);
alter table public.push_subscriptions enable row level security;
revoke all on public.push_subscriptions from public, anon, authenticated;
grant all on public.push_subscriptions to service_role;

-- The visit a patient-side push call is about: by its tracking token, or by id for its own patient's account.
-- Anyone else (another visit's token, another clinic's staff, none) → 404 NOT_FOUND, as the tracker answers.
create function private.push_visit(p_tracking_token text, p_entry_id uuid)
returns public.queue_entries
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_e public.queue_entries;
begin
  if p_tracking_token is not null then
    select * into v_e from public.queue_entries where tracking_token_hash = private.hash_token(p_tracking_token);
  elsif p_entry_id is not null then
    select * into v_e from public.queue_entries where id = p_entry_id;
    if v_e.id is not null and not private.is_own_patient(v_e.patient_id) then
      v_e := null;
    end if;
  else
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_tracking_token or p_entry_id is required');
  end if;
  if v_e.id is null then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found');
  end if;
  return v_e;
end
$$;
revoke all on function private.push_visit(text, uuid) from public, anon, authenticated;

create function public.push_subscribe(
  p_endpoint text, p_p256dh text, p_auth text, p_tracking_token text default null, p_entry_id uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_e public.queue_entries;
  v_count integer;
begin
  if p_endpoint is null or char_length(p_endpoint) not between 12 and 1000
     or p_endpoint !~ '^https?://[^[:space:]]+$'
     or p_p256dh is null or p_p256dh !~ '^B[A-Za-z0-9_-]{86}$'
     or p_auth is null or p_auth !~ '^[A-Za-z0-9_-]{22}$' then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a push subscription needs an endpoint URL and its keys');
  end if;
  v_e := private.push_visit(p_tracking_token, p_entry_id);
  if v_e.status in ('completed', 'cancelled', 'no_show') then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'this visit is over');
  end if;
  perform 1 from public.queue_entries where id = v_e.id for update; -- one subscribe of a visit at a time
  insert into public.push_subscriptions (clinic_id, entry_id, endpoint, p256dh, auth)
  values (v_e.clinic_id, v_e.id, p_endpoint, p_p256dh, p_auth)
  on conflict (entry_id, endpoint) do update
    set p256dh = excluded.p256dh, auth = excluded.auth, created_at = private.now();
  -- at most 5 browsers per visit: the oldest goes
  delete from public.push_subscriptions s
   where s.entry_id = v_e.id
     and s.id not in (select x.id from public.push_subscriptions x where x.entry_id = v_e.id
                       order by x.created_at desc, x.id limit 5);
  select count(*) into v_count from public.push_subscriptions where entry_id = v_e.id;
  return jsonb_build_object('entry_id', v_e.id, 'subscribed', true, 'subscriptions', v_count);
end
$$;
revoke all on function public.push_subscribe(text, text, text, text, uuid) from public;
grant execute on function public.push_subscribe(text, text, text, text, uuid) to anon, authenticated, service_role;

create function public.push_unsubscribe(
  p_endpoint text default null, p_tracking_token text default null, p_entry_id uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_e public.queue_entries;
  v_n integer;
begin
  v_e := private.push_visit(p_tracking_token, p_entry_id);
  delete from public.push_subscriptions
   where entry_id = v_e.id and (p_endpoint is null or endpoint = p_endpoint);
  get diagnostics v_n = row_count;
  return jsonb_build_object('entry_id', v_e.id, 'removed', v_n);
end
$$;
revoke all on function public.push_unsubscribe(text, text, uuid) from public;
grant execute on function public.push_unsubscribe(text, text, uuid) to anon, authenticated, service_role;

create function public.notification_push_begin(
  p_clinic_id uuid, p_idempotency_key text, p_kind public.notification_kind, p_entry_id uuid, p_body text,
  p_event_id bigint default null, p_language public.app_language default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_n public.notifications;
  v_subs jsonb;
begin
  perform private.require_staff(p_clinic_id);
  if p_idempotency_key is null or char_length(p_idempotency_key) not between 1 and 200 or p_kind is null
     or p_entry_id is null or p_body is null or char_length(p_body) not between 1 and 1600 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'key, kind, visit and body are required');
  end if;
  if not exists (select 1 from public.queue_entries where id = p_entry_id and clinic_id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found in this clinic');
  end if;
  if p_event_id is not null and not exists (
       select 1 from public.queue_events where id = p_event_id and clinic_id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'event not found in this clinic');
  end if;
  -- an existing record under the key answers as the budget's duplicate does, whatever its channel
  select * into v_n from public.notifications where clinic_id = p_clinic_id and idempotency_key = p_idempotency_key;
  if found then
    return jsonb_build_object('mode', case when v_n.channel = 'push' then 'push' else 'none' end,
                              'notification_id', v_n.id, 'status', v_n.status, 'duplicate', true,
                              'channel', v_n.channel, 'subscriptions', '[]'::jsonb);
  end if;
  if p_kind not in ('almost_turn', 'your_turn') then
    return jsonb_build_object('mode', 'none');
  end if;
  select jsonb_agg(jsonb_build_object('id', s.id, 'endpoint', s.endpoint, 'p256dh', s.p256dh, 'auth', s.auth)
                   order by s.created_at, s.id)
    into v_subs
    from public.push_subscriptions s where s.entry_id = p_entry_id;
  if v_subs is null then
    return jsonb_build_object('mode', 'none');
  end if;
  insert into public.notifications (clinic_id, entry_id, event_id, kind, channel, language, body,
                                    idempotency_key, segments, cost, status)
  values (p_clinic_id, p_entry_id, p_event_id, p_kind, 'push', p_language, left(p_body, 2000),
          p_idempotency_key, 0, 0, 'queued')
  on conflict (clinic_id, idempotency_key) do nothing
  returning * into v_n;
  if v_n.id is null then -- a concurrent sender took the key first
    select * into v_n from public.notifications where clinic_id = p_clinic_id and idempotency_key = p_idempotency_key;
    return jsonb_build_object('mode', 'push', 'notification_id', v_n.id, 'status', v_n.status, 'duplicate', true,
                              'channel', v_n.channel, 'subscriptions', '[]'::jsonb);
  end if;
  return jsonb_build_object('mode', 'push', 'notification_id', v_n.id, 'status', 'queued', 'duplicate', false,
                            'channel', 'push', 'subscriptions', v_subs);
end
$$;
revoke all on function public.notification_push_begin(uuid, text, public.notification_kind, uuid, text, bigint,
  public.app_language) from public, anon;
grant execute on function public.notification_push_begin(uuid, text, public.notification_kind, uuid, text, bigint,
  public.app_language) to authenticated, service_role;

create function public.notification_push_settle(
  p_notification_id uuid, p_status public.notification_status, p_error text default null,
  p_delivered integer default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_n public.notifications;
begin
  if p_notification_id is null or p_status is null or p_status not in ('sent', 'simulated', 'failed') then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'status must be sent, simulated or failed');
  end if;
  select * into v_n from public.notifications where id = p_notification_id for update;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'notification not found');
  end if;
  perform private.require_staff(v_n.clinic_id);
  if v_n.channel <> 'push' or v_n.status <> 'queued' then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'not a push waiting for its outcome');
  end if;
  update public.notifications
     set status = p_status,
         attempts = attempts + 1,
         cost = 0,
         segments = 0,
         provider_id = case when p_status <> 'failed' and p_delivered is not null
                            then 'push:' || greatest(p_delivered, 0) end,
         error = case when p_status = 'failed' then left(coalesce(p_error, 'push failed'), 2000) end,
         sent_at = case when p_status <> 'failed' then private.now() end
   where id = v_n.id
  returning * into v_n;
  return jsonb_build_object('notification_id', v_n.id, 'status', v_n.status, 'attempts', v_n.attempts);
end
$$;
revoke all on function public.notification_push_settle(uuid, public.notification_status, text, integer)
  from public, anon;
grant execute on function public.notification_push_settle(uuid, public.notification_status, text, integer)
  to authenticated, service_role;

create function public.push_subscription_gone(p_subscription_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_s public.push_subscriptions;
begin
  select * into v_s from public.push_subscriptions where id = p_subscription_id;
  if not found then
    if not private.is_service() then
      perform private.require_uid();
    end if;
    return jsonb_build_object('removed', false);
  end if;
  perform private.require_staff(v_s.clinic_id);
  delete from public.push_subscriptions where id = v_s.id;
  return jsonb_build_object('removed', true);
end
$$;
revoke all on function public.push_subscription_gone(uuid) from public, anon;
grant execute on function public.push_subscription_gone(uuid) to authenticated, service_role;

-- ── Fallback to SMS: + a failed push ──────────────────────────────────────────────────────────────
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
  if v_first.channel not in ('email', 'whatsapp', 'push') or v_first.status <> 'failed' or v_first.entry_id is null
     or coalesce(v_first.error, '') like 'interrupted:%' then
    perform private.raise_error(409, 'VALIDATION.FAILED',
      'only an email, a WhatsApp message or a push the provider refused falls back to SMS');
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
