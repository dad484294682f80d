-- Issue 20: a push subscription's endpoint URL is a capability (whoever holds it can push to the patient's
-- browser) and its keys encrypt what is shown there. Until now notification_push_begin answered them to the
-- caller, and staff of the clinic may call it: a receptionist could read every opted-in patient's endpoint and
-- keys. Now only the server reads them:
--
-- public.notification_push_begin (newest: 20261210700002): the same decisions and the same record, but it never
--   answers endpoints or keys — `targets` (how many browsers) instead of `subscriptions`.
-- public.notification_push_targets(p_notification_id) → [{ id, endpoint, p256dh, auth }] — the browsers of a push
--   that is waiting for its outcome (channel push, status queued). The service role only (the send-sms and
--   sweep functions read them with the service key, after begin has checked the caller may send this message);
--   anyone else → 42501 (no grant). Another state → 409 VALIDATION.FAILED.
-- public.push_subscription_gone (newest: 20261210700002): the service role only too — only the server knows
--   subscription ids now.

create or replace function public.notification_push_begin(
  p_clinic_id uuid, p_idempotency_key text, p_kind public.notification_kind, p_entry_id uuid, p_body text,
  p_event_id bigint default null, p_language public.app_language default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_n public.notifications;
  v_targets integer;
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
                              'channel', v_n.channel, 'targets', 0);
  end if;
  if p_kind not in ('almost_turn', 'your_turn') then
    return jsonb_build_object('mode', 'none');
  end if;
  select count(*) into v_targets from public.push_subscriptions s where s.entry_id = p_entry_id;
  if v_targets = 0 then
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
                              'channel', v_n.channel, 'targets', 0);
  end if;
  return jsonb_build_object('mode', 'push', 'notification_id', v_n.id, 'status', 'queued', 'duplicate', false,
                            'channel', 'push', 'targets', v_targets);
end
$$;

create function public.notification_push_targets(p_notification_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_n public.notifications;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  select * into v_n from public.notifications where id = p_notification_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'notification not found');
  end if;
  if v_n.channel <> 'push' or v_n.status <> 'queued' or v_n.entry_id is null then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'not a push waiting for its outcome');
  end if;
  return coalesce(
    (select jsonb_agg(jsonb_build_object('id', s.id, 'endpoint', s.endpoint, 'p256dh', s.p256dh, 'auth', s.auth)
                      order by s.created_at, s.id)
       from public.push_subscriptions s where s.entry_id = v_n.entry_id),
    '[]'::jsonb);
end
$$;
revoke all on function public.notification_push_targets(uuid) from public, anon, authenticated;
grant execute on function public.notification_push_targets(uuid) to service_role;

create or replace function public.push_subscription_gone(p_subscription_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_n integer;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  delete from public.push_subscriptions where id = p_subscription_id;
  get diagnostics v_n = row_count;
  return jsonb_build_object('removed', v_n > 0);
end
$$;
revoke all on function public.push_subscription_gone(uuid) from public, anon, authenticated;
grant execute on function public.push_subscription_gone(uuid) to service_role;
