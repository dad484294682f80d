-- Issue 12, session 15 (turn12c): a claim that ends without a save wakes only the command whose turn it is.
--
-- Before (20261212100001): every claim that ended without a save bumped public.queue_turn_releases.releases,
-- and every waiter of the queue day woke on it and checked its turn again (one claim_turn_and_load each), so
-- with k waiters one release cost k round trips and k − 1 of them answered "still waiting" (storm, 22
-- clients: turn claims per command 6.99 → 7.78).
-- Now the counter row also carries the LINE as it stands after the change: `line`, the arrival numbers
-- (private.queue_turns.seq) of the live claims in order, and `line_version`, the queue version in the same
-- snapshot; claim_turn_and_load answers the caller's own arrival number (`turn_seq`). A waiter that hears a
-- release finds itself in the line:
--   * first (or gone: its claim was swept) → its turn: it checks at once (one round trip, the only one);
--   * i-th behind others → no round trip: it now waits for version line_version + i (each claim ahead of it
--     ends either with a save, +1 version, or with another release, which carries the line again).
-- So one release wakes one claimant; the others re-aim their wait locally.
--   * Consistency: the count, the line and the version are written by ONE statement (one snapshot, one change
--     for Realtime to send), after the counter row is locked, so concurrent releases are serialised and the
--     later one's line includes every earlier one. A line that still shows a claim a concurrent save just ended can only make a waiter
--     aim one version too high (its bounded wait covers it) — never wake a second claimant.
--   * Trust: arrival numbers only (no command ids, no actors); the row stays staff-read (RLS unchanged), only
--     these security-definer functions write it.
--   * A dead tab's lease (session 15, item 2): with claims ahead, claim_turn_and_load also answers
--     `turn_head_ms`, the milliseconds left (by private.now()) on the lease of the claim whose turn it is. The
--     waiter right behind it bounds its wait by that instant, so its check at the lease's end sweeps the dead
--     claim (counted: the line moves on) instead of the next check that happens to come along.
--   * Locks: as before — the counter row after the claim's own row; no queue-row lock is taken here.

alter table public.queue_turn_releases
  add column line bigint[] not null default '{}',
  add column line_version integer;
comment on column public.queue_turn_releases.line is
  'Arrival numbers of the live turn claims, oldest first, after the last release (the first is the next holder).';
comment on column public.queue_turn_releases.line_version is
  'The queue version in the same snapshot as line: a waiter i-th in line waits for line_version + i.';

-- private.count_turn_releases: as in 20261212100001 (its only definition), plus the line after the change.
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
         line = coalesce((select array_agg(t.seq order by t.seq) from private.queue_turns t
                           where t.queue_id = p_queue_id and t.expires_at > private.now()), '{}'),
         line_version = (select q.version from public.queues q where q.id = p_queue_id),
         updated_at = private.now()
   where r.queue_id = p_queue_id;
end
$$;
revoke all on function private.count_turn_releases(uuid, uuid, integer) from public, anon, authenticated;

-- public.claim_turn_and_load: as in 20261212100001 (its newest definition), plus turn_seq (the caller's own
-- arrival number, by which it finds itself in a release's line) in every answer that made a claim.
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
  v_ahead := public.claim_queue_turn(p_queue_id, p_command_id);
  select t.seen_version, t.seq into v_seen, v_seq from private.queue_turns t
   where t.queue_id = p_queue_id and t.command_id = p_command_id;
  -- read after the claim, in its transaction: a release committed before is counted here (its claim is not
  -- among those ahead); one committed later arrives over Realtime as a count above this one, with its line
  v_releases := private.turn_releases(p_queue_id);
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
