-- Issue 17 (session 14): My visits answers each visit's day (its queue's local date). A fluid visit has no slot,
-- so the page could neither show when it is nor offer its self check-in on the day (it showed "—" and no
-- button). Newest body: 20261205500001_reschedule.sql, plus 'day'.
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
             'appointment_type_id', e.appointment_type_id, 'day', q.day)
           order by e.slot_start nulls last, e.created_at)
      from public.queue_entries e
      join public.queues q on q.id = e.queue_id
      join public.patients p on p.id = e.patient_id
      join public.clinics c on c.id = e.clinic_id
     where p.user_id = v_uid), '[]'::jsonb);
end
$$;
