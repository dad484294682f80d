-- Realtime carries the change itself (issues 12 and 14): every entry row a queue change writes says which
-- queue version it belongs to, and the queue row's version bump says how many entry rows that version wrote.
--
-- A desk that shows version L of a queue receives, over Realtime (postgres_changes, RLS-checked per
-- subscriber), the entry rows of the next change and then the queue row at L + 1. When the rows stamped
-- L + 1 it has received number exactly `queues.version_entries`, it applies them to what it shows — no
-- re-read of the day per change. Anything else (a gap, a missing row, an entry it does not hold) makes it
-- reload, one load at a time (src/services/queue/QueueDeltas.ts).
--
-- Stamping is done by triggers, so every writer of queue_entries is covered without redefining any of them
-- (save_queue_step, the booking functions, check-in, the sweep, the waitlist …), whatever order it writes in:
--   * an entry written in a transaction that has not bumped its queue's version yet is stamped version + 1
--     and counted (a transaction-local setting per queue); the bump (BEFORE UPDATE on queues) stores the
--     count in `version_entries` and resets it. save_queue_step writes its entries and bumps last.
--   * an entry written after its transaction bumped the version (bump first, then write) is stamped with the
--     bumped version and adds one to `version_entries` on the queue row (a second queue-row change of the
--     same version, which tells a desk that already applied the version that one more row belongs to it).
--   * an entry write in a transaction that never bumps is stamped version + 1 but no queue row says so: a
--     desk then sees more rows than the count and reloads (safe; slower).
-- The stamp and the count are set inside the writer's own transaction, so they commit with it.
--
-- Grants: `queue_version` is readable by authenticated like every other column but the token hash
-- (20261208300001); `version_entries` is public like `version` (a count, no personal data).

alter table public.queue_entries add column queue_version integer;
alter table public.queues add column version_entries integer not null default 0 check (version_entries >= 0);

comment on column public.queue_entries.queue_version is
  'The queue version whose change last wrote this row (set by trigger): Realtime subscribers apply a change''s rows to the version they show (issue 12).';
comment on column public.queues.version_entries is
  'How many queue_entries rows the change that set `version` wrote (set by trigger): a subscriber knows when it has a version''s rows complete.';

grant select (queue_version) on public.queue_entries to authenticated;
grant select (version_entries) on public.queues to anon, authenticated;

-- the transaction-local setting that counts one queue's entry writes awaiting its next bump, and the one that
-- says the transaction already bumped it (to which version)
create function private.realtime_stamp_key(p_kind text, p_queue_id uuid) returns text
language sql immutable set search_path = '' as $$
  select 'queuemed_rt.' || p_kind || replace(p_queue_id::text, '-', '')
$$;

create function private.stamp_entry_queue_version() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_bumped text := current_setting(private.realtime_stamp_key('b', new.queue_id), true);
  v_count text;
begin
  if coalesce(v_bumped, '') <> '' then
    -- the version was bumped earlier in this transaction: the row belongs to it, and the count grows
    new.queue_version := v_bumped::integer;
    update public.queues set version_entries = version_entries + 1 where id = new.queue_id;
  else
    select q.version + 1 into new.queue_version from public.queues q where q.id = new.queue_id;
    v_count := current_setting(private.realtime_stamp_key('n', new.queue_id), true);
    perform set_config(private.realtime_stamp_key('n', new.queue_id),
                       (coalesce(nullif(v_count, ''), '0')::integer + 1)::text, true);
  end if;
  return new;
end $$;

create function private.stamp_queue_version_entries() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_count text;
begin
  if new.version is distinct from old.version then
    v_count := current_setting(private.realtime_stamp_key('n', new.id), true);
    new.version_entries := coalesce(nullif(v_count, ''), '0')::integer;
    perform set_config(private.realtime_stamp_key('n', new.id), '0', true);
    perform set_config(private.realtime_stamp_key('b', new.id), new.version::text, true);
  end if;
  return new;
end $$;

revoke all on function private.stamp_entry_queue_version() from public;
revoke all on function private.stamp_queue_version_entries() from public;
revoke all on function private.realtime_stamp_key(text, uuid) from public;

create trigger stamp_queue_version before insert or update on public.queue_entries
  for each row execute function private.stamp_entry_queue_version();
create trigger stamp_version_entries before update on public.queues
  for each row execute function private.stamp_queue_version_entries();
