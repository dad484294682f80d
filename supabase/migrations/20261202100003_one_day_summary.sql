-- Issue 11, one day-summary format. A day closed through save_queue_step stored the domain's DaySummary
-- (src/services/queue/models/DaySummary.ts, camelCase); a day closed by the database (end_day, the sweep
-- at closing time) stored its own snake_case shape, and the repository mapped it, with `served: 0` per
-- practitioner meaning "not recorded". It also counted a patient only called when the day ended (closed as
-- completed, never seen) as served, which the desk no longer does (issue 15.14).
--
-- Now private.day_summary computes the domain's DaySummary exactly as summarizeDay does:
--   served          completed entries that were started (a called-never-started patient is not served)
--   noShows, cancelled
--   averageWaitMinutes / p90WaitMinutes  over completed entries with a call and a check-in: minutes from
--                   max(checked-in, slot) to the call, never negative; mean and nearest-rank 90th
--                   percentile; null when none
--   serviceByPractitioner  [{practitionerId, served, averageServiceMinutes}] over served entries with a
--                   finish, keyed by who served them (else the assigned practitioner, else 'unassigned'),
--                   sorted by key
-- close_day's DayEnded event carries the same payload as the domain's (summary, automatic,
-- completedEntryIds, noShowEntryIds). Stored summaries in the old shape are recomputed from their entries.
-- supabase/tests/daySummaryParity.test.ts compares SQL and TS on both databases.

create or replace function private.day_summary(p_queue_id uuid) returns jsonb
language sql stable
set search_path = ''
as $$
  with e as (
    select * from public.queue_entries where queue_id = p_queue_id
  ), waits as (
    select greatest(0::float8, extract(epoch from (called_at - greatest(checked_in_at, slot_start)))::float8 / 60) as m
    from e where status = 'completed' and called_at is not null and checked_in_at is not null
  ), ranked as (
    select m, row_number() over (order by m) as rn, count(*) over () as n from waits
  ), services as (
    select coalesce(served_by::text, practitioner_id::text, 'unassigned') as k,
           extract(epoch from (finished_at - started_at))::float8 / 60 as m
    from e where status = 'completed' and started_at is not null and finished_at is not null
  )
  select jsonb_build_object(
    'served', (select count(*) from e where status = 'completed' and started_at is not null),
    'noShows', (select count(*) from e where status = 'no_show'),
    'cancelled', (select count(*) from e where status = 'cancelled'),
    'averageWaitMinutes', (select avg(m) from waits),
    'p90WaitMinutes', (select m from ranked where rn = greatest(1, ceil(0.9 * n))),
    'serviceByPractitioner', coalesce((
      select jsonb_agg(jsonb_build_object('practitionerId', k, 'served', n, 'averageServiceMinutes', a)
                       order by k collate "C")
      from (select k, count(*) as n, avg(m) as a from services group by k) s), '[]'::jsonb))
$$;

-- Closes a locked, open queue; returns its summary.
create or replace function private.close_day(p_queue_id uuid, p_automatic boolean) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_clinic_id uuid;
  v_summary jsonb;
  v_completed jsonb;
  v_no_shows jsonb;
begin
  select clinic_id into v_clinic_id from public.queues where id = p_queue_id;
  with done as (
    update public.queue_entries set status = 'completed', finished_at = coalesce(finished_at, private.now())
     where queue_id = p_queue_id and status in ('called', 'in_service')
    returning id, ticket_number
  )
  select coalesce(jsonb_agg(id order by ticket_number), '[]'::jsonb) into v_completed from done;
  with gone as (
    update public.queue_entries set status = 'no_show', no_show_at = private.now()
     where queue_id = p_queue_id and status in ('scheduled', 'waiting', 'absent')
    returning id, ticket_number
  )
  select coalesce(jsonb_agg(id order by ticket_number), '[]'::jsonb) into v_no_shows from gone;
  v_summary := private.day_summary(p_queue_id);
  update public.queues
     set status = 'closed', closed_at = private.now(), summary = v_summary, version = version + 1, updated_at = private.now()
   where id = p_queue_id;
  perform private.log_event(p_queue_id, v_clinic_id, null, 'DayEnded',
    jsonb_build_object('summary', v_summary, 'automatic', p_automatic,
                       'completedEntryIds', v_completed, 'noShowEntryIds', v_no_shows));
  return v_summary;
end
$$;

-- one format in storage: days the database closed before this migration
update public.queues set summary = private.day_summary(id) where summary ? 'no_shows';
