-- Issue 17 (doctor20): the dashboard's queue rows show each visit's type as a small dot in the type's colour
-- (types19's appointment_types.color) next to the type's name in the desk's language (types19's names), so a
-- receptionist tells a consultation from a follow-up at a glance — and not by colour alone.
-- The desk's load already carries the clinic's appointment types (for durations); each now also carries its
-- 'color' (one of the palette's, or null) and 'names' (per language). Staff of the clinic only, as before: the
-- types are the clinic's own public data (get_public_clinic shows both to anyone), nothing else is added.
-- Redefined from their newest bodies, one line each (the appointment_types object):
--   public.get_queue       — 20261210100001_queue_delta_load.sql (same signature, grants kept)
--   private.queue_snapshot — 20261201001001_entry_columns.sql (the 'day' scope's answer)

create or replace function private.queue_snapshot(p_queue_id uuid) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'queue', to_jsonb(q),
    'clinic', jsonb_build_object('id', c.id, 'name', c.name, 'slug', c.slug, 'time_zone', c.time_zone,
                                 'default_language', c.default_language, 'ticket_prefix', c.ticket_prefix),
    'settings', private.effective_settings(c.settings),
    'entries', coalesce((
      select jsonb_agg(private.entry_json(e, c.ticket_prefix)
                       -- the exact decimal, not a JSON number a client would round
                       || jsonb_build_object('order_key', e.order_key::text)
                       || jsonb_build_object('patient', jsonb_build_object(
                            'id', p.id, 'full_name', p.full_name, 'phone', p.phone,
                            'preferred_language', p.preferred_language, 'sms_opt_out', p.sms_opt_out))
                       order by e.ticket_number)
      from public.queue_entries e join public.patients p on p.id = e.patient_id
      where e.queue_id = q.id), '[]'::jsonb),
    'members', coalesce((
      select jsonb_agg(jsonb_build_object('id', m.id, 'user_id', m.user_id, 'role', m.role,
                                          'display_name', m.display_name, 'room', m.room, 'active', m.active)
                       order by m.display_name)
      from public.clinic_members m where m.clinic_id = c.id), '[]'::jsonb),
    'appointment_types', coalesce((
      select jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name, 'duration_minutes', t.duration_minutes,
                                          'active', t.active, 'color', t.color, 'names', t.names) order by t.name)
      from public.appointment_types t where t.clinic_id = c.id), '[]'::jsonb))
  from public.queues q join public.clinics c on c.id = q.clinic_id
  where q.id = p_queue_id
$$;

create or replace function public.get_queue(
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
                                          'active', t.active, 'color', t.color, 'names', t.names) order by t.name)
      from public.appointment_types t where t.clinic_id = v_clinic.id), '[]'::jsonb),
    'applied_command', v_applied,
    'day_counts', coalesce(v_counts, jsonb_build_object('walk_ins', 0, 'last_ticket', 0, 'entries', 0,
                                                        'completed', 0, 'no_shows', 0, 'cancelled', 0)));
end
$$;

revoke execute on function public.get_queue(uuid, text, uuid, text, uuid[], uuid, integer) from public, anon, authenticated;
grant execute on function public.get_queue(uuid, text, uuid, text, uuid[], uuid, integer) to authenticated, service_role;
