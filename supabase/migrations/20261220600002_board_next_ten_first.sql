-- Issue 12, session 20: the waiting-room board's "next" list picks its ten entries first, then builds their JSON.
--
-- Every queue step refreshes the pushed board row at commit (private.refresh_waiting_board, a deferred trigger on
-- public.queues), so its cost is inside every desk's held turn. Its "next" list built a JSON object (ticket label,
-- room, name) and joined the patient and the practitioner for EVERY waiting entry, then sorted them and kept ten:
-- on the storm's 300-entry day that statement was ≈ 3 ms of each save on the busy bench machine (pg_stat_statements,
-- 701 calls), the costliest statement a save runs after save_queue_step itself. Now the ten are chosen on the
-- entry's own columns (the same order: priority class, order key, tie-break, ticket, id) and only they are joined
-- and built. The answer is the same: every entry has its patient (queue_entries' foreign key, not null), and the
-- practitioner is a left join on a primary key, so joining after the limit keeps the same ten in the same order.
-- Otherwise the newest definition (20261217100001_board_devices.sql), unchanged.

create or replace function private.board_lists(p_clinic public.clinics, p_queue_id uuid, p_names boolean default false)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_names boolean := coalesce(p_names, false);
  v_queue public.queues;
begin
  select * into v_queue from public.queues where id = p_queue_id;
  return jsonb_build_object(
    'now_serving', coalesce((
      select jsonb_agg(jsonb_build_object(
               'ticket', private.ticket_label(p_clinic.ticket_prefix, e.ticket_number),
               'room', coalesce(e.called_room, m.room),
               'name', case when v_names then private.board_name(p.full_name) end)
             order by e.called_at desc nulls last)
      from public.queue_entries e
      join public.patients p on p.id = e.patient_id
      left join public.clinic_members m on m.id = e.practitioner_id
      where e.queue_id = p_queue_id and e.status in ('called', 'in_service')), '[]'::jsonb),
    'next', coalesce((
      select jsonb_agg(jsonb_build_object(
                 'ticket', private.ticket_label(p_clinic.ticket_prefix, x.ticket_number),
                 'room', m.room,
                 'name', case when v_names then private.board_name(p.full_name) end)
               order by x.rank_priority desc, x.order_key, x.tiebreak, x.ticket_number, x.id)
      from (
        select e.id, e.patient_id, e.practitioner_id, e.ticket_number,
               array_position(array['normal', 'urgent', 'emergency'], e.priority::text) as rank_priority,
               e.order_key, coalesce(e.order_tiebreak, e.ticket_number) as tiebreak
        from public.queue_entries e
        where e.queue_id = p_queue_id and e.status = 'waiting'
        order by rank_priority desc, e.order_key, coalesce(e.order_tiebreak, e.ticket_number), e.ticket_number, e.id
        limit 10) x
      join public.patients p on p.id = x.patient_id
      left join public.clinic_members m on m.id = x.practitioner_id), '[]'::jsonb),
    'paused_rooms', coalesce((
      select jsonb_agg(coalesce(m.room, m.display_name) order by coalesce(m.room, m.display_name))
        from public.clinic_members m
       where m.clinic_id = p_clinic.id
         and m.id = any (coalesce(v_queue.paused_practitioner_ids, '{}'))), '[]'::jsonb),
    'intake_closed', coalesce(v_queue.intake_closed_at is not null, false));
end
$$;
