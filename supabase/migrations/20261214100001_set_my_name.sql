-- Issue 12, session 16: the patient's own rename screen ("Your name at {clinic}" on My visits).
--
-- set_my_name(p_clinic_id, p_full_name) → { full_name, changed }: the signed-in caller corrects their name on
-- THEIR record at that clinic (patients.user_id = auth.uid(); one record per clinic and user). The name gets the
-- desk's normalisation (staff_find_or_create_patient, 20261213900004): trimmed, inner runs of white space made one
-- space, 1-200 characters, no control characters (422 VALIDATION.FAILED — a name reaches SMS and email bodies).
-- The rename goes through the same UPDATE the table allows the patient, so the limit trigger of
-- 20261212100002 (3 own renames a clinic day, 429 PATIENT.RENAME_LIMIT) and the visit re-stamping of
-- 20261211400002 still apply; the same name again is no rename (changed = false, not counted).
-- 401 AUTH.REQUIRED without a user (the service role too: it has no record of its own), 404 NOT_FOUND when the
-- caller has no record at that clinic (another clinic's, another patient's record is never reached).
-- SECURITY DEFINER only to reach the private helpers; the row is chosen by auth.uid() and nothing else.

create function public.set_my_name(p_clinic_id uuid, p_full_name text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
  v_name text := btrim(regexp_replace(coalesce(p_full_name, ''), '\s+', ' ', 'g'));
  v_id uuid;
  v_old text;
begin
  if char_length(v_name) not between 1 and 200 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a name (1-200 characters) is required');
  end if;
  if v_name ~ '[[:cntrl:]]' then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a name cannot hold control characters');
  end if;
  select p.id, p.full_name into v_id, v_old
    from public.patients p
   where p.clinic_id = p_clinic_id and p.user_id = v_uid
   for update;
  if v_id is null then
    perform private.raise_error(404, 'NOT_FOUND', 'you have no record at this clinic');
  end if;
  if v_old is distinct from v_name then
    update public.patients set full_name = v_name where id = v_id;
  end if;
  return jsonb_build_object('full_name', v_name, 'changed', v_old is distinct from v_name);
end
$$;

revoke execute on function public.set_my_name(uuid, text) from public, anon;
grant execute on function public.set_my_name(uuid, text) to authenticated, service_role;
