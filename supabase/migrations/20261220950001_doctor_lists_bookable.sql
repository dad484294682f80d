-- doctor20b (review20 L4, the part left; docs/domain-rules.md DR1): a doctor is an active practitioner OR owner,
-- private.is_bookable_doctor (20261220900001). Four places still named the practitioner role only, so an owner who
-- sees patients could be booked as "any doctor" but not offered per visit type nor chosen by name:
--   get_public_clinic          its "practitioners" list (the doctors a patient picks by name on the booking page)
--                              is now the clinic's bookable doctors; each type's practitioner_ids is returned as
--                              stored (an admin can now list the owner there).
--   set_appointment_types      practitioner_ids: 1–200 ids of this clinic's doctors (same clinic, active).
--   private.appointment_types_checked  T1: an id a write adds is one of this clinic's doctors; ids already on the
--                              list are still not re-judged.
--   private.book_fluid         a fluid day's place (book_fluid_place, the desk, a fluid reschedule) named a doctor
--                              by the practitioner role only: now private.require_bookable_doctor, as private.book
--                              (an owner is bookable; a deactivated doctor is 409 PRACTITIONER.UNAVAILABLE, DR2).
-- set_appointment_types is security invoker, so the admin calling it now runs private.is_bookable_doctor: it is
-- granted to authenticated (an invoker SQL function reading clinic_members under the caller's own RLS — it tells a
-- caller nothing their own select could not; private.private_functions_needed_by lists it).
-- Redefined from their newest bodies: public.set_appointment_types and public.get_public_clinic
-- (20261219400002), private.appointment_types_checked (20261220800004), private.book_fluid (20261211300001).

grant execute on function private.is_bookable_doctor(uuid, uuid) to authenticated;

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
      from public.clinic_members m where m.clinic_id = v_clinic.id
       and private.is_bookable_doctor(v_clinic.id, m.id)),
      '[]'::jsonb),
    'booking', jsonb_build_object(
      'booking_horizon_days', v_s -> 'booking_horizon_days',
      'min_booking_notice_minutes', v_s -> 'min_booking_notice_minutes',
      'min_cancel_notice_minutes', v_s -> 'min_cancel_notice_minutes',
      'slot_capacity', v_s -> 'slot_capacity',
      'buffer_minutes', v_s -> 'buffer_minutes'));
end
$$;

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
    if not private.is_clean_person_name(new.name) then
      perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"name"}');
    end if;
  end if;
  if (tg_op = 'INSERT' or new.names is distinct from old.names) and new.names is not null then
    -- the shape (an object of ar/fr/en strings) is the table's own check (appointment_types_names, 23514)
    if jsonb_typeof(new.names) = 'object' and exists (
         select 1 from jsonb_each(new.names) e
          where jsonb_typeof(e.value) = 'string' and not private.is_clean_person_name(e.value #>> '{}')) then
      perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"names"}');
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

create or replace function private.book_fluid(p_clinic_id uuid, p_patient_id uuid, p_day date, p_type_id uuid,
  p_practitioner_id uuid, p_enforce_notice boolean)
returns jsonb
language plpgsql
set search_path = ''
as $function$
declare
  v_clinic public.clinics;
  v_duration integer;
  v_refusal text;
  v_queue public.queues;
  v_token text;
  v_entry_id uuid := gen_random_uuid();
begin
  v_token := private.entry_link_token(v_entry_id);
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if p_day is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_day is required');
  end if;
  v_duration := private.type_duration(p_clinic_id, p_type_id); -- another clinic's type: NOT_FOUND
  if private.type_booking_mode(p_clinic_id, p_type_id) <> 'fluid' then
    perform private.raise_error(422, 'BOOKING.MODE_MISMATCH', 'this visit type books a time slot');
  end if;
  -- DR1/DR2 as private.book: a doctor is an active practitioner or owner; a deactivated one is 409
  if p_practitioner_id is not null then
    perform private.require_bookable_doctor(p_clinic_id, p_practitioner_id);
  end if;
  v_refusal := private.fluid_day_refusal(v_clinic, p_day, p_enforce_notice);
  if v_refusal is not null then
    perform private.raise_error(422, v_refusal,
      case v_refusal when 'BOOKING.CLINIC_CLOSED' then 'the clinic is closed that day'
                     when 'BOOKING.BEYOND_HORIZON' then 'the day is beyond the booking horizon'
                     else 'the day is over' end);
  end if;

  v_queue := private.lock_queue(p_clinic_id, p_day); -- serializes bookings of this clinic-day (F2)
  v_queue.next_ticket := greatest(v_queue.next_ticket,
    coalesce((select max(x.ticket_number) + 1 from public.queue_entries x where x.queue_id = v_queue.id), 1));
  if v_queue.status = 'closed' then
    perform private.raise_error(409, 'QUEUE.CLOSED', 'the day is closed');
  end if;
  if private.fluid_places_left(p_clinic_id, p_day, v_duration) <= 0 then
    perform private.raise_error(409, 'BOOKING.DAY_FULL', 'no place left in that day');
  end if;
  perform private.check_same_day_visit(v_queue.id, p_patient_id);

  insert into public.queue_entries (
    id, queue_id, clinic_id, patient_id, practitioner_id, appointment_type_id, kind, status, ticket_number,
    order_key, slot_start, slot_end, fluid, tracking_token_hash, created_by, appointment_id)
  values (
    v_entry_id, v_queue.id, p_clinic_id, p_patient_id, p_practitioner_id, p_type_id, 'booked', 'scheduled',
    v_queue.next_ticket, extract(epoch from private.now())::numeric, null, null, true,
    private.hash_token(v_token), auth.uid(), v_entry_id);
  update public.queues set next_ticket = v_queue.next_ticket + 1 where id = v_queue.id;
  perform private.log_event(v_queue.id, p_clinic_id, v_entry_id, 'EntryScheduled',
    jsonb_build_object('ticket', private.ticket_label(v_clinic.ticket_prefix, v_queue.next_ticket),
                       'appointmentId', v_entry_id, 'slotAt', null,
                       'practitionerId', p_practitioner_id));
  return jsonb_build_object(
    'entry_id', v_entry_id,
    'queue_id', v_queue.id,
    'clinic_id', p_clinic_id,
    'patient_id', p_patient_id,
    'day', p_day,
    'ticket_number', v_queue.next_ticket,
    'ticket', private.ticket_label(v_clinic.ticket_prefix, v_queue.next_ticket),
    'slot_start', null,
    'slot_end', null,
    'fluid', true,
    'status', 'scheduled',
    'tracking_token', v_token,
    'queue_version', private.bump_version(v_queue.id));
end
$function$;
revoke execute on function private.book_fluid(uuid, uuid, date, uuid, uuid, boolean) from public, anon, authenticated;
