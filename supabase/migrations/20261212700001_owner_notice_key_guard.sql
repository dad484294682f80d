-- The owner's "webhook disabled" notice is owed until a notification row holds its key
-- (webhook_disabled:<endpoint>:<n>), whatever that row's kind: 20261211100002 refused only the kind, so a staff
-- member could record a skip or reserve an SMS of another kind under the notice's key and the owner was never told.
-- Only the service role writes a row under that key now.
create or replace function private.notifications_service_only_kinds() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (new.kind = 'webhook_disabled' or new.idempotency_key like 'webhook\_disabled:%')
     and not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'this message kind is sent by the server only');
  end if;
  return new;
end
$$;
revoke all on function private.notifications_service_only_kinds() from public;

-- Endpoints switched off for failing before 20261211100002 never counted a disable, so the outbox (which owes a
-- notice for failing_disables > 0) never told their owner: count that one disable now (an update of
-- failing_disables only: the enable/disable trigger does not fire).
update public.webhook_endpoints
   set failing_disables = 1
 where not enabled and disabled_reason = 'failing' and owner_notified_at is null and failing_disables = 0;
