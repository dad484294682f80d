-- Issue 12, session 18: the database is the one source of the turn lease, and a lapsed claim's return is heard.
--
-- 1. The lease. Before: the claim's lease was private.queue_turn_lifetime() = 10 s (an immutable constant here)
--    and the client's longest wait between two checks of a waiting claim (which refresh it) was a separate
--    constant, QueueService's MAX_LINED_TURN_WAIT_MS = 5 s, "half the lease" by a comment only. Changing one
--    without the other would lapse every live waiter (a wait longer than the lease) or hold a dead tab's claim
--    longer than needed. Now:
--      * the lease is a row, private.queue_turn_settings.lease_ms (default 10 000: the value justified in
--        docs/operations.md), read by private.queue_turn_lifetime() (now stable, same name and signature:
--        every caller — claim_queue_turn, the lapse trigger — follows it unchanged);
--      * claim_turn_and_load answers it (`turn_lease_ms`) in every answer, and the client derives its waits
--        from the lease it was given (half of it between two checks of a lined waiter; a fifth for the poll
--        without a line) — so an operator who changes the row changes the clients' waits with it.
-- 2. A lapsed claim that comes back is a change of the line, and the line is broadcast. Before (20261216500001):
--    claim_queue_turn gave a lapsed claim its old arrival number back silently. The line every waiter last heard
--    (public.queue_turn_releases, written when the lapse was swept) still left it out, so the waiters behind it
--    aimed at a version one too early and spent a check finding "still 1 ahead", and the one that heard it was
--    first in line checked for a turn that was no longer its. Now the return is counted like a release — one
--    change of public.queue_turn_releases with the line that includes the returned claim at its place — so each
--    waiter re-aims (QueueVersionWatch turnSignalOf: `moved` to the version its turn comes at) with no round trip.
--    `releases` thus counts the line's changes that were not saves: claims that ended without a save, and lapsed
--    claims that came back.
--    Lock order: the return now writes the release counter, so every check that writes it takes the counter
--    BEFORE the claim and lapse rows it changes: queue row (FOR SHARE) → release counter → claims / lapses.
--      * claim_queue_turn: when the caller has a lapse to take back (a plain read first), it locks the counter,
--        then deletes the lapse and inserts the claim. Deleting the lapse first and locking the counter after
--        deadlocked with a check of the same command that counted a sweep (it holds the counter, then deletes the
--        same lapse): supabase/tests/turnReturnLockOrder.test.ts.
--      * claim_turn_and_load: when there are expired claims to sweep (a plain read first), it locks the counter
--        before the sweep deletes them (the lapse trigger writes lapses during that delete), not after.
--    A check with nothing to sweep and nothing to take back takes no counter lock, as before (the busy path).
-- claim_queue_turn: 20261216500001's body (its newest definition); claim_turn_and_load: 20261216500002's body (its
-- newest definition); only what is said above changes.

create table private.queue_turn_settings (
  singleton boolean primary key default true check (singleton),
  -- how long a turn claim lives past its last refresh (and how long a lapsed claim keeps its place after that)
  lease_ms integer not null default 10000 check (lease_ms between 2000 and 120000)
);
comment on table private.queue_turn_settings is
  'The turn claims'' lease (issue 12): the database is its one source; claim_turn_and_load tells clients, who wait half of it at most.';
revoke all on private.queue_turn_settings from public, anon, authenticated;
insert into private.queue_turn_settings (singleton, lease_ms) values (true, 10000);

create or replace function private.queue_turn_lifetime() returns interval
language sql stable set search_path = '' as $$
  -- the row is seeded above; without it (deleted by hand) the lease justified in docs/operations.md
  select coalesce((select make_interval(secs => s.lease_ms / 1000.0) from private.queue_turn_settings s),
                  interval '10 seconds')
$$;

-- the lease in whole milliseconds, as claim_turn_and_load answers it
create function private.queue_turn_lease_ms() returns integer
language sql stable set search_path = '' as $$
  select (extract(epoch from private.queue_turn_lifetime()) * 1000)::integer
