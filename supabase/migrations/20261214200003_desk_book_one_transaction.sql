-- Desk booking in one transaction, and one find-or-create of a patient record (issue 17, session 16).
--
-- The dashboard's "Book a visit" called staff_find_or_create_patient and then staff_book_appointment /
-- staff_book_fluid_place: two transactions, so a refused booking (slot full, day full, closed day, one visit a
-- day …) left a new patient record behind. public.staff_desk_book finds or creates the caller AND books the slot
-- or the day's place in one call: a refusal rolls the new record back with it.
--
-- The three find-or-creates (book_appointment and book_fluid_place: the signed-in patient's own record;
-- staff_find_or_create_patient: the desk's caller by phone AND name) are one private helper now,
-- private.find_or_create_patient, so the advisory lock and the name rules (inner white space collapsed, 1–200
-- characters, no control characters → 422 VALIDATION.FAILED) apply on every path (sessions 14/15 duplicates).
--
-- Newest bodies: book_appointment (20261201000300), book_fluid_place (20261211300001),
-- staff_find_or_create_patient (20261213900004).

-- The patient record of a signed-in patient (p_user_id: found by account, made on first booking with the given
-- name or the profile's and the account's confirmed phone) or of a desk caller (p_user_id null: found by phone
-- AND name — families share phones — or made). One find-or-create per (clinic, account or phone) at a time: a
-- second caller waits on the advisory lock, then finds the first one's record.
-- → { patient_id, full_name, created }.
create or replace function private.find_or_create_patient(
  p_clinic_id uuid,
  p_user_id uuid,
  p_full_name text,
  p_phone text,
  p_language public.app_language)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_name text := btrim(regexp_replace(coalesce(p_full_name, ''), '\s+', ' ', 'g'));
  v_phone text := btrim(coalesce(p_phone, ''));
  v_id uuid;
  v_found_name text;
begin
  if p_user_id is not null then
    perform pg_advisory_xact_lock(
      hashtextextended('patient_record:' || p_clinic_id::text || ':user:' || p_user_id::text, 0));
    select p.id, p.full_name into v_id, v_found_name
      from public.patients p where p.clinic_id = p_clinic_id and p.user_id = p_user_id;
    if v_id is not null then
      return jsonb_build_object('patient_id', v_id, 'full_name', v_found_name, 'created', false);
    end if;
    if v_name = '' then
      select btrim(regexp_replace(coalesce(pr.full_name, ''), '\s+', ' ', 'g')) into v_name
        from (select 1) x left join public.profiles pr on pr.id = p_user_id;
    end if;
    select case when u.phone_confirmed_at is not null and private.is_e164('+' || ltrim(u.phone, '+'))
                then '+' || ltrim(u.phone, '+') end
      into v_phone from auth.users u where u.id = p_user_id;
  end if;
  if char_length(coalesce(v_name, '')) not between 1 and 200 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a name (1-200 characters) is required');
  end if;
  if p_user_id is null and not private.is_e164(v_phone) then
    perform private.raise_error(422, 'PHONE.INVALID', 'phone must be E.164, e.g. +212600000000');
  end if;
  if v_name ~ '[[:cntrl:]]' then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a name cannot hold control characters');
  end if;
  if p_user_id is not null then
    insert into public.patients (clinic_id, user_id, full_name, phone, preferred_language)
    values (p_clinic_id, p_user_id, v_name, v_phone, p_language)
    on conflict (clinic_id, user_id) where user_id is not null do nothing
    returning id into v_id;
    if v_id is null then
      select id into v_id from public.patients where clinic_id = p_clinic_id and user_id = p_user_id;
      return jsonb_build_object('patient_id', v_id, 'full_name', v_name, 'created', false);
    end if;
    return jsonb_build_object('patient_id', v_id, 'full_name', v_name, 'created', true);
  end if;
  perform pg_advisory_xact_lock(
    hashtextextended('patient_record:' || p_clinic_id::text || ':phone:' || v_phone, 0));
  select p.id, p.full_name into v_id, v_found_name
    from public.patients p
   where p.clinic_id = p_clinic_id
     and p.phone = v_phone
     and lower(btrim(regexp_replace(p.full_name, '\s+', ' ', 'g'))) = lower(v_name)
   order by (p.user_id is not null) desc, p.updated_at desc, p.id
   limit 1;
  if v_id is not null then
    return jsonb_build_object('patient_id', v_id, 'full_name', v_found_name, 'created', false);
  end if;
  insert into public.patients (clinic_id, user_id, full_name, phone, preferred_language)
  values (p_clinic_id, null, v_name, v_phone, p_language)
  returning id into v_id;
  return jsonb_build_object('patient_id', v_id, 'full_name', v_name, 'created', true);
end
$$;
revoke all on function private.find_or_create_patient(uuid, uuid, text, text, public.app_language)
  from public, anon, authenticated;

create or replace function public.book_appointment(
  p_clinic_id uuid,
  p_slot_start timestamptz,
  p_appointment_type_id uuid default null,
  p_practitioner_id uuid default null,
  p_full_name text default null,
  p_language public.app_language default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
begin
  if p_clinic_id is null or not exists (select 1 from public.clinics where id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  return private.book(p_clinic_id,
    (private.find_or_create_patient(p_clinic_id, v_uid, p_full_name, null, p_language) ->> 'patient_id')::uuid,
    p_slot_start, p_appointment_type_id, p_practitioner_id, true);
end
$$;

create or replace function public.book_fluid_place(
  p_clinic_id uuid,
  p_day date,
  p_appointment_type_id uuid default null,
  p_practitioner_id uuid default null,
  p_full_name text default null,
  p_language public.app_language default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
begin
  if p_clinic_id is null or not exists (select 1 from public.clinics where id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  return private.book_fluid(p_clinic_id,
    (private.find_or_create_patient(p_clinic_id, v_uid, p_full_name, null, p_language) ->> 'patient_id')::uuid,
    p_day, p_appointment_type_id, p_practitioner_id, true);
end
$$;

create or replace function public.staff_find_or_create_patient(
  p_clinic_id uuid,
  p_full_name text,
  p_phone text,
  p_language public.app_language default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_staff(p_clinic_id);
  return private.find_or_create_patient(p_clinic_id, null, p_full_name, p_phone, p_language);
end
$$;

-- staff_desk_book(p_clinic_id, p_full_name, p_phone, p_appointment_type_id?, p_slot_start?, p_day?,
--   p_practitioner_id?, p_language?) → staff_book_appointment's (or staff_book_fluid_place's) answer + patient:
--   { patient_id, full_name, created }. Exactly one of p_slot_start (slotted type) and p_day (fluid type).
--   The clinic's staff or the service role; the staff booking rules (capacity, hours, closed days, one visit a
--   day; no notice or horizon). One transaction: a refused booking makes no patient record.
create or replace function public.staff_desk_book(
  p_clinic_id uuid,
  p_full_name text,
  p_phone text,
  p_appointment_type_id uuid default null,
  p_slot_start timestamptz default null,
  p_day date default null,
  p_practitioner_id uuid default null,
  p_language public.app_language default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_patient jsonb;
  v_booked jsonb;
begin
  perform private.require_staff(p_clinic_id);
  if (p_slot_start is null) = (p_day is null) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'exactly one of p_slot_start and p_day is required');
  end if;
  v_patient := private.find_or_create_patient(p_clinic_id, null, p_full_name, p_phone, p_language);
  if p_slot_start is not null then
    v_booked := private.book(p_clinic_id, (v_patient ->> 'patient_id')::uuid, p_slot_start,
                             p_appointment_type_id, p_practitioner_id, false);
  else
    v_booked := private.book_fluid(p_clinic_id, (v_patient ->> 'patient_id')::uuid, p_day,
                                   p_appointment_type_id, p_practitioner_id, false);
  end if;
  return v_booked || jsonb_build_object('patient', v_patient);
end
$$;
revoke execute on function public.staff_desk_book(uuid, text, text, uuid, timestamptz, date, uuid,
  public.app_language) from public, anon;
grant execute on function public.staff_desk_book(uuid, text, text, uuid, timestamptz, date, uuid,
  public.app_language) to authenticated, service_role;
