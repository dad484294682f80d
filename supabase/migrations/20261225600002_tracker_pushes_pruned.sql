-- fix25c F9 (review of session 25's merges): private.tracker_pushes (trk25) was never pruned — a row per visit ever
-- pushed stayed until the visit itself was deleted. push_tracker_states now deletes this queue's rows whose visits
-- are no longer waiting, after its sends. store_queue_estimates is untouched (it calls this function as before).
-- Body: private.push_tracker_states from 20261225100001_tracker_push.sql (the only and latest), one addition.
create or replace function private.push_tracker_states(p_queue public.queues) returns integer
language plpgsql volatile
security definer
set search_path = ''
as $$
declare
  v_n integer := 0;
  r record;
begin
  for r in
    with line as (
      select e.id, e.tracking_token_hash, e.practitioner_id, e.arrive_by, e.running_late_at, e.called_room,
             row_number() over (
               partition by e.practitioner_id
               order by array_position(array['emergency', 'urgent', 'normal'], e.priority::text),
                        e.order_key, e.order_tiebreak, e.ticket_number, e.id) as pos
        from public.queue_entries e
       where e.queue_id = p_queue.id and e.status = 'waiting'),
    st as (
      select l.id, l.tracking_token_hash,
             jsonb_build_object(
               'position', l.pos,
               'estimate', (select jsonb_build_object('display', j -> 'display')
                              from private.entry_estimate_json(l.id) j where j is not null),
               'desk_paused', coalesce(l.practitioner_id = any (p_queue.paused_practitioner_ids), false),
               'intake_closed', p_queue.intake_closed_at is not null,
               'arrive_by', l.arrive_by,
               'late', l.running_late_at is not null,
               -- as get_visit_status / get_visit_live: the doctor's room and public name (a transfer changes them)
               'room', coalesce(l.called_room, m.room),
               'doctor_name', case when m.clinic_id = p_queue.clinic_id
                                   then private.public_person_name(m.display_name) end) as state
        from line l
        left join public.clinic_members m on m.id = l.practitioner_id
       -- ranked among every waiting visit of the pool (above), pushed only to those with a link
       where l.tracking_token_hash is not null)
    select st.id, st.tracking_token_hash, st.state
      from st left join private.tracker_pushes p on p.entry_id = st.id
     where p.state is distinct from st.state
  loop
    insert into private.tracker_pushes (entry_id, state) values (r.id, r.state)
    on conflict (entry_id) do update set state = excluded.state;
    perform realtime.send(
      r.state || jsonb_build_object('status', 'waiting', 'queue_version', p_queue.version),
      'visit', private.tracker_topic(r.tracking_token_hash), false);
    v_n := v_n + 1;
  end loop;
  -- fix25c F9: a visit no longer waiting (called, done, cancelled, moved) is never pushed from here again: forget
  -- its last state, so the table holds the waiting visits only (before: a row per visit ever pushed, never pruned).
  -- Should it wait again (an undo), its state differs from none and is pushed afresh.
  delete from private.tracker_pushes p
   using public.queue_entries e
   where p.entry_id = e.id and e.queue_id = p_queue.id and e.status <> 'waiting';
  return v_n;
end
$$;
revoke all on function private.push_tracker_states(public.queues) from public, anon, authenticated;
