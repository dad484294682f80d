-- A send interrupted mid-way (the function died between recording the message and settling it) leaves a
-- `queued` message holding a budget reservation. Whether Twilio got it is unknown, so it is never resent
-- (at most once); the sweep closes it as failed with a clear reason, which releases the reservation and
-- shows it in the admin message log.

-- notification_close_interrupted(p_older_than_seconds default 600) → how many messages were closed.
-- Service role only (the notification sweep).
create function public.notification_close_interrupted(p_older_than_seconds integer default 600)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_count integer := 0;
  r record;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  for r in
    select id from public.notifications
     where status = 'queued' and reserved
       and updated_at < now() - make_interval(secs => greatest(coalesce(p_older_than_seconds, 600), 60))
     order by updated_at
     limit 500
     for update skip locked
  loop
    perform public.sms_budget_settle(r.id, 'failed', null, null, null,
      'interrupted: the sender stopped before the provider answered; not resent (it may have been delivered)');
    v_count := v_count + 1;
  end loop;
  return v_count;
end
$$;

revoke execute on function public.notification_close_interrupted(integer) from public, anon, authenticated;
grant execute on function public.notification_close_interrupted(integer) to service_role;
