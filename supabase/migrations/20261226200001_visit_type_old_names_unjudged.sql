-- sec26 (session 25's "Left"): a visit type stored before the name rule (sec25) with a phone number, a link or an
-- e-mail in its name blocked saving the WHOLE list until renamed: set_appointment_types parks every listed row's
-- name on its id and writes it back, so the trigger saw each name as changed and judged them all (422
-- APPOINTMENT_TYPE.NAME_NOT_ALLOWED for the old type's name while the admin only changed another type's duration).
-- Now only names that are new or changed are judged, like profiles/patients (oldNamesUpdatable,
-- personNameOldRowsUpdatable):
-- - set_appointment_types parks only the rows whose name changes (an unchanged name is written as it was: the
--   trigger's "name is distinct from old.name" is false, nothing to judge). Swaps still work: a row that takes
--   another row's name is itself changed, and the other row, if it keeps its name, makes the list a duplicate
--   (refused before any write, as before).
-- - the trigger judges only the languages of names (jsonb) whose text is new or changed; an unchanged language of an
--   old type passes, a changed one is judged.
-- Renaming a type to another bad name is still refused (422 APPOINTMENT_TYPE.NAME_NOT_ALLOWED), on every path.
-- Bodies: private.appointment_types_checked and public.set_appointment_types from 20261225600001 (the latest of
-- each); grants unchanged (create or replace keeps them).

create or replace function private.appointment_types_checked() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if coalesce(auth.role(), '') not in ('anon', 'authenticated') then
    return new;
  end if;
  if tg_op = 'INSERT' or new.name is distinct from old.name then
    if not private.person_name_chars_clean(new.name) then
      perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"name"}');
    end if;
    -- sec25: the clinic-name rule on the name the booking page shows (not on set_appointment_types' parked id)
    -- fix25c F7: the parked id is let through only while set_appointment_types parks (its transaction-local flag);
    -- before, any write naming a type after its own (chosen) id passed, e.g. an id that reads as a phone number
    if not (new.name = new.id::text
            and current_setting('queuemed.parking_types', true) is not distinct from 'on')
       and not private.clinic_name_allowed(new.name) then
      perform private.raise_error(422, 'APPOINTMENT_TYPE.NAME_NOT_ALLOWED',
        'a visit type name may not contain a web address, an e-mail address or a phone number');
    end if;
  end if;
  if (tg_op = 'INSERT' or new.names is distinct from old.names) and new.names is not null then
    -- the shape (an object of ar/fr/en strings) is the table's own check (appointment_types_names, 23514)
    -- sec26: only a language whose text is new or changed is judged (an old type's unchanged language passes)
    if jsonb_typeof(new.names) = 'object' and exists (
         select 1 from jsonb_each(new.names) e
          where jsonb_typeof(e.value) = 'string'
            and (tg_op = 'INSERT' or jsonb_typeof(old.names) is distinct from 'object'
                 or (old.names -> e.key) is distinct from e.value)
            and not private.person_name_chars_clean(e.value #>> '{}')) then
      perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"names"}');
    end if;
    -- sec25: each language's name shows on the booking page too
    if jsonb_typeof(new.names) = 'object' and exists (
         select 1 from jsonb_each(new.names) e
          where jsonb_typeof(e.value) = 'string'
            and (tg_op = 'INSERT' or jsonb_typeof(old.names) is distinct from 'object'
                 or (old.names -> e.key) is distinct from e.value)
            and not private.clinic_name_allowed(e.value #>> '{}')) then
      perform private.raise_error(422, 'APPOINTMENT_TYPE.NAME_NOT_ALLOWED',
        'a visit type name may not contain a web address, an e-mail address or a phone number');
    end if;
  end if;
  if (tg_op = 'INSERT' or new.practitioner_ids is distinct from old.practitioner_ids
      or new.clinic_id is distinct from old.clinic_id) and new.practitioner_ids is not null then
    if exists (select 1 from unnest(new.practitioner_ids) p
                where (tg_op = 'INSERT' or new.clinic_id is distinct from old.clinic_id
                       or not (p = any (coalesce(old.practitioner_ids, '{}'::uuid[]))))
                  and not private.is_bookable_doctor(new.clinic_id, p)) then
      perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"practitioners"}');
    end if;
  end if;
  return new;
end
$$;
revoke all on function private.appointment_types_checked() from public, anon, authenticated;

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
  v_id_names text[] := '{}';
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
    -- types19: the doctors who offer it (absent = keep; null = every doctor): this clinic's doctors (DR1)
    if r.v ? 'practitioner_ids' and jsonb_typeof(r.v -> 'practitioner_ids') <> 'null' and (
         jsonb_typeof(r.v -> 'practitioner_ids') <> 'array'
         or jsonb_array_length(r.v -> 'practitioner_ids') not between 1 and 200
         or exists (select 1 from jsonb_array_elements(r.v -> 'practitioner_ids') p
                    where jsonb_typeof(p) <> 'string'
                       or (p #>> '{}') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                       or not private.is_bookable_doctor(p_clinic_id, (p #>> '{}')::uuid))) then
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
      v_id_names := v_id_names || btrim(r.v ->> 'name');
    end if;
  end loop;

  -- names are unique per clinic: free the names first so two types may swap theirs
  -- fix25c F7: the trigger lets a name equal to its row's id through only under this transaction-local flag
  -- sec26: only the rows whose name changes are parked; an unchanged name is written back as it was, so the trigger
  -- does not judge it (an old type's name from before the rule no longer blocks the list)
  perform set_config('queuemed.parking_types', 'on', true);
  update public.appointment_types t set name = t.id::text
  from unnest(v_ids, v_id_names) as x(id, name)
  where t.clinic_id = p_clinic_id and t.id = x.id and t.name is distinct from x.name;
  perform set_config('queuemed.parking_types', 'off', true);
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
