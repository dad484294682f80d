-- Issue 12 / issue 14: a queue command's cost does not grow with the day.
--
-- Every command used to load the whole day (get_queue: every entry with its patient) because the domain
-- needed the day's history for three rules: the walk-in limit (the day's walk-ins), the next ticket (the
-- day's highest), and acting on an entry that is already final (re-activating a no-show, refusing a
-- return after grace). Now:
--  * private.queue_day_counts keeps the day's figures per queue, maintained by a trigger on
--    queue_entries in the same transaction as the change, whichever path writes the entry (a step, a
--    booking, a check-in, the sweep, end of day): walk-ins that count toward max_walk_ins_per_day, the
--    highest ticket, and — for the day summary and reports — entries, completed, no-shows, cancelled.
--    It is a table of its own, not columns of public.queues: the queue row is what Realtime delivers to
--    every screen, one change per version; a counter update would add a second change per step.
--  * get_queue(…, p_scope => 'active', p_entry_ids => …) returns only the entries a command can act on
--    (scheduled, waiting, called, in_service, absent) plus the ones it names, whatever their status,
--    and `day_counts`. The default scope 'day' is unchanged (staff screens, end of day).
-- Reads never lock: get_queue takes no row lock unless it has a grace expiry to write (as before).

create table private.queue_day_counts (
  queue_id uuid primary key references public.queues (id) on delete cascade,
  entries integer not null default 0,
  -- kind walk_in, not cancelled, not emergency: what max_walk_ins_per_day counts (DOMAIN.md)
  walk_ins integer not null default 0,
  last_ticket integer not null default 0,
  completed integer not null default 0,
  no_shows integer not null default 0,
  cancelled integer not null default 0
);
comment on table private.queue_day_counts is
  'Per queue day: figures over all its entries, kept by a trigger in the same transaction (issue 12).';
revoke all on private.queue_day_counts from public, anon, authenticated;

create function private.queue_entries_count() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_queue uuid;
  d_entries integer := 0;
  d_walk integer := 0;
  d_done integer := 0;
  d_noshow integer := 0;
  d_cancel integer := 0;
  v_ticket integer := 0;
begin
  if tg_op = 'UPDATE' and new.status = old.status and new.priority = old.priority then
    return null; -- queue, kind and ticket never change (queue_entries_guard): nothing counted moved
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    v_queue := old.queue_id;
    d_entries := d_entries - 1;
    d_walk := d_walk - (old.kind = 'walk_in' and old.status <> 'cancelled' and old.priority <> 'emergency')::integer;
    d_done := d_done - (old.status = 'completed')::integer;
    d_noshow := d_noshow - (old.status = 'no_show')::integer;
    d_cancel := d_cancel - (old.status = 'cancelled')::integer;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    v_queue := new.queue_id;
    d_entries := d_entries + 1;
    d_walk := d_walk + (new.kind = 'walk_in' and new.status <> 'cancelled' and new.priority <> 'emergency')::integer;
    d_done := d_done + (new.status = 'completed')::integer;
    d_noshow := d_noshow + (new.status = 'no_show')::integer;
    d_cancel := d_cancel + (new.status = 'cancelled')::integer;
    v_ticket := new.ticket_number;
  end if;
  if tg_op = 'DELETE' and not exists (select 1 from public.queues q where q.id = v_queue) then
    return null; -- the queue itself is being deleted (cascade): its counts go with it
  end if;
  insert into private.queue_day_counts as c
    (queue_id, entries, walk_ins, last_ticket, completed, no_shows, cancelled)
  values (v_queue, d_entries, d_walk, v_ticket, d_done, d_noshow, d_cancel)
  on conflict (queue_id) do update set
    entries = c.entries + excluded.entries,
    walk_ins = c.walk_ins + excluded.walk_ins,
    last_ticket = greatest(c.last_ticket, excluded.last_ticket),
    completed = c.completed + excluded.completed,
    no_shows = c.no_shows + excluded.no_shows,
    cancelled = c.cancelled + excluded.cancelled;
  return null;
end
$$;
create trigger queue_entries_count after insert or update or delete on public.queue_entries
  for each row execute function private.queue_entries_count();

-- the days that already exist
insert into private.queue_day_counts (queue_id, entries, walk_ins, last_ticket, completed, no_shows, cancelled)
select q.id,
       count(e.id),
       count(e.id) filter (where e.kind = 'walk_in' and e.status <> 'cancelled' and e.priority <> 'emergency'),
       coalesce(max(e.ticket_number), 0),
       count(e.id) filter (where e.status = 'completed'),
       count(e.id) filter (where e.status = 'no_show'),
       count(e.id) filter (where e.status = 'cancelled')
  from public.queues q left join public.queue_entries e on e.queue_id = q.id
 group by q.id
on conflict (queue_id) do nothing;

