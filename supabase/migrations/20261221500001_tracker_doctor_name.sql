-- Issue 17 (feat21a): the patient's tracker says which doctor the patient will see — the visit's doctor's display
-- name, or null for "any doctor". Only the name: the tracking link is read by anyone holding it (anon), so no id of
-- a staff member, no role and no room other than the one already answered. The doctor is the visit's own
-- (queue_entries.practitioner_id), whether or not they still take bookings (DR2: the visit keeps its doctor).
-- Checked while here: the link's other fields (get_visit_status: entry, clinic, day, ticket, status, kind, priority,
-- times, room, position, queue id/version; get_visit_live: estimate, accuracy, pause, intake, arrive_by,
-- notifications { channel, push }; get_visit_running_late: the note) carry no staff id, name, phone or note.
-- public.get_visit_live (newest: 20261211200003_visit_notification_channel): + doctor_name.

create or replace function public.get_visit_live(p_tracking_token text) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v jsonb;
  v_queue public.queues;
  v_practitioner uuid;
  v_arrive_by timestamptz;
  v_patient public.patients;
  v_channel public.notification_channel;
begin
  v := public.get_visit_status(p_tracking_token);
  select * into v_queue from public.queues where id = (v ->> 'queue_id')::uuid;
  select e.practitioner_id, e.arrive_by into v_practitioner, v_arrive_by
    from public.queue_entries e where e.id = (v ->> 'entry_id')::uuid;
  select p.* into v_patient from public.queue_entries e join public.patients p on p.id = e.patient_id
   where e.id = (v ->> 'entry_id')::uuid;
  if v_patient.id is not null then
    select r.channel into v_channel from private.notification_route(v_patient) r;
  end if;
  return v || jsonb_build_object(
    'estimate', case when v ->> 'status' = 'waiting'
                     then private.entry_estimate_json((v ->> 'entry_id')::uuid) end,
    'accuracy_minutes', private.clinic_accuracy_minutes((v -> 'clinic' ->> 'id')::uuid),
    'desk_paused', coalesce(v_practitioner = any (v_queue.paused_practitioner_ids), false),
    'intake_closed', v_queue.intake_closed_at is not null,
    'arrive_by', case when v ->> 'status' = 'waiting' then v_arrive_by end,
    'notifications', jsonb_build_object(
      'channel', v_channel,
      'push', exists (select 1 from public.push_subscriptions s where s.entry_id = (v ->> 'entry_id')::uuid)),
    -- feat21a: the doctor's name only (null: any doctor)
    'doctor_name', (select m.display_name from public.clinic_members m
                     where m.id = v_practitioner and m.clinic_id = (v -> 'clinic' ->> 'id')::uuid));
end
$$;
