-- staff_find_or_create_patient: one caller, one record, even when two desks book them at once (review of
-- session 15).
--
-- The function looked for the patient, then inserted one, with nothing in between: two receptionists booking
-- the same caller at the same moment both found nothing and both inserted — two records, the visits and history
-- split between them (patients has no unique key for desk-made records: walk-ins may already repeat). Now the
-- find-or-create of one (clinic, phone) is serialised by a transaction-scoped advisory lock taken before the
-- lookup: the second desk waits, then finds the first desk's record.
-- Names: inner runs of white space (tabs, newlines, doubled spaces) become one space before the lookup and the
-- insert — "Ali  Ben" is "Ali Ben" — and a name still holding a control character is refused (422
-- VALIDATION.FAILED): it would otherwise reach SMS and email bodies as {patient_name}.
-- Everything else is 20261213500001's body.

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
  v_name text := btrim(regexp_replace(coalesce(p_full_name, ''), '\s+', ' ', 'g'));
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
  if v_name ~ '[[:cntrl:]]' then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a name cannot hold control characters');
  end if;
  -- one find-or-create per (clinic, phone) at a time: a second desk waits here, then finds the first one's record
  perform pg_advisory_xact_lock(
    hashtextextended('staff_find_or_create_patient:' || p_clinic_id::text || ':' || v_phone, 0));
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
revoke execute on function public.staff_find_or_create_patient(uuid, text, text, public.app_language)
  from public, anon;
grant execute on function public.staff_find_or_create_patient(uuid, text, text, public.app_language)
  to authenticated, service_role;