-- The entries of a command's load: the active ones (an index range per status of
-- queue_entries_queue_idx) and the named ones (by primary key), each once. Only the patient's name
-- travels with them (the domain needs nothing else of the patient).
create function private.queue_active_entries(p_queue_id uuid, p_prefix text, p_entry_ids uuid[])
returns jsonb
language sql stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(private.entry_json(e, p_prefix)
                            || jsonb_build_object('order_key', e.order_key::text)
                            || jsonb_build_object('patient', jsonb_build_object('full_name', p.full_name))
                            order by e.ticket_number), '[]'::jsonb)
    from (
      select a.* from public.queue_entries a
       where a.queue_id = p_queue_id
         and a.status in ('scheduled', 'waiting', 'called', 'in_service', 'absent')
      union
      select n.* from public.queue_entries n
       where n.id = any (coalesce(p_entry_ids, '{}'::uuid[])) and n.queue_id = p_queue_id
    ) e
    join public.patients p on p.id = e.patient_id
$$;

-- get_queue(p_clinic_id, p_day, p_command_id, p_scope 'day'|'active' default 'day', p_entry_ids) — as
-- before (20261201000200_queue.sql), plus the scope: 'active' returns the active entries, the named ones
-- and `day_counts` {walk_ins, last_ticket, entries, completed, no_shows, cancelled}.
drop function public.get_queue(uuid, text, uuid);
create function public.get_queue(
  p_clinic_id uuid,
  p_day text default null,
  p_command_id uuid default null,
  p_scope text default 'day',
  p_entry_ids uuid[] default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_queue public.queues;
  v_today date;
  v_day date;
  v_applied jsonb;
  v_counts jsonb;
begin
  perform private.require_staff(p_clinic_id);
  if p_scope is null or p_scope not in ('day', 'active') then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_scope must be day or active');
  end if;
  if p_entry_ids is not null and cardinality(p_entry_ids) > 100 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'at most 100 p_entry_ids');
  end if;
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  v_today := private.clinic_today(v_clinic.time_zone);
  if p_day is null then
    v_day := v_today;
  else
    if p_day !~ '^\d{4}-\d{2}-\d{2}$' then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'p_day must be a date YYYY-MM-DD');
    end if;
    begin
      v_day := to_date(p_day, 'YYYY-MM-DD');
    exception when others then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'p_day must be a date YYYY-MM-DD');
    end;
    if to_char(v_day, 'YYYY-MM-DD') <> p_day or v_day not between v_today - 366 and v_today + 366 then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'p_day must be a real date within a year of today');
    end if;
  end if;
  -- a read never waits behind a save: no FOR UPDATE unless there is an expiry to write
  insert into public.queues (clinic_id, day) values (p_clinic_id, v_day) on conflict (clinic_id, day) do nothing;
  select * into v_queue from public.queues where clinic_id = p_clinic_id and day = v_day;
  if exists (select 1 from public.queue_entries e
              where e.queue_id = v_queue.id and e.status = 'absent' and e.grace_ends_at <= private.now()) then
    perform 1 from public.queues where id = v_queue.id for update;
    perform private.expire_grace(v_queue.id);
  end if;
  if p_command_id is not null then
    select jsonb_build_object('id', c.command_id, 'version', c.version, 'applied_at', c.applied_at)
      into v_applied
      from public.queue_commands c where c.queue_id = v_queue.id and c.command_id = p_command_id;
  end if;
  if p_scope = 'day' then
    return private.queue_snapshot(v_queue.id) || jsonb_build_object('applied_command', v_applied);
  end if;
  -- the queue row again: expire_grace may have moved its version
  select * into v_queue from public.queues where id = v_queue.id;
  select jsonb_build_object('walk_ins', c.walk_ins, 'last_ticket', c.last_ticket, 'entries', c.entries,
                            'completed', c.completed, 'no_shows', c.no_shows, 'cancelled', c.cancelled)
    into v_counts
    from private.queue_day_counts c where c.queue_id = v_queue.id;
  return jsonb_build_object(
    'queue', to_jsonb(v_queue),
    'clinic', jsonb_build_object('id', v_clinic.id, 'name', v_clinic.name, 'slug', v_clinic.slug,
                                 'time_zone', v_clinic.time_zone, 'default_language', v_clinic.default_language,
                                 'ticket_prefix', v_clinic.ticket_prefix),
    'settings', private.effective_settings(v_clinic.settings),
    'entries', private.queue_active_entries(v_queue.id, v_clinic.ticket_prefix, p_entry_ids),
    'members', coalesce((
      select jsonb_agg(jsonb_build_object('id', m.id, 'user_id', m.user_id, 'role', m.role,
                                          'display_name', m.display_name, 'room', m.room, 'active', m.active)
                       order by m.display_name)
      from public.clinic_members m where m.clinic_id = v_clinic.id), '[]'::jsonb),
    'appointment_types', coalesce((
      select jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name, 'duration_minutes', t.duration_minutes,
                                          'active', t.active) order by t.name)
      from public.appointment_types t where t.clinic_id = v_clinic.id), '[]'::jsonb),
    'applied_command', v_applied,
    'day_counts', coalesce(v_counts, jsonb_build_object('walk_ins', 0, 'last_ticket', 0, 'entries', 0,
                                                        'completed', 0, 'no_shows', 0, 'cancelled', 0)));
end
$$;

revoke execute on function public.get_queue(uuid, text, uuid, text, uuid[]) from public, anon, authenticated;
grant execute on function public.get_queue(uuid, text, uuid, text, uuid[]) to authenticated, service_role;
