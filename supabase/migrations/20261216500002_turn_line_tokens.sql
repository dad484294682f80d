-- Issue 12, session 17: the line a release carries no longer exposes a global sequence.
--
-- Before (20261213600001): public.queue_turn_releases.line and claim_turn_and_load's `turn_seq` were
-- private.queue_turns.seq — one identity shared by every clinic's claims. Staff of any clinic, reading their own
-- row (RLS) or its Realtime changes, could subtract two arrival numbers and learn how many commands lost races
-- in ALL clinics in between (other tenants' activity, minute by minute).
-- What the client needs is only to find ITSELF in its queue day's line (QueueVersionWatch: line.indexOf(seq));
-- the order is the array's. So a claim is now named by a token: 52 bits of md5(queue id, command id) — stable
-- for one command on one queue day (a lapsed claim that comes back keeps it, 20261216500001), a safe JavaScript
-- integer (the client's zod schemas and types are unchanged), and unrelated to anyone else's traffic; the
-- command id itself stays secret (it is what save_queue_step honours as the turn's holder). The line's length
-- (this queue day's live claims) is the clinic's own information.
--   * private.queue_turns.seq stays the private arrival order; nothing returns it any more.
--   * Rows written before this migration are rewritten with tokens (their lines are transient anyway).
-- count_turn_releases: 20261213600001's body (its newest definition); claim_turn_and_load: 20261213900003's
-- body (its newest definition); only the numbers they expose change.

create function private.queue_turn_token(p_queue_id uuid, p_command_id uuid) returns bigint
language sql immutable set search_path = '' as $$
  select ('x' || substr(md5(p_queue_id::text || ':' || p_command_id::text), 1, 13))::bit(52)::bigint
$$;
revoke all on function private.queue_turn_token(uuid, uuid) from public, anon, authenticated;

comment on column public.queue_turn_releases.line is
  'Tokens of the live turn claims of this queue day, oldest first, after the last release (the first is the next holder); no global numbers.';

create or replace function private.count_turn_releases(p_queue_id uuid, p_clinic_id uuid, p_count integer)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- the queue day's row (created empty at its first release: a count of 0 wakes nobody), then its lock: a
  -- concurrent release waits here, so the line read below (a later statement, a later snapshot) sees it
  insert into public.queue_turn_releases (queue_id, clinic_id, releases)
  values (p_queue_id, p_clinic_id, 0)
  on conflict (queue_id) do nothing;
  perform 1 from public.queue_turn_releases r where r.queue_id = p_queue_id for update;
  -- ONE change of the row per release (Realtime sends each change): the count, the line of live claims and
  -- the version they stand at, all from this statement's snapshot
  update public.queue_turn_releases r
     set releases = r.releases + p_count,
         line = coalesce((select array_agg(private.queue_turn_token(t.queue_id, t.command_id) order by t.seq)
                           from private.queue_turns t
                           where t.queue_id = p_queue_id and t.expires_at > private.now()), '{}'),
         line_version = (select q.version from public.queues q where q.id = p_queue_id),
         updated_at = private.now()
   where r.queue_id = p_queue_id;
end
$$;
revoke all on function private.count_turn_releases(uuid, uuid, integer) from public, anon, authenticated;

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
  -- line checks again at once (the caller's own expired claim too: its claim below starts afresh)
  delete from private.queue_turns t
   where t.queue_id = p_queue_id and t.expires_at <= private.now();
  get diagnostics v_swept = row_count;
  if v_swept > 0 then
    perform private.count_turn_releases(p_queue_id, v_queue.clinic_id, v_swept);
  end if;
  -- a command this queue day already applied waits in no line: the answer says so (applied_command), no claim
  if exists (select 1 from public.queue_commands c where c.queue_id = p_queue_id and c.command_id = p_command_id) then
    return public.get_queue(v_queue.clinic_id, to_char(v_queue.day, 'YYYY-MM-DD'), p_command_id, p_scope,
                            p_entry_ids, p_since_queue_id, p_since_version)
           || jsonb_build_object('turn_ahead', 0,
                                 'seen_version', (select q.version from public.queues q where q.id = p_queue_id),
                                 'turn_releases', private.turn_releases(p_queue_id));
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
                              'turn_seq', v_seq, 'turn_head_ms', v_head_ms);
  end if;
  return public.get_queue(v_queue.clinic_id, to_char(v_queue.day, 'YYYY-MM-DD'), p_command_id, p_scope,
                          p_entry_ids, p_since_queue_id, p_since_version)
         || jsonb_build_object('turn_ahead', 0, 'seen_version', v_seen, 'turn_releases', v_releases,
                               'turn_seq', v_seq);
end
$$;

revoke all on function public.claim_turn_and_load(uuid, uuid, text, uuid[], uuid, integer) from public, anon;
grant execute on function public.claim_turn_and_load(uuid, uuid, text, uuid[], uuid, integer)
  to authenticated, service_role;

-- lines written before: tokens instead of arrival numbers
update public.queue_turn_releases r
   set line = coalesce((select array_agg(private.queue_turn_token(t.queue_id, t.command_id) order by t.seq)
                          from private.queue_turns t
                         where t.queue_id = r.queue_id and t.expires_at > private.now()), '{}')
 where cardinality(r.line) > 0;
