-- Issue 12, session 14 (turn12): a claim that ends WITHOUT a save wakes the commands waiting behind it.
--
-- Before: a command waiting in line with k claims ahead at version v slept until it heard version v + k over
-- Realtime (QueueService.handedTurn). When a claim ahead ended without saving — the rules refused the command,
-- its command id was already applied, it failed or gave up — public.release_queue_turn deleted the claim and
-- told nobody: version v + k never came and every waiter behind slept its whole bound (up to 2 s). That was
-- the storm's p95 tail (session 13: p95 ≈ 2.25 s ≈ the cap).
-- Now every claim that ends without a save is COUNTED in public.queue_turn_releases (one row per queue day,
-- in the supabase_realtime publication: Supabase's Realtime reads it from the WAL, the local stack from its
-- NOTIFY trigger — the same path the waiter's version watch already listens on), and claim_turn_and_load
-- answers the count it saw (turn_releases). A waiter sleeps until it hears version v + k OR a count above the
-- one its check answered, then checks again at once. The count is read in the same transaction as the claim,
-- so a release that committed before the check is already in the check's answer (its claim is gone), and
-- one that commits after it arrives as a change above that count: no release is missed or double-counted.
--   * Which claims end without a save: release_queue_turn (the claimant's own, only when it existed), and
--     claims whose lease ran out, swept (and counted) by the next claim_turn_and_load on that queue day —
--     a dead tab's claim has no process of its own at its expiry instant; the waiter's bounded wait covers
--     the time until then. A successful save ends its claim with a new version (heard already): not counted.
--   * Trust: the row holds a counter only (no command ids, no actors); staff of the clinic read it (RLS, as
--     the rest of the queue's staff state); nobody but these security-definer functions writes it.
--   * Locks: the counter row is touched after the claim's FOR SHARE on the queue row (claim_turn_and_load) or
--     without any queue-row lock (release_queue_turn); save_queue_step never touches it: no lock cycle.

create table public.queue_turn_releases (
  queue_id uuid primary key references public.queues (id) on delete cascade,
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  -- claims of this queue day that ended without a save (released, or swept after their lease ran out)
  releases integer not null default 0 check (releases >= 0),
  updated_at timestamptz not null default private.now()
);
comment on table public.queue_turn_releases is
  'Per queue day: how many turn claims ended without a save; a change wakes the commands waiting in line (issue 12).';
alter table public.queue_turn_releases enable row level security;
create policy queue_turn_releases_staff_read on public.queue_turn_releases
  for select to authenticated using (private.is_clinic_staff(clinic_id));
revoke all on public.queue_turn_releases from anon, authenticated;
grant select on public.queue_turn_releases to authenticated;
grant all on public.queue_turn_releases to service_role;
alter publication supabase_realtime add table public.queue_turn_releases;

-- Counts p_count claims of a queue day that ended without a save (one statement: concurrent ends add up).
create function private.count_turn_releases(p_queue_id uuid, p_clinic_id uuid, p_count integer)
returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.queue_turn_releases as r (queue_id, clinic_id, releases)
  values (p_queue_id, p_clinic_id, p_count)
  on conflict (queue_id) do update set releases = r.releases + excluded.releases, updated_at = private.now()
$$;
revoke all on function private.count_turn_releases(uuid, uuid, integer) from public, anon, authenticated;

-- The count of a queue day's claims that ended without a save (0 before the first).
create function private.turn_releases(p_queue_id uuid) returns integer
language sql stable security definer set search_path = '' as $$
  select coalesce((select r.releases from public.queue_turn_releases r where r.queue_id = p_queue_id), 0)
$$;
revoke all on function private.turn_releases(uuid) from public, anon, authenticated;

-- public.release_queue_turn: as in 20261205200001 (its only definition), plus the count when a claim ended.
create or replace function public.release_queue_turn(p_queue_id uuid, p_command_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_clinic uuid;
  v_ended integer;
begin
  if p_queue_id is null or p_command_id is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_queue_id and p_command_id are required');
  end if;
  select clinic_id into v_clinic from public.queues where id = p_queue_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'queue not found');
  end if;
  perform private.require_staff(v_clinic);
  delete from private.queue_turns t
   where t.queue_id = p_queue_id and t.command_id = p_command_id
     and t.actor_id is not distinct from auth.uid();
  get diagnostics v_ended = row_count;
  -- only a claim that existed wakes anyone (a second release, or someone else's command id, changes nothing)
  if v_ended > 0 then
    perform private.count_turn_releases(p_queue_id, v_clinic, v_ended);
  end if;
end
$function$;

-- public.claim_turn_and_load: as in 20261211500001 (its only definition), plus: claims whose lease ran out are
-- swept and counted before the claim (they wake the others waiting), and every answer carries turn_releases.
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
  v_swept integer;
  v_releases integer;
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
  -- claims whose lease ran out ended without a save: swept here and counted, so the commands waiting behind
  -- them check again at once (the caller's own expired claim too: its claim below starts afresh)
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
  select t.seen_version into v_seen from private.queue_turns t
   where t.queue_id = p_queue_id and t.command_id = p_command_id;
  -- read after the claim, in its transaction: a release committed before is counted here (its claim is not
  -- among those ahead); one committed later arrives over Realtime as a count above this one
  v_releases := private.turn_releases(p_queue_id);
  if v_ahead > 0 then
    return jsonb_build_object('turn_ahead', v_ahead, 'seen_version', v_seen, 'turn_releases', v_releases);
  end if;
  return public.get_queue(v_queue.clinic_id, to_char(v_queue.day, 'YYYY-MM-DD'), p_command_id, p_scope,
                          p_entry_ids, p_since_queue_id, p_since_version)
         || jsonb_build_object('turn_ahead', 0, 'seen_version', v_seen, 'turn_releases', v_releases);
end
$$;
