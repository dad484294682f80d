-- Issue 20: a push service that answers 429 or 5xx (or can't be reached) is busy, not gone. Until now such a push
-- failed at once and the SMS went instead; now it is tried again by the sweep with backoff, a bounded number of
-- times, and only then does the one SMS fallback go. 404/410 still remove the subscription at once (the sender).
--
-- public.notifications.retry_at: when a push waiting for a retry (channel push, status queued) is due; null for
--   everything else. Each try counts in `attempts`, the last reason is in `error`.
-- public.notification_push_defer(p_notification_id, p_error, p_retry_after_seconds?) → { deferred, attempts,
--   retry_at } — after a try no browser accepted for a passing reason. At most 3 tries in all: the 3rd failed try
--   (or a Retry-After beyond 15 minutes: a "your turn" that late is worthless) → { deferred: false } and nothing
--   changes (the sender settles it failed and sends the SMS). Otherwise attempts + 1 and retry_at = now +
--   max(Retry-After, 30 s × 2^(tries − 1)). Staff of the clinic or the service role, like the settle.
-- public.notification_push_retry_due(p_limit) → [{ notification_id, clinic_id, entry_id, kind, idempotency_key,
--   body, language, attempts, clinic_name, sender, tracking_token, subscriptions }] — the service role only (the
--   sweep): the pushes whose retry is due, leased for 2 minutes (retry_at moves on, so a second sweep at the
--   same time gets other rows); the visit's subscriptions with their endpoints and keys. A push whose visit is
--   over is closed as failed instead (no retry, no SMS).
-- public.notification_push_settle (newest: 20261210700002): + clears retry_at.

alter table public.notifications add column retry_at timestamptz;
create index notifications_push_retry_idx on public.notifications (retry_at)
  where retry_at is not null and channel = 'push' and status = 'queued';

create function public.notification_push_defer(
  p_notification_id uuid, p_error text default null, p_retry_after_seconds integer default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_n public.notifications;
  v_max_tries constant integer := 3;
  v_wait integer;
begin
  select * into v_n from public.notifications where id = p_notification_id for update;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'notification not found');
  end if;
  perform private.require_staff(v_n.clinic_id);
  if v_n.channel <> 'push' or v_n.status <> 'queued' then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'not a push waiting for its outcome');
  end if;
  if v_n.attempts + 1 >= v_max_tries or coalesce(p_retry_after_seconds, 0) > 900 then
    return jsonb_build_object('deferred', false, 'attempts', v_n.attempts, 'retry_at', null);
  end if;
  v_wait := greatest(coalesce(p_retry_after_seconds, 0), 30 * (2 ^ v_n.attempts)::integer);
  update public.notifications
     set attempts = attempts + 1,
         error = left(coalesce(p_error, 'push service busy'), 2000),
         retry_at = private.now() + make_interval(secs => v_wait)
   where id = v_n.id
  returning * into v_n;
  return jsonb_build_object('deferred', true, 'attempts', v_n.attempts, 'retry_at', v_n.retry_at);
end
$$;
revoke all on function public.notification_push_defer(uuid, text, integer) from public, anon;
grant execute on function public.notification_push_defer(uuid, text, integer) to authenticated, service_role;

create function public.notification_push_retry_due(p_limit integer default 50)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_out jsonb;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  -- a visit that is over gets no late "your turn": closed as failed, no retry, no SMS
  update public.notifications n
     set status = 'failed', retry_at = null,
         error = left('visit over: not retried (' || coalesce(n.error, 'push service busy') || ')', 2000)
    from public.queue_entries e
   where e.id = n.entry_id and n.channel = 'push' and n.status = 'queued' and n.retry_at <= private.now()
     and e.status in ('completed', 'cancelled', 'no_show');
  with due as (
    select n.id from public.notifications n
     where n.channel = 'push' and n.status = 'queued' and n.retry_at is not null and n.retry_at <= private.now()
     order by n.retry_at, n.id
     limit greatest(1, least(coalesce(p_limit, 50), 500))
     for update skip locked
  ), leased as (
    update public.notifications n set retry_at = private.now() + interval '2 minutes'
      from due where n.id = due.id
    returning n.*
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'notification_id', l.id, 'clinic_id', l.clinic_id, 'entry_id', l.entry_id, 'kind', l.kind,
           'idempotency_key', l.idempotency_key, 'body', l.body, 'language', coalesce(l.language, c.default_language),
           'event_id', l.event_id, 'attempts', l.attempts, 'clinic_name', c.name, 'sender', c.sms_sender,
           'tracking_token', private.entry_link(e),
           'subscriptions', coalesce(
             (select jsonb_agg(jsonb_build_object('id', s.id, 'endpoint', s.endpoint, 'p256dh', s.p256dh,
                                                  'auth', s.auth) order by s.created_at, s.id)
                from public.push_subscriptions s where s.entry_id = l.entry_id), '[]'::jsonb))
           order by l.retry_at, l.id), '[]'::jsonb)
    into v_out
    from leased l
    join public.clinics c on c.id = l.clinic_id
    join public.queue_entries e on e.id = l.entry_id;
  return v_out;
end
$$;
revoke all on function public.notification_push_retry_due(integer) from public, anon, authenticated;
grant execute on function public.notification_push_retry_due(integer) to service_role;

create or replace function public.notification_push_settle(
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
         retry_at = null,
         provider_id = case when p_status <> 'failed' and p_delivered is not null
                            then 'push:' || greatest(p_delivered, 0) end,
         error = case when p_status = 'failed' then left(coalesce(p_error, 'push failed'), 2000) end,
         sent_at = case when p_status <> 'failed' then private.now() end
   where id = v_n.id
  returning * into v_n;
  return jsonb_build_object('notification_id', v_n.id, 'status', v_n.status, 'attempts', v_n.attempts);
end
$$;
