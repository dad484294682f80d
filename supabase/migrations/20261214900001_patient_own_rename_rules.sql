-- Session 16, from the review of the session's merged change: set_my_name (20261214100001) normalises a name and
-- refuses control characters, but the patient still holds `update (full_name)` on their own record through the
-- `patients_update` policy, so a direct PATCH of /rest/v1/patients skipped those rules (only the 3-a-day limit
-- applied) — and a name reaches SMS and email bodies. The limit's trigger (BEFORE UPDATE OF full_name, fires only
-- for the patient's own rename) now applies the desk's rules too: inner white space collapsed and trimmed, 1–200
-- characters, no control characters (422 VALIDATION.FAILED, nothing changed). Staff corrections, the erasure and
-- the service role are untouched, as before. Redefined from 20261212100002 (its only body).

create or replace function private.limit_patient_self_rename() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_today date;
  v_count integer;
begin
  -- only the patient's own rename of their own record counts (staff of the clinic, erasure, service: free)
  if v_uid is null or new.user_id is distinct from v_uid or private.is_clinic_staff(new.clinic_id) then
    return new;
  end if;
  new.full_name := btrim(regexp_replace(coalesce(new.full_name, ''), '\s+', ' ', 'g'));
  if char_length(new.full_name) not between 1 and 200 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a name (1-200 characters) is required');
  end if;
  if new.full_name ~ '[[:cntrl:]]' then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a name cannot hold control characters');
  end if;
  if new.full_name is not distinct from old.full_name then
    return new; -- the same name after normalisation: no rename, not counted
  end if;
  select private.clinic_today(c.time_zone) into v_today from public.clinics c where c.id = new.clinic_id;
  insert into private.patient_self_renames as r (patient_id, day, renames)
  values (new.id, v_today, 1)
  on conflict (patient_id, day) do update set renames = r.renames + 1
  returning r.renames into v_count;
  if v_count > private.patient_self_rename_limit() then
    perform private.raise_error(429, 'PATIENT.RENAME_LIMIT',
      format('a patient may change their name %s times a day', private.patient_self_rename_limit()));
  end if;
  return new;
end
$$;
revoke all on function private.limit_patient_self_rename() from public;
