-- A patient's own record: the phone number (and the dormant notes column) are the clinic's to change (review
-- of session 14).
--
-- 20261201000100_rls.sql grants authenticated callers update of (full_name, phone, preferred_language,
-- sms_opt_out, notes) on public.patients, and the `patients_update` policy lets `user_id = auth.uid()` update
-- their own record. So a signed-in patient could write any E.164 number into their record without the SMS code
-- that proved their own — and, with `sms_opt_out = true` beside it, silence another person at that clinic: the
-- outbox treats a phone as opted out when ANY record of the clinic with that phone opted out
-- (20261209500002_whatsapp_channel.sql). They could also point the clinic's messages (and its SMS budget) at a
-- stranger's phone.
--
-- Now, when the caller is the patient themselves through the API (current_user `authenticated`, not the
-- clinic's staff), a change of `phone` or `notes` is refused with 403 AUTH.FORBIDDEN and changes nothing. Not
-- affected: the clinic's staff (they correct numbers at the desk), the service role, and the SECURITY DEFINER
-- functions that write a patient's verified phone (claim_patient_records, bookings: current_user is then the
-- functions' owner). A patient keeps changing their name (limited: 20261212100002), language and SMS opt-out.
-- The trigger function is deliberately SECURITY INVOKER: it reads current_user to tell the API caller from a
-- definer function acting for them.

create function private.guard_patient_contact() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user = 'authenticated' and not private.is_clinic_staff(old.clinic_id) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN',
      'a patient''s phone number is changed by the clinic or by signing in with the new number');
  end if;
  return new;
end
$$;
revoke all on function private.guard_patient_contact() from public;
grant execute on function private.guard_patient_contact() to authenticated, service_role;

create trigger patients_contact_staff_only before update of phone, notes on public.patients
  for each row when (old.phone is distinct from new.phone or old.notes is distinct from new.notes)
  execute function private.guard_patient_contact();
