-- Issue 17 (session 15): the desk's "Book a visit" dialog books for a caller on the phone, who may be new.
--
-- staff_book_appointment / staff_book_fluid_place take a patient of the clinic; until now the desk had no way
-- to make one except a walk-in. staff_find_or_create_patient(clinic, name, phone, language) answers the
-- patient of THIS clinic with that phone (E.164) and that name (case and outer spaces ignored) — a family
-- shares one phone in many homes, so the phone alone does not name a patient — or creates one.
-- Caller rule as for staff booking: private.require_staff (the clinic's staff or the service role; a patient,
-- another clinic's staff, anon → AUTH.FORBIDDEN / AUTH.REQUIRED). A phone that is not E.164 → 422
-- PHONE.INVALID, a blank or over-long name → 422 VALIDATION.FAILED; nothing is written then.
-- An existing record keeps its own name, language and account link (the desk does not rename a patient).

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
declare
  v_name text := btrim(coalesce(p_full_name, ''));
  v_phone text := btrim(coalesce(p_phone, ''));
  v_id uuid;
  v_found_name text;
begin
  perform private.require_staff(p_clinic_id);
  if char_length(v_name) not between 1 and 200 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a name (1-200 characters) is required');
  end if;
  if not private.is_e164(v_phone) then
    perform private.raise_error(422, 'PHONE.INVALID', 'phone must be E.164, e.g. +212600000000');
  end if;
  select p.id, p.full_name into v_id, v_found_name
    from public.patients p
   where p.clinic_id = p_clinic_id
     and p.phone = v_phone
     and lower(btrim(p.full_name)) = lower(v_name)
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
revoke execute on function public.staff_find_or_create_patient(uuid, text, text, public.app_language)
  from public, anon;
grant execute on function public.staff_find_or_create_patient(uuid, text, text, public.app_language)
  to authenticated, service_role;
