-- sec19 (review19 M1): mark_events_notified is the notification sweep's, and only the sweep's.
--
-- Before, it was granted to authenticated with an is_clinic_staff branch: any staff member of a clinic could mark
-- a patient's unnotified events as notified in the ~20 s before the sweep picked them up, so that patient's
-- confirmation / no-show / cancellation SMS was silently never sent (the event log is the outbox: a row marked
-- notified is a message the sweep believes it already sent). Its one caller, the notification-sweep edge function,
-- uses the service key; the browser never calls it. Service role only now: EXECUTE revoked from everyone else,
-- and the body refuses any other caller itself (403) in case a future blanket grant gives it back.
-- Body from its latest definition (20261202100001_private_now_everywhere.sql), minus the staff branch.

create or replace function public.mark_events_notified(p_event_ids bigint[])
returns integer
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_count integer;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  if p_event_ids is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_event_ids is required');
  end if;
  update public.queue_events ev set notified_at = private.now()
   where ev.id = any (p_event_ids) and ev.notified_at is null;
  get diagnostics v_count = row_count;
  return v_count;
end
$function$;

revoke execute on function public.mark_events_notified(bigint[]) from public, anon, authenticated;
grant execute on function public.mark_events_notified(bigint[]) to service_role;
