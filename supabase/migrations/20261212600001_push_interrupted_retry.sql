-- Issue 20: a web push whose sender died between notification_push_begin and notification_push_settle stayed
-- `queued` for ever: notification_close_interrupted closed only budget-reserved messages (SMS, WhatsApp) and
-- emails, and a push holds no reservation and is not an email. The sweep now takes it too, once:
--   - a push begun and never settled (status queued, no retry pending — retry_at null), older than the limit on
--     the database's clock, is handed to the push retry path: attempts + 1 (the lost try counts), retry_at = now,
--     error 'interrupted: …; tried again'. The sweep's notification_push_retry_due then leases and sends it again
--     like a push a busy service put off, with the same cap of 3 tries and then the one SMS fallback. Resending a
--     push is safe where resending an SMS or an email is not: the service worker shows one notification per visit
--     (tag queuemed-visit-<entry>), so a push that did arrive is replaced, not doubled. Once retry_at is set the
--     row no longer matches, so two sweeps at once (skip locked) or a later sweep never take it a second time.
--   - such a push already at its last try is closed as failed 'interrupted: …; not resent', like an SMS or an
--     email (no SMS fallback: notification_sms_fallback refuses 'interrupted:' rows).
-- public.notification_close_interrupted (newest: 20261206800003): + the two push updates; the count includes them.
create or replace function public.notification_close_interrupted(p_older_than_seconds integer default 600)
returns integer
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_count integer := 0;
  v_emails integer := 0;
  v_push_retried integer := 0;
  v_push_closed integer := 0;
  v_max_push_tries constant integer := 3; -- as notification_push_defer
  v_before timestamptz;
  r record;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  v_before := private.now() - make_interval(secs => greatest(coalesce(p_older_than_seconds, 600), 60));
  for r in
    select id from public.notifications
     where status = 'queued' and reserved
       and updated_at < v_before
     order by updated_at
     limit 500
     for update skip locked
  loop
    perform public.sms_budget_settle(r.id, 'failed', null, null, null,
      'interrupted: the sender stopped before the provider answered; not resent (it may have been delivered)');
    v_count := v_count + 1;
  end loop;
  update public.notifications n
     set status = 'failed', attempts = n.attempts + 1,
         error = 'interrupted: the sender stopped before the mail server answered; not resent (it may have been delivered)'
   where n.id in (select id from public.notifications
                   where channel = 'email' and status = 'queued' and not reserved and updated_at < v_before
                   order by updated_at
                   limit 500
                   for update skip locked);
  get diagnostics v_emails = row_count;
  update public.notifications n
     set attempts = n.attempts + 1, retry_at = private.now(),
         error = 'interrupted: the sender stopped before the push service answered; tried again'
   where n.id in (select id from public.notifications
                   where channel = 'push' and status = 'queued' and retry_at is null and updated_at < v_before
                     and attempts + 1 < v_max_push_tries
                   order by updated_at
                   limit 500
                   for update skip locked);
  get diagnostics v_push_retried = row_count;
  update public.notifications n
     set status = 'failed', attempts = n.attempts + 1,
         error = 'interrupted: the sender stopped before the push service answered; not resent (last try)'
   where n.id in (select id from public.notifications
                   where channel = 'push' and status = 'queued' and retry_at is null and updated_at < v_before
                     and attempts + 1 >= v_max_push_tries
                   order by updated_at
                   limit 500
                   for update skip locked);
  get diagnostics v_push_closed = row_count;
  return v_count + v_emails + v_push_retried + v_push_closed;
end
$function$;
