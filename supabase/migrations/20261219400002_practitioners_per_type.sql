-- types19 (issue 17 "Visit types"): which doctors offer a visit type.
--
-- appointment_types.practitioner_ids: null = every doctor of the clinic (the default, so nothing changes for a
-- clinic that never sets it); else the clinic_members ids of the practitioners who offer it.
-- The rule is private.practitioner_offers_type(type, practitioner); private.require_practitioner_offers_type
-- raises BOOKING.PRACTITIONER_NOT_OFFERED (422) for a doctor who does not offer it.
-- Booking: a trigger on queue_entries (insert, and a scheduled booking's change of doctor or type) applies it on
-- every path that books a doctor (book_appointment, book_fluid_place, the desk's booking, the kiosk, a
-- reschedule, the REST API) without redefining them. A visit already under way (waiting, called, …) may still be
-- moved to any doctor by the staff on the day. "Any doctor" (null) is never refused.
-- get_free_slots on main takes no doctor; when it does (hours19's p_practitioner_id) it should call
-- private.require_practitioner_offers_type(p_appointment_type_id, p_practitioner_id) first.
-- set_appointment_types (redefined from 20261219400001) takes practitioner_ids: absent = keep, null = every
-- doctor, else 1–200 ids of this clinic's active practitioners (VALIDATION.FAILED, problem 'practitioners').
-- get_public_clinic (redefined from 20261219400001) returns them, so a booking screen offers only those doctors.

alter table public.appointment_types add column practitioner_ids uuid[]
  constraint appointment_types_practitioner_ids check (
    practitioner_ids is null
    or (cardinality(practitioner_ids) between 1 and 200 and array_position(practitioner_ids, null) is null));

create function private.practitioner_offers_type(p_type_id uuid, p_practitioner_id uuid) returns boolean
language sql stable
security definer
set search_path = ''
as $$
  select p_type_id is null or p_practitioner_id is null
      or coalesce((select t.practitioner_ids is null or p_practitioner_id = any (t.practitioner_ids)
                     from public.appointment_types t where t.id = p_type_id), true)
$$;

create function private.require_practitioner_offers_type(p_type_id uuid, p_practitioner_id uuid) returns void
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  if not private.practitioner_offers_type(p_type_id, p_practitioner_id) then
    perform private.raise_error(422, 'BOOKING.PRACTITIONER_NOT_OFFERED', 'this doctor does not offer this visit type');
  end if;
end
$$;

-- What set_appointment_types stores for a validated practitioner_ids value: null, or the distinct ids.
create function private.practitioner_id_list(p_ids jsonb) returns uuid[]
language sql immutable
set search_path = ''
as $$
  select case when jsonb_typeof(p_ids) = 'array'
              then (select array_agg(distinct (e #>> '{}')::uuid) from jsonb_array_elements(p_ids) e) end
$$;

create function private.queue_entries_type_offered() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.practitioner_id is null or new.appointment_type_id is null then
    return new;
  end if;
  -- a change to a visit already under way is the staff's call on the day
  if tg_op = 'UPDATE' and (new.status <> 'scheduled' or (new.practitioner_id is not distinct from old.practitioner_id
      and new.appointment_type_id is not distinct from old.appointment_type_id)) then
    return new;
  end if;
  perform private.require_practitioner_offers_type(new.appointment_type_id, new.practitioner_id);
  return new;
end
$$;
create trigger queue_entries_type_offered before insert or update of practitioner_id, appointment_type_id
  on public.queue_entries for each row execute function private.queue_entries_type_offered();

revoke execute on function private.practitioner_offers_type(uuid, uuid) from public, anon, authenticated;
revoke execute on function private.require_practitioner_offers_type(uuid, uuid) from public, anon, authenticated;
revoke execute on function private.queue_entries_type_offered() from public, anon, authenticated;
revoke execute on function private.practitioner_id_list(jsonb) from public, anon;
-- set_appointment_types is security invoker: the admin calling it runs this one
grant execute on function private.practitioner_id_list(jsonb) to authenticated;

create or replace function public.set_appointment_types(p_clinic_id uuid, p_types jsonb)
returns uuid[]
language plpgsql
security invoker
set search_path = ''
as $$
declare
  r record;
  v_names text[] := '{}';
  v_ids uuid[] := '{}';
  v_id uuid;
  v_out uuid[] := '{}';
begin
  perform private.require_admin(p_clinic_id);
  if p_types is null or jsonb_typeof(p_types) <> 'array' or jsonb_array_length(p_types) > 100 then
    perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"format"}');
  end if;
  for r in select value as v, ordinality - 1 as idx from jsonb_array_elements(p_types) with ordinality loop
    if jsonb_typeof(r.v) <> 'object'
       or (r.v ? 'id' and jsonb_typeof(r.v -> 'id') <> 'null'
           and coalesce(r.v ->> 'id', '') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
       or (r.v ? 'active' and jsonb_typeof(r.v -> 'active') <> 'boolean')
       -- F4: a type's own mode (null/absent = the clinic's)
       or (r.v ? 'booking_mode' and jsonb_typeof(r.v -> 'booking_mode') <> 'null'
           and coalesce(r.v ->> 'booking_mode', '') not in ('slotted', 'fluid')) then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'problem', 'format')::text);
    end if;
    if jsonb_typeof(r.v -> 'name') <> 'string' or char_length(btrim(r.v ->> 'name')) not between 1 and 120 then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'problem', 'name')::text);
    end if;
    -- types19: the names per language (absent = keep; null = none); a blank language is left out
    if r.v ? 'names' and jsonb_typeof(r.v -> 'names') <> 'null' and (
         jsonb_typeof(r.v -> 'names') <> 'object'
         or exists (select 1 from jsonb_each(r.v -> 'names') e
                    where e.key not in ('ar', 'fr', 'en') or jsonb_typeof(e.value) <> 'string'
                       or char_length(btrim(e.value #>> '{}')) > 120)) then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'problem', 'names')::text);
    end if;
    -- types19: the colour, one of the palette's (absent = keep; null = none)
    if r.v ? 'color' and jsonb_typeof(r.v -> 'color') <> 'null'
       and (jsonb_typeof(r.v -> 'color') <> 'string' or not private.is_visit_type_color(r.v ->> 'color')) then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'problem', 'color')::text);
    end if;
    -- types19: the doctors who offer it (absent = keep; null = every doctor): this clinic's active practitioners
    if r.v ? 'practitioner_ids' and jsonb_typeof(r.v -> 'practitioner_ids') <> 'null' and (
         jsonb_typeof(r.v -> 'practitioner_ids') <> 'array'
         or jsonb_array_length(r.v -> 'practitioner_ids') not between 1 and 200
         or exists (select 1 from jsonb_array_elements(r.v -> 'practitioner_ids') p
                    where jsonb_typeof(p) <> 'string'
                       or (p #>> '{}') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                       or not exists (select 1 from public.clinic_members m
                                       where m.id = (p #>> '{}')::uuid and m.clinic_id = p_clinic_id
                                         and m.active and m.role = 'practitioner'))) then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'problem', 'practitioners')::text);
    end if;
    if jsonb_typeof(r.v -> 'duration_minutes') <> 'number'
       or (r.v ->> 'duration_minutes') !~ '^\d{1,3}$'
       or (r.v ->> 'duration_minutes')::int not between 5 and 480 then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'problem', 'duration')::text);
    end if;
    if lower(btrim(r.v ->> 'name')) = any (v_names) then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'problem', 'duplicate')::text);
    end if;
    v_names := v_names || lower(btrim(r.v ->> 'name'));
    if jsonb_typeof(r.v -> 'id') = 'string' then
      if (r.v ->> 'id')::uuid = any (v_ids) or not exists (
        select 1 from public.appointment_types t where t.id = (r.v ->> 'id')::uuid and t.clinic_id = p_clinic_id) then
        perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
          'index', r.idx, 'id', r.v ->> 'id', 'problem', 'unknown')::text);
      end if;
      v_ids := v_ids || (r.v ->> 'id')::uuid;
    end if;
  end loop;

  -- names are unique per clinic: free the names first so two types may swap theirs
  update public.appointment_types t set name = t.id::text
  where t.clinic_id = p_clinic_id and t.id = any (v_ids);
  update public.appointment_types t set active = false
  where t.clinic_id = p_clinic_id and not (t.id = any (v_ids)) and t.active;
  for r in select value as v from jsonb_array_elements(p_types) loop
    if jsonb_typeof(r.v -> 'id') = 'string' then
      update public.appointment_types t
      set name = btrim(r.v ->> 'name'), duration_minutes = (r.v ->> 'duration_minutes')::int,
          active = coalesce((r.v ->> 'active')::boolean, true), booking_mode = case when r.v ? 'booking_mode' then r.v ->> 'booking_mode' else t.booking_mode end,
          names = case when r.v ? 'names' then private.visit_type_names(r.v -> 'names') else t.names end,
          color = case when r.v ? 'color' then r.v ->> 'color' else t.color end,
          practitioner_ids = case when r.v ? 'practitioner_ids' then private.practitioner_id_list(r.v -> 'practitioner_ids')
                                  else t.practitioner_ids end
      where t.id = (r.v ->> 'id')::uuid and t.clinic_id = p_clinic_id
      returning t.id into v_id;
    else
      -- a left-out type may hold the name: it was deactivated above, take its row back instead
      update public.appointment_types t
      set duration_minutes = (r.v ->> 'duration_minutes')::int,
          active = coalesce((r.v ->> 'active')::boolean, true), booking_mode = case when r.v ? 'booking_mode' then r.v ->> 'booking_mode' else t.booking_mode end,
          names = case when r.v ? 'names' then private.visit_type_names(r.v -> 'names') else t.names end,
          color = case when r.v ? 'color' then r.v ->> 'color' else t.color end,
          practitioner_ids = case when r.v ? 'practitioner_ids' then private.practitioner_id_list(r.v -> 'practitioner_ids')
                                  else t.practitioner_ids end
      where t.clinic_id = p_clinic_id and t.name = btrim(r.v ->> 'name')
      returning t.id into v_id;
      if v_id is null then
        insert into public.appointment_types (clinic_id, name, duration_minutes, active, booking_mode, names, color,
                                              practitioner_ids)
        values (p_clinic_id, btrim(r.v ->> 'name'), (r.v ->> 'duration_minutes')::int,
                coalesce((r.v ->> 'active')::boolean, true), r.v ->> 'booking_mode',
                private.visit_type_names(r.v -> 'names'), r.v ->> 'color',
                private.practitioner_id_list(r.v -> 'practitioner_ids'))
        returning id into v_id;
      end if;
    end if;
    if v_id is null then
      perform private.raise_error(403, 'AUTH.FORBIDDEN', 'owner or admin only');
    end if;
    v_out := v_out || v_id;
    v_id := null;
  end loop;
  return v_out;
