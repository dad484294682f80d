-- fix26a (review26 M1): the tracker's push topic ('tracker:' || hex(sha256(token_hash)), trk25) was a PUBLIC
-- Realtime channel — and on a public channel any client may send: a link holder (a forwarded SMS) broadcast a forged
-- PushedVisit (any room / doctor text, place 1, a huge version) and froze the patient's tracker. Now the push is
-- sent on a PRIVATE channel (Realtime Authorization): a client joins it only when a SELECT policy on
-- realtime.messages admits the topic, and sends on it only when an INSERT policy does — this file adds the first
-- for 'tracker:' topics and no INSERT policy at all, so only the database (realtime.send, security definer) sends.
-- The phone joins with config.private = true (queueRowChannel.ts). The topic stays the capability to READ, as
-- before (256 bits, named by the link). Hosted Supabase: see docs/security.md "Realtime: private channels".
--
-- The policy: anon and authenticated may receive broadcasts on a topic starting 'tracker:' (not LIKE: '_' is a
-- wildcard there); realtime.topic() is the topic the client joins (hosted Realtime sets it; the local stack's
-- queuemed_realtime.authorize too).
drop policy if exists tracker_push_receive on realtime.messages;
create policy tracker_push_receive on realtime.messages
  for select to anon, authenticated
  using (realtime.messages.extension = 'broadcast' and starts_with((select realtime.topic()), 'tracker:'));

-- Body: private.push_tracker_states from 20261226100001_tracker_topic_keyed.sql (sock26, the latest), one change:
-- realtime.send(…, private => true).
create or replace function private.push_tracker_states(p_queue public.queues) returns integer
language plpgsql volatile
security definer
set search_path = ''
as $$
declare
  v_n integer := 0;
  r record;
  v_open boolean;
begin
  -- sock26 (F10): as private.running_late_note decides whether a note is in force — the queue open and today
  select p_queue.status = 'open' and p_queue.day = private.clinic_today(c.time_zone) into v_open
    from public.clinics c where c.id = p_queue.clinic_id;
  for r in
    with line as (
      select e.id, e.tracking_token_hash, e.practitioner_id, e.arrive_by, e.running_late_at, e.called_room,
             e.running_late_minutes,
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
               -- sock26 (F10): the note as get_tracker_view gives it (private.running_late_note), not the flag alone
               'late_note', case
                 when l.running_late_at is null or not coalesce(v_open, false) then null
                 when l.running_late_minutes is null
                   then jsonb_build_object('minutes', null, 'reported_at', l.running_late_at, 'until', null)
                 when l.running_late_at + make_interval(mins => l.running_late_minutes) > private.now()
                   then jsonb_build_object('minutes', l.running_late_minutes, 'reported_at', l.running_late_at,
                                           'until', l.running_late_at + make_interval(mins => l.running_late_minutes))
               end,
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
      'visit', private.tracker_topic(r.tracking_token_hash), true); -- fix26a: a private channel
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
