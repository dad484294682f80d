-- claim_turn_and_load takes the queue row before it sweeps expired claims (review of session 14, issue 12).
--
-- Lock order. save_queue_step locks the queue row FOR UPDATE first and deletes expired claims from
-- private.queue_turns at its end; claim_turn_and_load deleted the same expired claims FIRST and only then took
-- the queue row FOR SHARE (in claim_queue_turn). With a closed tab's claim past its lease, a save (queue row held,
-- then waiting on the expired claim's row) and a claim (expired claim's row deleted, then waiting on the queue
-- row) waited on each other: PostgreSQL broke the deadlock after ~1 s by aborting one (40P01 →
-- CONCURRENCY.RETRY) — in the storms the turn exists to smooth. Now the claim takes the queue row FOR SHARE
-- before the sweep (FOR UPDATE when it expires grace windows, as before), so every path locks
-- queue row → turn claims → release counter.
--
-- Missed wake-up. turn_releases was read after claim_queue_turn, in a later statement (READ COMMITTED: a later
-- snapshot): a release committed between the two was counted among the claims ahead AND in the count the
-- waiter compares against, so nothing later woke it before its fallback. Now the count is read before the claim:
-- a release committed between is then above the waiter's count — at worst one extra check, never a missed one.
--
-- Everything else is 20261213600001's body (its newest definition).

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
  select t.seen_version, t.seq into v_seen, v_seq from private.queue_turns t
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
