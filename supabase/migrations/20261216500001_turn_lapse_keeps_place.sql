-- Issue 12, session 17: a claim swept after its lease ran out keeps its place when its command claims again.
--
-- Before: claim_turn_and_load (and save_queue_step) delete every claim whose lease ran out; when its command,
-- still alive but slow (a busy machine, a long round trip), claimed again it was a NEW claim at the back of the
-- line. Under load a slow desk lost its turn again and again — the starvation the turn order exists to prevent.
-- Rule ("a lapsed claim keeps its place"): the lease still bounds how long a claim HOLDS the queue (a closed tab
-- holds it for one lease at most; the sweep still counts the claim as ended and wakes the line behind it), but
-- the claim's arrival number is remembered. When the same command (same id, same staff member) claims again, it
-- gets its old arrival number back: it is ahead of every claim that arrived after it, as if it had never lapsed.
--   * Remembered in private.queue_turn_lapses by a trigger on every delete of an expired claim (both sweeps,
--     and a release of an expired claim), not by the sweeps themselves: save_queue_step is not redefined.
--   * Not remembered: a claim whose command was applied (it never claims again; queue_commands says so).
--   * Remembered for one more lease after the claim's own lease ended (private.queue_turn_lifetime(), 10 s): a
--     live waiter re-checks at the latest 5 s (QueueService's bound) plus one round trip after its last refresh,
--     so a claim lapses only when that round trip took over 5 s, and its re-check comes well inside the next
--     10 s. A dead tab's lapse is pruned after that; a desk cannot stockpile old places to jump the line later.
--   * Only the claimant gets it back (actor_id = auth.uid(), as a refresh): another staff member who sends the
--     same command id gets an ordinary new claim at the back (and a live claim of someone else stays refused).
--   * Private like the claims: no grants, written only by these security-definer functions.
--   * Locks: the lapse row is written while the claim row is deleted (queue row → claims → lapses, then the
--     release counter in claim_turn_and_load); claim_queue_turn reads and deletes it after the queue row FOR
--     SHARE, before its own claim row: the same order.
-- claim_queue_turn: 20261205200001's body (its only definition) plus the remembered place.

create table private.queue_turn_lapses (
  queue_id uuid not null references public.queues (id) on delete cascade,
  command_id uuid not null,
  actor_id uuid,
  -- the lapsed claim's arrival number (private.queue_turns.seq), given back when its command claims again
  seq bigint not null,
  -- when the claim's lease ended (its expires_at): the place is given back until one lease after that
  expired_at timestamptz not null,
  primary key (queue_id, command_id)
);
comment on table private.queue_turn_lapses is
  'Arrival numbers of turn claims swept after their lease ran out: the same command claiming again keeps its place (issue 12).';
revoke all on private.queue_turn_lapses from public, anon, authenticated;

create function private.remember_lapsed_turn() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.expires_at <= private.now()
     and not exists (select 1 from public.queue_commands c
                      where c.queue_id = old.queue_id and c.command_id = old.command_id) then
    insert into private.queue_turn_lapses as l (queue_id, command_id, actor_id, seq, expired_at)
    values (old.queue_id, old.command_id, old.actor_id, old.seq, old.expires_at)
    on conflict (queue_id, command_id) do update
       set seq = least(l.seq, excluded.seq), actor_id = excluded.actor_id, expired_at = excluded.expired_at;
  end if;
  delete from private.queue_turn_lapses l
   where l.queue_id = old.queue_id and l.expired_at + private.queue_turn_lifetime() <= private.now();
  return null;
end
$$;
revoke all on function private.remember_lapsed_turn() from public, anon, authenticated;

create trigger queue_turns_remember_lapse
  after delete on private.queue_turns
  for each row execute function private.remember_lapsed_turn();

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
  -- the claimant's own lapsed claim (its lease ran out and it was swept): it comes back at its old place
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
