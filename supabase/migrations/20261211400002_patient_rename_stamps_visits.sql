-- A patient's new name reaches the screens that hold the day (issue 12).
--
-- The desks' views are kept by delta loads and Realtime (20261209100001, 20261210100001): a desk holding
-- version S asks get_queue for the entries stamped >= S, and applies a version's entry rows as they come.
-- The patient's name is not an entry column — get_queue joins it — so renaming a patient (a table update
-- the `patients_update` policy allows the clinic's staff and the patient themselves) wrote no entry and no
-- queue version: every desk, the waiting-room board and the tracker kept the old name until a full load.
--
-- Now a rename of a patient with a visit on a day not yet past (the clinic's today or later) changes each
-- such queue day, in queue id order (as the queue services lock queues):
--   1. its version is bumped FIRST, so the queue row a subscriber hears for the new version counts 0 entry
--      rows and carries the unchanged pause state: by src/services/queue/QueueDeltas.ts that is "what
--      changed is not in a row the screen gets" → the desk reloads (a delta load, since the version it holds);
--      a screen that applied the patient's entry row from Realtime would keep the name it shows;
--   2. then the patient's visits of that day are touched, so the trigger stamps them with the new version and
--      the delta load answers them, with the new name (and the queue row's count grows by one per row, as
--      for any writer that bumps first: a desk that already reloaded ignores those rows);
--   3. the board is rebuilt by the queue row's own trigger (waiting_board_refresh) at commit.
-- Past days are left alone: nobody's cached view of them follows the queue, and touching them would rewrite
-- history's stamps for nothing. An erasure (anonymise_patient sets full_name) takes the same path, which makes
-- a desk that applied the erasure's stripped rows reload and drop the old name too.

create function private.patient_renamed() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_today date;
  v_queue uuid;
begin
  select private.clinic_today(c.time_zone) into v_today from public.clinics c where c.id = new.clinic_id;
  for v_queue in
    select distinct e.queue_id
      from public.queue_entries e
      join public.queues q on q.id = e.queue_id
     where e.patient_id = new.id and q.day >= v_today
     order by e.queue_id
  loop
    perform private.bump_version(v_queue);
    update public.queue_entries e set queue_version = e.queue_version
     where e.queue_id = v_queue and e.patient_id = new.id;
  end loop;
  return null;
end
$$;
revoke all on function private.patient_renamed() from public;

create trigger patients_renamed after update of full_name on public.patients
  for each row when (old.full_name is distinct from new.full_name)
  execute function private.patient_renamed();
