-- Issue 12, session 14 (turn12): a patient's own renames are limited per day.
--
-- Since 20261211400002 a rename of a patient with a visit today or later bumps each such queue day's version
-- and re-stamps the visits (every desk of the clinic reloads). The patient may rename themselves (the
-- `patients_update` policy lets `user_id = auth.uid()` update full_name), so one account could bump its
-- clinic's queue version without limit. Now a patient's own renames of one patient record are counted per
-- clinic day (the clinic's time zone, private.clinic_today by private.now()): at most
-- private.patient_self_rename_limit() (3) a day; the next one is refused with 429 PATIENT.RENAME_LIMIT and
-- changes nothing (the count's increment is rolled back with the refused update, so the count stays at 3).
--   * Not limited: the clinic's staff correcting a name (their own clinic), the erasure (anonymise_patient
--     clears user_id in the same update), the service role, and any update that leaves full_name as it was.
--   * The count is private (no table grant to anyone); a past day's counts are never read again and are
--     deleted with the patient record. Checked BEFORE the row changes, so no version is bumped by a refusal.

create table private.patient_self_renames (
  patient_id uuid not null references public.patients (id) on delete cascade,
  day date not null,
  renames integer not null check (renames > 0),
  primary key (patient_id, day)
);
comment on table private.patient_self_renames is
  'A patient''s own renames of their record per clinic day (limit: private.patient_self_rename_limit, issue 12).';
revoke all on private.patient_self_renames from public, anon, authenticated;

-- How many times a day a patient may change their own name (each rename reloads every desk of the clinic).
create function private.patient_self_rename_limit() returns integer
language sql immutable set search_path = '' as $$ select 3 $$;
revoke all on function private.patient_self_rename_limit() from public;

create function private.limit_patient_self_rename() returns trigger
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

create trigger patients_self_rename_limit before update of full_name on public.patients
  for each row when (old.full_name is distinct from new.full_name)
  execute function private.limit_patient_self_rename();