$$;
revoke all on function private.queue_turn_lease_ms() from public, anon, authenticated;

-- the queue day's release counter row, created empty at first use (a count of 0 wakes nobody), then locked
create function private.lock_turn_releases(p_queue_id uuid, p_clinic_id uuid) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.queue_turn_releases (queue_id, clinic_id, releases)
  values (p_queue_id, p_clinic_id, 0)
  on conflict (queue_id) do nothing;
  perform 1 from public.queue_turn_releases r where r.queue_id = p_queue_id for update;
end
$$;
revoke all on function private.lock_turn_releases(uuid, uuid) from public, anon, authenticated;

create or replace function public.claim_queue_turn(p_queue_id uuid, p_command_id uuid)
returns integer
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_clinic uuid;
  v_version integer;
  v_seq bigint;
  v_lapsed bigint;
begin
  if p_queue_id is null or p_command_id is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_queue_id and p_command_id are required');
  end if;
  select clinic_id into v_clinic from public.queues where id = p_queue_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'queue not found');
  end if;
  perform private.require_staff(v_clinic);
  -- after any save in flight: the version recorded is the one the claimant's next load will read
  select version into v_version from public.queues where id = p_queue_id for share;
  -- the claimant's own lapsed claim (its lease ran out and it was swept): it comes back at its old place, and
  -- that changes the line — the release counter first (lock order above), then the lapse
  if exists (select 1 from private.queue_turn_lapses l
              where l.queue_id = p_queue_id and l.command_id = p_command_id
                and l.actor_id is not distinct from auth.uid()
                and l.expired_at + private.queue_turn_lifetime() > private.now()) then
    perform private.lock_turn_releases(p_queue_id, v_clinic);
  end if;
  delete from private.queue_turn_lapses l
   where l.queue_id = p_queue_id and l.command_id = p_command_id
     and l.actor_id is not distinct from auth.uid()
     and l.expired_at + private.queue_turn_lifetime() > private.now()
  returning l.seq into v_lapsed;
  if v_lapsed is not null then
    insert into private.queue_turns as t (queue_id, command_id, seq, actor_id, seen_version, expires_at)
    overriding system value
    values (p_queue_id, p_command_id, v_lapsed, auth.uid(), v_version,
            private.now() + private.queue_turn_lifetime())
    on conflict (queue_id, command_id) do update
       set expires_at = excluded.expires_at, seen_version = excluded.seen_version
     where t.actor_id is not distinct from excluded.actor_id
    returning seq into v_seq;
    if v_seq is not null then
      -- one change of the line, as a release writes it: the waiters behind re-aim (session 18)
      perform private.count_turn_releases(p_queue_id, v_clinic, 1);
    end if;
  else
    insert into private.queue_turns as t (queue_id, command_id, actor_id, seen_version, expires_at)
    values (p_queue_id, p_command_id, auth.uid(), v_version, private.now() + private.queue_turn_lifetime())
    on conflict (queue_id, command_id) do update
       set expires_at = excluded.expires_at, seen_version = excluded.seen_version
     where t.actor_id is not distinct from excluded.actor_id
    returning seq into v_seq;
  end if;
  if v_seq is null then
    -- the command id is claimed by another staff member: not this caller's claim to refresh
    perform private.raise_error(409, 'QUEUE.VERSION_CONFLICT', 'this command id is claimed by someone else');
  end if;
  return (select count(*)::integer from private.queue_turns t
           where t.queue_id = p_queue_id and t.seq < v_seq and t.expires_at > private.now());
end
$function$;

