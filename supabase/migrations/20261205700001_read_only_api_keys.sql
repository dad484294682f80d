-- A read-only API key is read-only in the database too (issue 18). A key acts through its own auth user,
-- a `receptionist` member of its clinic (20261201007001); until now its `read` scope was enforced by the
-- gateway alone, so a gateway bug — or its minted JWT used directly against PostgREST — could change the
-- queue with a key its owner created to read. Now every statement that writes the clinic's queue or
-- patients (queue steps and their events, walk-ins, bookings, cancellations, patient records) is refused
-- with 403 AUTH.FORBIDDEN when the acting user is the identity of a key with none of the write scopes
-- (queue, bookings, admin). The check reads the key by the JWT's user id (auth.uid()), never a claim the
-- caller could choose; the service role and every human user pass at once (no API key has their id).
-- Statement-level triggers: one indexed lookup per writing statement, whatever the function that writes.
-- New objects only.

create index if not exists api_keys_user_idx on public.api_keys (user_id);

create function private.refuse_read_only_api_key() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
begin
  if v_uid is not null and exists (
    select 1 from public.api_keys k
     where k.user_id = v_uid
       and not (k.scopes && array['queue', 'bookings', 'admin']::text[])
  ) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'a read-only API key cannot change anything');
  end if;
  return null;
end
$$;
revoke all on function private.refuse_read_only_api_key() from public;

create trigger queue_events_read_only_api_key
  before insert on public.queue_events
  for each statement execute function private.refuse_read_only_api_key();
create trigger queue_entries_read_only_api_key
  before insert or update or delete on public.queue_entries
  for each statement execute function private.refuse_read_only_api_key();
create trigger patients_read_only_api_key
  before insert or update or delete on public.patients
  for each statement execute function private.refuse_read_only_api_key();
create trigger queues_read_only_api_key
  before update or delete on public.queues
  for each statement execute function private.refuse_read_only_api_key();
