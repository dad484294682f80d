-- Issue 12, session 13 (lat12): a desk's turn costs one round trip less, and a waiter's poll carries nothing.
--
-- Before: a command that lined up for its queue turn sent claim_queue_turn and get_queue side by side on
-- every check (two HTTP requests, and the whole delta load even when other claims were ahead: the storm on
-- an idle machine made 6.1 claims + 2.7 loads per command, 10.1 round trips). Now one function does both:
-- it claims (or refreshes) the command's turn exactly as claim_queue_turn does, and
--   * when the turn is the caller's (0 claims ahead): answers get_queue's own answer for that queue day
--     (same scope, entry ids, delta arguments, applied_command) plus turn_ahead 0 and seen_version — the
--     version the claim pinned, which is the version the load shows, so the save right after cannot lose;
--   * otherwise: answers only { turn_ahead, seen_version } (no load: the caller waits and asks again);
--   * a command id this queue day already applied claims nothing and waits for no one: the load at once, with
--     applied_command set (exactly-once: the caller answers with the first result, decides nothing again).
-- The trust boundary is unchanged: staff of the queue's clinic only (claim_queue_turn's require_staff, and
-- get_queue's own require_staff on the queue's clinic); no new table or column; the claim rules (order,
-- lifetime, someone else's command id → 409) are claim_queue_turn's, called here, not copied.
-- Locks: a grace expiry that is due is applied FIRST (queue row FOR UPDATE, as get_queue would), before the
-- claim takes its FOR SHARE; otherwise two of these calls could each hold FOR SHARE and wait for FOR UPDATE
-- (a deadlock). After that get_queue finds nothing to expire (same transaction, same private.now()).
create function public.claim_turn_and_load(
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
  -- a command this queue day already applied waits in no line: the answer says so (applied_command), no claim
  if exists (select 1 from public.queue_commands c where c.queue_id = p_queue_id and c.command_id = p_command_id) then
    return public.get_queue(v_queue.clinic_id, to_char(v_queue.day, 'YYYY-MM-DD'), p_command_id, p_scope,
                            p_entry_ids, p_since_queue_id, p_since_version)
           || jsonb_build_object('turn_ahead', 0,
                                 'seen_version', (select q.version from public.queues q where q.id = p_queue_id));
  end if;
  v_ahead := public.claim_queue_turn(p_queue_id, p_command_id);
  select t.seen_version into v_seen from private.queue_turns t
   where t.queue_id = p_queue_id and t.command_id = p_command_id;
  if v_ahead > 0 then
    return jsonb_build_object('turn_ahead', v_ahead, 'seen_version', v_seen);
  end if;
  return public.get_queue(v_queue.clinic_id, to_char(v_queue.day, 'YYYY-MM-DD'), p_command_id, p_scope,
                          p_entry_ids, p_since_queue_id, p_since_version)
         || jsonb_build_object('turn_ahead', 0, 'seen_version', v_seen);
end
$$;

revoke all on function public.claim_turn_and_load(uuid, uuid, text, uuid[], uuid, integer) from public, anon;
grant execute on function public.claim_turn_and_load(uuid, uuid, text, uuid[], uuid, integer)
  to authenticated, service_role;
