-- The waiting-room board pushed with the change (issue 14: queue change → board < 300 ms).
--
-- Before: every queue change reached the board as "the queue row's version moved", and the board then read
-- get_waiting_board + get_queue_day_status again (two more round trips per change, per screen). Now the
-- database keeps one public row per clinic — the board as get_waiting_board renders it — refreshed at commit
-- of every transaction that touched the clinic's queue row (every queue step bumps its version), and that row
-- travels in the realtime event itself: the screen renders it, no refetch.
--
-- `now_serving` and `next` are the board's rendered lists (ticket labels, room, first names when the clinic
-- shows names): a read model derived from the typed queue_entries columns, exactly the arrays
-- get_waiting_board answers (both are built by private.board_lists), never a source of truth.

create table public.waiting_boards (
  queue_id uuid primary key references public.queues (id) on delete cascade,
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  day date not null,
  version integer not null check (version >= 0),
  day_status public.queue_status not null,
  now_serving jsonb not null,
  next jsonb not null,
  updated_at timestamptz not null
);
create index waiting_boards_clinic_day on public.waiting_boards (clinic_id, day);

alter table public.waiting_boards enable row level security;
-- the board is public like get_waiting_board (anon may read any clinic's board by its id); only the trigger writes
create policy waiting_boards_public_read on public.waiting_boards for select to anon, authenticated using (true);
revoke all on public.waiting_boards from public, anon, authenticated;
grant select on public.waiting_boards to anon, authenticated;
grant all on public.waiting_boards to service_role;

alter publication supabase_realtime add table public.waiting_boards;

-- The board's two lists for one queue (null queue → both empty): who is called / in service (newest call
-- first) and the next ten waiting (priority, then order key).
create function private.board_lists(p_clinic public.clinics, p_queue_id uuid) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_names boolean := (private.effective_settings(p_clinic.settings) ->> 'board_show_names')::boolean;
begin
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
                 'name', case when v_names then private.board_name(p.full_name) end) as item,
               array_position(array['normal', 'urgent', 'emergency'], e.priority::text) as rank_priority,
               e.order_key
        from public.queue_entries e join public.patients p on p.id = e.patient_id
        where e.queue_id = p_queue_id and e.status = 'waiting'
        order by rank_priority desc, e.order_key
        limit 10) x), '[]'::jsonb));
end
$$;
revoke execute on function private.board_lists(public.clinics, uuid) from public;

-- get_waiting_board: unchanged answer, now built by the same private.board_lists as the pushed row.
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
    'next', v_lists -> 'next');
end
$$;

-- At commit of a transaction that inserted or updated a queue row (deferred: by then the step's entries are
-- written), that queue's board row (one per clinic and day) becomes its board; an unchanged board is not
-- rewritten (no event). A screen shows the row of the day it shows (tomorrow's bookings have their own row).
create function private.refresh_waiting_board() returns trigger
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
                                          updated_at)
  values (v_queue.id, v_queue.clinic_id, v_queue.day, v_queue.version, v_queue.status, v_lists -> 'now_serving',
          v_lists -> 'next', private.now())
  on conflict (queue_id) do update
    set version = excluded.version, day_status = excluded.day_status, now_serving = excluded.now_serving,
        next = excluded.next, updated_at = excluded.updated_at
    where (b.version, b.day_status, b.now_serving, b.next)
          is distinct from (excluded.version, excluded.day_status, excluded.now_serving, excluded.next);
  return null;
end
$$;
revoke execute on function private.refresh_waiting_board() from public;

create constraint trigger waiting_board_refresh
  after insert or update on public.queues
  deferrable initially deferred
  for each row execute function private.refresh_waiting_board();

-- the boards of today's and later queues that exist already (earlier days are never shown again)
insert into public.waiting_boards (queue_id, clinic_id, day, version, day_status, now_serving, next, updated_at)
select q.id, q.clinic_id, q.day, q.version, q.status, l.lists -> 'now_serving', l.lists -> 'next', private.now()
from public.queues q
join public.clinics c on c.id = q.clinic_id
cross join lateral (select private.board_lists(c, q.id) as lists) l
where q.day >= private.clinic_today(c.time_zone);
