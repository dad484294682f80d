-- Who is paused is the clinic's business (issue 12).
--
-- 20261210800002 granted `queues.paused_practitioner_ids` and `intake_closed_at` to authenticated so a desk
-- hears a pause as the change itself. But the queues select policy was `using (true)` for anon AND
-- authenticated: any signed-in user — a patient of another clinic, another clinic's staff — could read which
-- practitioners of any clinic are paused (member ids) and when its intake closed.
--
-- What each reader really needs:
--   * the public screens (waiting-room board, phone tracker) run with the anon key (FetchPublicScreens,
--     queueRowChannel): they hear the version row (id, clinic, day, version, status … — no pause state, which
--     anon was never granted) and read "this doctor is paused" through their own functions (get_waiting_board,
--     the tracker's RPC), which decide per visit. Unchanged: anon keeps every queue row, as before;
--   * staff of the clinic (desks, kiosk): the whole row, pause state included, over Realtime — as now;
--   * a signed-in patient: only the queue of a day where they have a visit (REST /v1 reads that day's date
--     for a booking — handler.ts `getBooking`); the pause state of that day's practitioners is what the
--     board on the wall shows them anyway. Nothing else in the app reads queue rows signed in.
-- Column grants are per role, not per row, so the row policy for authenticated carries the rule: another
-- clinic's staff and a patient without a visit that day see no row at all (and so no pause state).

create function private.can_read_queue(p_clinic_id uuid, p_queue_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select private.is_clinic_staff(p_clinic_id)
      or (auth.uid() is not null
          and exists (select 1 from public.queue_entries e
                      join public.patients p on p.id = e.patient_id
                      where e.queue_id = p_queue_id and p.user_id = auth.uid()))
$$;
-- (executable by the roles whose policy calls it, like private.is_clinic_staff)

drop policy queues_select on public.queues;
create policy queues_select_public on public.queues for select to anon using (true);
create policy queues_select on public.queues for select to authenticated
  using (private.can_read_queue(clinic_id, id));
