-- mreview26 F8: the audit trail of sms_opt_out had no limit. Every change of the flag writes an audit_log row
-- (private.audit_patient_sms_opt_out, 20261226400001), and the patient may change their own record both ways, so a
-- PATCH loop on one's own record filled the clinic's audit log without bound (the clinic's staff can only turn texts
-- off: once off, they cannot loop).
--
-- Chosen: a per-record limit on the PATIENT's own changes, in the database (a BEFORE trigger, counted like the
-- patient's own renames, 20261212100002): at most private.patient_opt_out_change_limit() (10) changes of
-- sms_opt_out per record and clinic day by the record's own account; the next is 429 RATE.LIMITED and changes
-- nothing. Not chosen: skipping the audit row when the same actor changed the flag within a short window — the
-- trail is the clinic's evidence of the patient's consent (loi 09-08), and an off→on→off→on loop would leave a
-- trail whose last line says "opted out" while the record says "texts on". With the limit every change that
-- happens is still audited, and the loop stops at the write. No screen writes the flag (only a direct PATCH), no
-- honest patient changes their consent ten times a day, and nothing else is counted:
--   * the clinic's staff (they only turn texts off — 20261226400001), the service role, an SMS STOP / START reply
--     (a definer function for the sender's number: no signed-in user) and the erasure are never counted;
--   * writing the value the record already holds is no change (the trigger's WHEN) and is not counted.
-- A refused change raises, so its own count is rolled back: the count stays at the limit, never above it.
-- One row per record and day (private.patient_opt_out_changes); the record's earlier days are deleted when a change
-- is counted (only today's row is read), and its rows go with the record.
-- No existing function is redefined (the audit and guard triggers of 20261226400001 are unchanged).

create table private.patient_opt_out_changes (
  patient_id uuid not null references public.patients (id) on delete cascade,
  day date not null,
  changes integer not null check (changes >= 0),
  primary key (patient_id, day)
);
revoke all on private.patient_opt_out_changes from public, anon, authenticated;

create function private.patient_opt_out_change_limit() returns integer
language sql immutable
set search_path = ''
as $$ select 10 $$;
revoke all on function private.patient_opt_out_change_limit() from public, anon, authenticated;

create function private.limit_patient_sms_opt_out() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_today date;
  v_count integer;
begin
  -- only the patient's own change of their own record counts (staff, the service role, an SMS reply, erasure: free)
  if v_uid is null or old.user_id is distinct from v_uid
     or (new.anonymised_at is not null and old.anonymised_at is null) then
    return new;
  end if;
  select private.clinic_today(c.time_zone) into v_today from public.clinics c where c.id = new.clinic_id;
  delete from private.patient_opt_out_changes o where o.patient_id = new.id and o.day < v_today;
  insert into private.patient_opt_out_changes as o (patient_id, day, changes)
  values (new.id, v_today, 1)
  on conflict (patient_id, day) do update set changes = o.changes + 1
  returning o.changes into v_count;
  if v_count > private.patient_opt_out_change_limit() then
    perform private.raise_error(429, 'RATE.LIMITED',
      format('the SMS setting of a record may be changed %s times a day', private.patient_opt_out_change_limit()));
  end if;
  return new;
end
$$;
revoke all on function private.limit_patient_sms_opt_out() from public, anon, authenticated;

create trigger patients_sms_opt_out_change_limit before update of sms_opt_out on public.patients
  for each row when (old.sms_opt_out is distinct from new.sms_opt_out)
  execute function private.limit_patient_sms_opt_out();
