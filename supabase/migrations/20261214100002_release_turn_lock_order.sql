-- release_queue_turn takes the queue row first, like every other writer of the turn tables (review of session
-- 15, issue 12).
--
-- Lock order. claim_turn_and_load holds the queue row FOR SHARE, sweeps expired claims, counts them (locks the
-- release counter, private.count_turn_releases) and only then inserts or refreshes the caller's own claim.
-- release_queue_turn deleted the claim first and locked the counter after, with no queue-row lock. So a claim
-- and a release of the SAME command at once (a desk's retry racing its own give-up) waited on each other — the
-- claim holding the counter and waiting for the claim row the release had deleted, the release holding that row
-- and waiting for the counter — and PostgreSQL aborted one (40P01 → CONCURRENCY.RETRY, a wasted round trip).
-- Locking the counter first in the release would only move the cycle: the claim's sweep may delete the very
-- claim being released (its lease ran out) before it takes the counter.
-- Now the release takes the queue row FOR NO KEY UPDATE (after the staff check) before it touches any claim: it
-- waits for claims and saves in flight on that queue day (they hold the row FOR SHARE / FOR UPDATE) and they
-- wait for it, so every path locks queue row → turn claims → release counter. NO KEY UPDATE, not UPDATE: new
-- queue entries (foreign key: KEY SHARE) and plain reads never wait for it. A release is rare (a command that
-- ends without saving), so serialising it behind the day's claims costs nothing the storms can see.
-- Everything else is 20261212100001's body (its newest definition).

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
  -- the queue row before the claim and the counter, as claim_turn_and_load and save_queue_step take it
  perform 1 from public.queues where id = p_queue_id for no key update;
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
