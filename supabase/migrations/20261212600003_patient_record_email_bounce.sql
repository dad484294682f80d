-- Issue 20: a patient's email hard bounce, seen by the clinic's staff on the patient's record. The patient sees it
-- in My visits (20261211200005); the desk did not, so nobody at the clinic knew to ask for a new address while
-- the route quietly fell back to SMS (or skipped).
-- public.get_patient_record (newest: 20261202800002): the patient object + `email` (the address on file) and
--   `email_bounced_at` (when the mail server refused that address for good; null when it did not, or when no
--   address is on file). Same gate as before: the clinic's staff only (404 for anyone else), the read logged.

create or replace function public.get_patient_record(p_patient_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_patient public.patients;
  v_clinic public.clinics;
  v_member public.clinic_members;
begin
  perform private.require_uid();
  select * into v_patient from public.patients where id = p_patient_id;
  if not found or not private.is_clinic_staff(v_patient.clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'patient not found');
  end if;
  select * into v_clinic from public.clinics where id = v_patient.clinic_id;
  select * into v_member from public.clinic_members m where m.clinic_id = v_patient.clinic_id and m.user_id = auth.uid();
  insert into public.audit_log (clinic_id, kind, patient_id, actor_id, actor_name, actor_role, client_ip, user_agent)
  values (v_patient.clinic_id, 'record_read', v_patient.id, auth.uid(), v_member.display_name, v_member.role,
          private.audit_origin_ip(), private.audit_user_agent());
  return jsonb_build_object(
    'patient', jsonb_build_object('id', v_patient.id, 'full_name', v_patient.full_name, 'phone', v_patient.phone,
                                  'preferred_language', v_patient.preferred_language,
                                  'sms_opt_out', v_patient.sms_opt_out, 'created_at', v_patient.created_at,
                                  'email', v_patient.email,
                                  'email_bounced_at', case when v_patient.email is not null
                                                           then v_patient.email_bounced_at end),
    'visits', coalesce((
      select jsonb_agg(v.o order by v.day desc, v.ticket_number desc)
      from (
        select q.day, e.ticket_number, jsonb_build_object(
                 'day', q.day, 'ticket', private.ticket_label(v_clinic.ticket_prefix, e.ticket_number),
                 'kind', e.kind, 'status', e.status, 'appointment_type', t.name,
                 'practitioner', m.display_name, 'slot_start', e.slot_start, 'checked_in_at', e.checked_in_at,
                 'called_at', e.called_at, 'finished_at', e.finished_at) as o
        from public.queue_entries e
        join public.queues q on q.id = e.queue_id
        left join public.appointment_types t on t.id = e.appointment_type_id
        left join public.clinic_members m on m.id = coalesce(e.served_by, e.practitioner_id)
        where e.patient_id = v_patient.id
        order by q.day desc, e.ticket_number desc
        limit 50) v), '[]'::jsonb));
end
$$;
