-- The database's clock flows when the local stack runs at another time (issue 14).
--
-- private.now() is the queue rules' clock. Two ways to move it, both for tests only:
--  * private.pinned_clock (one row): the clock stands still at that instant — db tests that assert exact
--    times pin it;
--  * the session setting queuemed.clock_offset_ms: the clock is the server's now() shifted by that many
--    milliseconds, so it keeps flowing (pinned start + elapsed). The local stack sets it on every PostgreSQL
--    connection when it runs with QUEUEMED_FAKE_NOW / QUEUEMED_CLOCK_OFFSET_MS (e2e at 23:30 Casablanca), which
--    is what PGlite's now() already does there (it reads the stack's shifted Date). Grace countdowns, the sweep
--    and JWT expiry then behave on PostgreSQL as on PGlite.
-- Production sets neither: the table is empty, the setting absent, and this is now().
create or replace function private.now() returns timestamptz
language sql stable
set search_path = ''
as $$
  select coalesce(
    (select c.at from private.pinned_clock c),
    now() + coalesce(nullif(current_setting('queuemed.clock_offset_ms', true), '')::bigint, 0) * interval '1 millisecond'
  )
$$;