create or replace function public.claim_turn_and_load(
  p_queue_id uuid,
  p_command_id uuid,
  p_scope text default 'active',
  p_entry_ids uuid[] default null,
  p_since_queue_id uuid default null,
  p_since_version integer default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_queue public.queues;
  v_ahead integer;
  v_seen integer;
  v_seq bigint;
  v_swept integer;
  v_releases integer;
  v_head_ms integer;
  v_lease_ms integer := private.queue_turn_lease_ms();
begin
  if p_queue_id is null or p_command_id is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_queue_id and p_command_id are required');
  end if;
  select * into v_queue from public.queues where id = p_queue_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'queue not found');
  end if;
  perform private.require_staff(v_queue.clinic_id);
  if exists (select 1 from public.queue_entries e
              where e.queue_id = p_queue_id and e.status = 'absent' and e.grace_ends_at <= private.now()) then
    perform 1 from public.queues where id = p_queue_id for update;
    perform private.expire_grace(p_queue_id);
  end if;
  -- the queue row before the turn claims, as save_queue_step (FOR UPDATE) does: no lock-order deadlock
  perform 1 from public.queues where id = p_queue_id for share;
  -- claims whose lease ran out ended without a save: swept here and counted, so the command now first in
  -- line checks again at once (the caller's own expired claim too: its claim below starts afresh); the
  -- counter is locked before the sweep (lock order above)
  if exists (select 1 from private.queue_turns t
              where t.queue_id = p_queue_id and t.expires_at <= private.now()) then
    perform private.lock_turn_releases(p_queue_id, v_queue.clinic_id);
    delete from private.queue_turns t
     where t.queue_id = p_queue_id and t.expires_at <= private.now();
    get diagnostics v_swept = row_count;
    if v_swept > 0 then
      perform private.count_turn_releases(p_queue_id, v_queue.clinic_id, v_swept);
    end if;
  end if;
  -- a command this queue day already applied waits in no line: the answer says so (applied_command), no claim
  if exists (select 1 from public.queue_commands c where c.queue_id = p_queue_id and c.command_id = p_command_id) then
    return public.get_queue(v_queue.clinic_id, to_char(v_queue.day, 'YYYY-MM-DD'), p_command_id, p_scope,
                            p_entry_ids, p_since_queue_id, p_since_version)
           || jsonb_build_object('turn_ahead', 0,
                                 'seen_version', (select q.version from public.queues q where q.id = p_queue_id),
                                 'turn_releases', private.turn_releases(p_queue_id),
                                 'turn_lease_ms', v_lease_ms);
  end if;
  -- the count BEFORE the claim (an earlier snapshot): a release committed between the two is above it, so it
  -- wakes this waiter (at worst one check too many) instead of being counted both ahead and as seen
  v_releases := private.turn_releases(p_queue_id);
  v_ahead := public.claim_queue_turn(p_queue_id, p_command_id);
  -- the caller's place marker in a release's line: its claim's token, never the global arrival number
  select t.seen_version, private.queue_turn_token(t.queue_id, t.command_id) into v_seen, v_seq
    from private.queue_turns t
   where t.queue_id = p_queue_id and t.command_id = p_command_id;
  if v_ahead > 0 then
    -- how long the claim whose turn it is may still hold it (a dead tab's claim ends then)
    select greatest(0, ceil(extract(epoch from (t.expires_at - private.now())) * 1000))::integer into v_head_ms
      from private.queue_turns t
     where t.queue_id = p_queue_id and t.expires_at > private.now()
     order by t.seq limit 1;
    return jsonb_build_object('turn_ahead', v_ahead, 'seen_version', v_seen, 'turn_releases', v_releases,
                              'turn_seq', v_seq, 'turn_head_ms', v_head_ms, 'turn_lease_ms', v_lease_ms);
  end if;
  return public.get_queue(v_queue.clinic_id, to_char(v_queue.day, 'YYYY-MM-DD'), p_command_id, p_scope,
                          p_entry_ids, p_since_queue_id, p_since_version)
         || jsonb_build_object('turn_ahead', 0, 'seen_version', v_seen, 'turn_releases', v_releases,
                               'turn_seq', v_seq, 'turn_lease_ms', v_lease_ms);
end
$$;

revoke all on function public.claim_turn_and_load(uuid, uuid, text, uuid[], uuid, integer) from public, anon;
grant execute on function public.claim_turn_and_load(uuid, uuid, text, uuid[], uuid, integer)
  to authenticated, service_role;
