-- Issue 15.9: the booking page fills a returning patient's name.
-- get_my_patient_name(p_clinic_id) → { full_name, known }: the signed-in caller's own name as this clinic
-- knows it (their patient record there: `known` = true, the booking will not ask for a name), else the name on
-- their profile or their newest record in another clinic (`known` = false: the page proposes it, the patient
-- confirms). Only the caller's own records; 401 AUTH.REQUIRED without a user, 404 for an unknown clinic.
create function public.get_my_patient_name(p_clinic_id uuid) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
  v_here text;
  v_elsewhere text;
begin
  if p_clinic_id is null or not exists (select 1 from public.clinics where id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  select p.full_name into v_here from public.patients p where p.clinic_id = p_clinic_id and p.user_id = v_uid;
  if v_here is null then
    select coalesce(
      (select nullif(btrim(pr.full_name), '') from public.profiles pr where pr.id = v_uid),
      (select p.full_name from public.patients p where p.user_id = v_uid order by p.created_at desc limit 1))
      into v_elsewhere;
  end if;
  return jsonb_build_object('full_name', coalesce(v_here, v_elsewhere), 'known', v_here is not null);
end
$$;

revoke execute on function public.get_my_patient_name(uuid) from public, anon;
grant execute on function public.get_my_patient_name(uuid) to authenticated, service_role;
