-- One board, pushed and read alike, that knows about transfers and pauses (merge of issue 14's pushed board
-- and issue 17's transfer/pause, which were built side by side this session).
--
-- 20261202400002 made get_waiting_board and the pushed public.waiting_boards row come from one function,
-- private.board_lists; 20261202700001/700002 (transfer, pause) redefined get_waiting_board on its own, adding
-- the room of each next ticket's doctor, the paused rooms and "intake closed". Here both halves meet again:
-- board_lists builds everything the board shows (incl. those three), get_waiting_board answers it, and the
-- pushed row carries it, so a pause or a transfer reaches the TV in the realtime event like any queue step.

alter table public.waiting_boards
  add column paused_rooms jsonb not null default '[]'::jsonb,
  add column intake_closed boolean not null default false;

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
      select jsonb_agg(x.item order by x.rank_priority desc, x.order_key)
      from (
        select jsonb_build_object(
                 'ticket', private.ticket_label(p_clinic.ticket_prefix, e.ticket_number),
                 'room', m.room,
                 'name', case when v_names then private.board_name(p.full_name) end) as item,
               array_position(array['normal', 'urgent', 'emergency'], e.priority::text) as rank_priority,
               e.order_key
        from public.queue_entries e join public.patients p on p.id = e.patient_id
        left join public.clinic_members m on m.id = e.practitioner_id
        where e.queue_id = p_queue_id and e.status = 'waiting'
        order by rank_priority desc, e.order_key
        limit 10) x), '[]'::jsonb),
    'paused_rooms', coalesce((
      select jsonb_agg(coalesce(m.room, m.display_name) order by coalesce(m.room, m.display_name))
        from public.clinic_members m
       where m.clinic_id = p_clinic.id
         and m.id = any (coalesce(v_queue.paused_practitioner_ids, '{}'))), '[]'::jsonb),
    'intake_closed', coalesce(v_queue.intake_closed_at is not null, false));
end
$$;
revoke execute on function private.board_lists(public.clinics, uuid) from public;

create or replace function public.get_waiting_board(p_clinic_id uuid) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_queue public.queues;
  v_day date;
  v_lists jsonb;
begin
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  v_day := private.clinic_today(v_clinic.time_zone);
  select * into v_queue from public.queues where clinic_id = p_clinic_id and day = v_day;
  v_lists := private.board_lists(v_clinic, v_queue.id);
  return jsonb_build_object(
    'clinic', jsonb_build_object('name', v_clinic.name, 'default_language', v_clinic.default_language,
                                 'time_zone', v_clinic.time_zone),
    'day', v_day,
    'version', coalesce(v_queue.version, 0),
    'now_serving', v_lists -> 'now_serving',
    'next', v_lists -> 'next',
    'paused_rooms', v_lists -> 'paused_rooms',
    'intake_closed', v_lists -> 'intake_closed');
end
$$;

create or replace function private.refresh_waiting_board() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_queue public.queues;
  v_clinic public.clinics;
  v_lists jsonb;
begin
  select * into v_queue from public.queues where id = new.id;
  if not found then
    return null;
  end if;
  select * into v_clinic from public.clinics where id = v_queue.clinic_id;
  v_lists := private.board_lists(v_clinic, v_queue.id);
  insert into public.waiting_boards as b (queue_id, clinic_id, day, version, day_status, now_serving, next,
                                          paused_rooms, intake_closed, updated_at)
  values (v_queue.id, v_queue.clinic_id, v_queue.day, v_queue.version, v_queue.status, v_lists -> 'now_serving',
          v_lists -> 'next', v_lists -> 'paused_rooms', (v_lists ->> 'intake_closed')::boolean, private.now())
  on conflict (queue_id) do update
    set version = excluded.version, day_status = excluded.day_status, now_serving = excluded.now_serving,
        next = excluded.next, paused_rooms = excluded.paused_rooms, intake_closed = excluded.intake_closed,
        updated_at = excluded.updated_at
    where (b.version, b.day_status, b.now_serving, b.next, b.paused_rooms, b.intake_closed)
          is distinct from (excluded.version, excluded.day_status, excluded.now_serving, excluded.next,
                            excluded.paused_rooms, excluded.intake_closed);
  return null;
end
$$;
revoke execute on function private.refresh_waiting_board() from public;

-- today's and later boards get the new fields now (earlier days are never shown again)
update public.waiting_boards b
   set now_serving = l.lists -> 'now_serving', next = l.lists -> 'next', paused_rooms = l.lists -> 'paused_rooms',
       intake_closed = (l.lists ->> 'intake_closed')::boolean
  from public.queues q
  join public.clinics c on c.id = q.clinic_id
  cross join lateral (select private.board_lists(c, q.id) as lists) l
 where b.queue_id = q.id and q.day >= private.clinic_today(c.time_zone);
