-- Issue 12: the walk-in limit reads the day's figures instead of counting the whole day.
--
-- private.queue_entries_walk_in_limit (20261201000200_queue.sql), a BEFORE INSERT trigger, counted every
-- walk-in of the queue day on each insert — a cost that grows with the day. private.queue_day_counts.walk_ins
-- (20261202200001) is the same figure (kind walk_in, not cancelled, not an emergency), kept by the AFTER
-- trigger queue_entries_count in the same transaction as every write. The limit is now checked AFTER that
-- trigger (AFTER ROW triggers of one event fire in name order: queue_entries_count, then
-- queue_entries_walk_in_limit), reading the count that already includes the new walk-in: more than
-- max_walk_ins_per_day → 409 QUEUE.WALK_IN_LIMIT_REACHED and the statement is undone. Exact in every case
-- the old count was: rows inserted earlier in the same statement or step are counted (each row's count
-- runs before its check), and two transactions adding walk-ins to one day take turns on the counts row
-- (queue_entries_count's upsert locks it), the second seeing the first's walk-in once it commits.
-- Lock order stays queue → entries → counts row. Security definer: callers cannot read the counts table.
drop trigger queue_entries_walk_in_limit on public.queue_entries;

create or replace function private.queue_entries_walk_in_limit() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_max integer;
  v_walk_ins integer;
begin
  -- emergencies are never refused and do not use up the day's walk-in places
  if new.kind <> 'walk_in' or new.priority = 'emergency' or new.status = 'cancelled' then
    return null;
  end if;
  select (private.effective_settings(c.settings) ->> 'max_walk_ins_per_day')::integer into v_max
    from public.clinics c where c.id = new.clinic_id;
  if v_max is null then
    return null;
  end if;
  select c.walk_ins into v_walk_ins from private.queue_day_counts c where c.queue_id = new.queue_id;
  -- the count includes this walk-in (queue_entries_count ran first)
  if coalesce(v_walk_ins, 0) > v_max then
    perform private.raise_error(409, 'QUEUE.WALK_IN_LIMIT_REACHED', format('at most %s walk-ins per day', v_max));
  end if;
  return null;
end
$$;

create trigger queue_entries_walk_in_limit after insert on public.queue_entries
  for each row execute function private.queue_entries_walk_in_limit();
