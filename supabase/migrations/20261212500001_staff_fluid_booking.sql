-- Issue 17 (session 14): staff take a place in a fluid visit type's day line for a patient of their clinic.
--
-- staff_book_appointment is slot-only; a fluid type sent there is refused (BOOKING.MODE_MISMATCH, F1). This
-- is its fluid twin: the same caller rule (private.require_staff: the clinic's owner/receptionist/
-- practitioner), the same patient rule (a patient of this clinic, else NOT_FOUND), and the same day checks
-- as a patient's book_fluid_place through private.book_fluid (F1–F4: another clinic's type → NOT_FOUND, a
-- slotted type → BOOKING.MODE_MISMATCH, a closed day → BOOKING.CLINIC_CLOSED, a past day → BOOKING.TOO_SOON,
-- no place left → BOOKING.DAY_FULL under the day's lock, one visit per day). As for a staff slot booking,
-- the booking notice and horizon do not apply to staff (p_enforce_notice false).
-- The visit logs EntryScheduled, so the patient's booking confirmation is owed as for any booking.

create or replace function public.staff_book_fluid_place(
  p_clinic_id uuid,
  p_patient_id uuid,
  p_day date,
  p_appointment_type_id uuid default null,
  p_practitioner_id uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_staff(p_clinic_id);
  if p_patient_id is null or not exists (
       select 1 from public.patients where id = p_patient_id and clinic_id = p_clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'patient not found in this clinic');
  end if;
  return private.book_fluid(p_clinic_id, p_patient_id, p_day, p_appointment_type_id, p_practitioner_id, false);
end
$$;
revoke execute on function public.staff_book_fluid_place(uuid, uuid, date, uuid, uuid) from public, anon;
grant execute on function public.staff_book_fluid_place(uuid, uuid, date, uuid, uuid) to authenticated, service_role;
