-- Issue 17 (session 19, resched19): My visits answers each visit's doctor (practitioner_id; null = any doctor).
-- A patient's reschedule keeps the visit's doctor (private.book), but the dialog could not ask get_free_slots for
-- that doctor's times, so it offered times on the doctor's leave or outside their hours that the queue_entries
-- trigger then refused (PRACTITIONER.ON_LEAVE / OFF_HOURS). Only the caller's own visits, as before (p.user_id).
-- Newest body: 20261212500002_my_visits_day.sql, plus 'practitioner_id'.
create or replace function public.get_my_visits() returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
begin
  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'entry_id', e.id, 'clinic_id', e.clinic_id, 'status', e.status, 'ticket_number', e.ticket_number,
             'ticket', private.ticket_label(c.ticket_prefix, e.ticket_number),
             'slot_start', e.slot_start, 'kind', e.kind, 'tracking_token', private.entry_link(e),
             'appointment_type_id', e.appointment_type_id, 'day', q.day, 'practitioner_id', e.practitioner_id)
           order by e.slot_start nulls last, e.created_at)
      from public.queue_entries e
      join public.queues q on q.id = e.queue_id
      join public.patients p on p.id = e.patient_id
      join public.clinics c on c.id = e.clinic_id
     where p.user_id = v_uid), '[]'::jsonb);
end
$$;
