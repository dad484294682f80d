-- Issue 20: the visit status a tracking link reads (the tracker, REST GET /v1/visits/{token}, MCP visit_status)
-- says how the clinic will reach the patient about this visit — read-only, no address:
--   notifications: { channel: sms | email | whatsapp | null (the server's route: the patient's choice, the
--                    clinic's default, then SMS, then email; null: none reaches them), push: true when a browser
--                    opted in on this visit's tracker ("near" and "called" go by web push first) }
-- The preference itself stays the patient's own (set_my_notification_preferences, My visits); the API exposes no
-- preferences, so this is the read-only view the issue asked for.
-- public.get_visit_live (newest: 20261207300001): + notifications.

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
      'push', exists (select 1 from public.push_subscriptions s where s.entry_id = (v ->> 'entry_id')::uuid)));
end
$$;