end
$$;


create or replace function public.get_public_clinic(p_slug text) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_s jsonb;
begin
  select * into v_clinic from public.clinics
   where slug = lower(p_slug) or id::text = lower(p_slug);
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  v_s := private.effective_settings(v_clinic.settings);
  return jsonb_build_object(
    'id', v_clinic.id, 'slug', v_clinic.slug, 'name', v_clinic.name, 'time_zone', v_clinic.time_zone,
    'default_language', v_clinic.default_language, 'phone', v_clinic.phone, 'address', v_clinic.address,
    'appointment_types', coalesce((select jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name,
        'duration_minutes', t.duration_minutes, 'names', t.names, 'color', t.color,
        'practitioner_ids', t.practitioner_ids,
        'booking_mode', coalesce(t.booking_mode, v_s ->> 'booking_mode')) order by t.name)
      from public.appointment_types t where t.clinic_id = v_clinic.id and t.active), '[]'::jsonb),
    'working_hours', coalesce((select jsonb_agg(jsonb_build_object('weekday', w.weekday,
        'starts_at', to_char(w.starts_at, 'HH24:MI'), 'ends_at', to_char(w.ends_at, 'HH24:MI'))
        order by w.weekday, w.starts_at)
      from public.working_hours w where w.clinic_id = v_clinic.id), '[]'::jsonb),
    'practitioners', coalesce((select jsonb_agg(jsonb_build_object('id', m.id, 'display_name', m.display_name)
        order by m.display_name)
      from public.clinic_members m where m.clinic_id = v_clinic.id and m.active and m.role = 'practitioner'),
      '[]'::jsonb),
    'booking', jsonb_build_object(
      'booking_horizon_days', v_s -> 'booking_horizon_days',
      'min_booking_notice_minutes', v_s -> 'min_booking_notice_minutes',
      'min_cancel_notice_minutes', v_s -> 'min_cancel_notice_minutes',
      'slot_capacity', v_s -> 'slot_capacity',
      'buffer_minutes', v_s -> 'buffer_minutes'));
end
$$;
