-- The waiting-room board's "next" tickets in the domain's order (issue 11, parity of the rules written twice).
-- private.board_lists ordered the waiting entries by priority and the order key only: two entries with the
-- same key (a return placed between equal neighbours, a move) came out in whatever order the heap gave, where
-- QueueOrder (src/services/queue/models/QueueOrder.ts, `boardNext`) orders them by the tiebreak, then the
-- ticket, then the id. The board still shows one list over every pool (each ticket with its doctor's room):
-- the domain's order over all waiting entries, of which each pool's line is a subsequence.
-- supabase/tests/rulesParity.test.ts. Otherwise the newest definition (20261202900001_board_push_pause.sql).

create or replace function private.board_lists(p_clinic public.clinics, p_queue_id uuid) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_names boolean := (private.effective_settings(p_clinic.settings) ->> 'board_show_names')::boolean;
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
      select jsonb_agg(x.item order by x.rank_priority desc, x.order_key, x.tiebreak, x.ticket_number, x.id)
      from (
        select jsonb_build_object(
                 'ticket', private.ticket_label(p_clinic.ticket_prefix, e.ticket_number),
                 'room', m.room,
                 'name', case when v_names then private.board_name(p.full_name) end) as item,
               array_position(array['normal', 'urgent', 'emergency'], e.priority::text) as rank_priority,
               e.order_key, coalesce(e.order_tiebreak, e.ticket_number) as tiebreak, e.ticket_number, e.id
        from public.queue_entries e join public.patients p on p.id = e.patient_id
        left join public.clinic_members m on m.id = e.practitioner_id
        where e.queue_id = p_queue_id and e.status = 'waiting'
        order by rank_priority desc, e.order_key, coalesce(e.order_tiebreak, e.ticket_number), e.ticket_number, e.id
        limit 10) x), '[]'::jsonb),
    'paused_rooms', coalesce((
      select jsonb_agg(coalesce(m.room, m.display_name) order by coalesce(m.room, m.display_name))
        from public.clinic_members m
       where m.clinic_id = p_clinic.id
         and m.id = any (coalesce(v_queue.paused_practitioner_ids, '{}'))), '[]'::jsonb),
    'intake_closed', coalesce(v_queue.intake_closed_at is not null, false));
end
$$;

