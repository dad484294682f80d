-- Issue 12, a command's latency under contention: a command's load sends only what changed.
--
-- `npm run bench:storm` (8 desks + 2 receptionists on a 300-entry day) measured, per command, 3.5 loads of
-- the whole active day (≈ 1000 entry rows, ≈ 770 KiB of JSON built by PostgreSQL, carried by the stack and
-- parsed by the desk) against ≈ 3 KiB sent: the reloads after each lost version race were the command's
-- cost, on the server and in the browser alike.
-- Now a caller that already holds the active entries of a queue day at version S (SupabaseQueueRepository
-- keeps its last active load) passes p_since_queue_id + p_since_version, and get_queue (p_scope 'active')
-- answers only the entries stamped with a queue version >= S (20261209100001: every write of an entry
-- stamps it with the version its change produces), in any status (so the caller can drop the ones that
-- became final), plus the named ones, with `delta_since` = S. One version of margin (>= S, not > S): a
-- writer that stamps without holding the queue row may have stamped S. `active_count` (every answer) lets
-- the caller check the merged view: a mismatch makes it load in full.
-- Anything else — another queue id (another clinic's, or yesterday's), a version the queue never had, no
-- since — answers the full active load as before (delta_since null). Same checks as before: staff of the
-- clinic only (security definer, require_staff); the since arguments only choose which of the caller's
-- own queue's rows are sent. The 'day' scope is unchanged.

create function private.queue_changed_entries(p_queue_id uuid, p_since integer, p_entry_ids uuid[])
returns jsonb
language sql stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', e.id,
           'patient_id', e.patient_id,
           'practitioner_id', e.practitioner_id,
           'appointment_type_id', e.appointment_type_id,
           'kind', e.kind,
           'status', e.status,
           'priority', e.priority,
           'ticket_number', e.ticket_number,
           'order_key', e.order_key::text,
           'order_tiebreak', e.order_tiebreak,
           'skip_count', e.skip_count,
           'slot_start', e.slot_start,
           'running_late_at', e.running_late_at,
           'running_late_minutes', e.running_late_minutes,
           'late_turn_at', e.late_turn_at,
           'checked_in_at', e.checked_in_at,
           'called_at', e.called_at,
           'started_at', e.started_at,
           'finished_at', e.finished_at,
           'absent_at', e.absent_at,
           'grace_ends_at', e.grace_ends_at,
           'no_show_at', e.no_show_at,
           'cancelled_at', e.cancelled_at,
           'called_room', e.called_room,
           'served_by', e.served_by,
           'reactivations', e.reactivations,
           'expected_duration_minutes', e.expected_duration_minutes,
           'appointment_id', e.appointment_id,
           'patient', jsonb_build_object('full_name', p.full_name))
         order by e.ticket_number), '[]'::jsonb)
    from public.queue_entries e
    join public.patients p on p.id = e.patient_id
   where e.queue_id = p_queue_id
     and (e.queue_version >= p_since
          or e.id = any (coalesce(p_entry_ids, '{}'::uuid[])))
$$;

revoke all on function private.queue_changed_entries(uuid, integer, uuid[]) from public;

drop function public.get_queue(uuid, text, uuid, text, uuid[]);
create function public.get_queue(
  p_clinic_id uuid,
  p_day text default null,
  p_command_id uuid default null,
  p_scope text default 'day',
  p_entry_ids uuid[] default null,
  p_since_queue_id uuid default null,
  p_since_version integer default null)
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
  v_delta boolean;
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
  -- a delta answer only for the caller's own view of THIS queue day, at a version it could have seen
  v_delta := p_since_queue_id is not null and p_since_queue_id = v_queue.id
             and p_since_version is not null and p_since_version between 0 and v_queue.version;
  return jsonb_build_object(
    'queue', to_jsonb(v_queue),
    'clinic', jsonb_build_object('id', v_clinic.id, 'name', v_clinic.name, 'slug', v_clinic.slug,
                                 'time_zone', v_clinic.time_zone, 'default_language', v_clinic.default_language,
                                 'ticket_prefix', v_clinic.ticket_prefix),
    'settings', private.effective_settings(v_clinic.settings),
    'entries', case when v_delta
                    then private.queue_changed_entries(v_queue.id, p_since_version, p_entry_ids)
                    else private.queue_active_entries(v_queue.id, v_clinic.ticket_prefix, p_entry_ids) end,
    'delta_since', case when v_delta then p_since_version end,
    'active_count', (select count(*) from public.queue_entries a
                      where a.queue_id = v_queue.id
                        and a.status in ('scheduled', 'waiting', 'called', 'in_service', 'absent')),
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

revoke execute on function public.get_queue(uuid, text, uuid, text, uuid[], uuid, integer) from public, anon, authenticated;
grant execute on function public.get_queue(uuid, text, uuid, text, uuid[], uuid, integer) to authenticated, service_role;
