-- Issue 20: an email whose sender died between notification_email_begin and notification_email_settle stays
-- `queued` (emails hold no budget reservation, so the SMS close did not see it). The sweep now closes it too,
-- as failed with the same reason (never resent: the mail server may have accepted it).
-- public.notification_close_interrupted (newest: 20261202100001): + queued emails older than the limit.
create or replace function public.notification_close_interrupted(p_older_than_seconds integer default 600)
returns integer
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_count integer := 0;
  v_emails integer := 0;
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
  return v_count + v_emails;
end
$function$;
