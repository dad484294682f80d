-- Merge of this session's branches (coordinator): three migrations redefined the event vocabulary side by side.
-- - 20261203100002 (trust5): the database's own events go through private.log_event, which refuses an unknown
--   type or a payload outside private.queue_event_payload_schema(); GraceExpired.automatic?,
--   PatientCheckedIn.by? and the four pause (control) events joined the schema.
-- - 20261203400001 (morning5): "running late" carries its amount ({minutes, source}) and can be withdrawn
--   (PatientRunningLateWithdrawn) — neither in the schema, so log_event refused both; its source said 'link'
--   where the domain's RunningLateSource (and 20261203100002) say 'tracking_link'.
-- - 20261203500001 (features5): StepUndone joined the schema, re-created from the version before
--   20261203100002 — it dropped trust5's additions (the later file wins).
-- This one schema keeps all of them; PatientRunningLateWithdrawn is a control event (written only by the
-- database's withdraw_running_late, never by a step), listed beside the pause events in SQL and TS.
create or replace function private.queue_event_payload_schema() returns jsonb
language sql immutable
set search_path = ''
as $$
  select '{
    "DayEnded": {"summary": ["object"], "automatic": ["boolean"], "completedEntryIds": ["array"], "noShowEntryIds": ["array"]},
    "EmergencyInserted": {"ticket": ["string"], "practitionerId": ["string", "null"], "reason": ["string"]},
    "EntryCancelled": {"ticket": ["string"], "fromStatus": ["string"], "reason": ["string", "null"], "by?": ["string"], "via?": ["string"]},
    "EntryMoved": {"ticket": ["string"], "fromPosition": ["number"], "toPosition": ["number"], "fromPractitionerId": ["string", "null"], "toPractitionerId": ["string", "null"], "reason": ["string"], "transfer?": ["boolean"]},
    "EntryScheduled": {"ticket": ["string"], "appointmentId": ["string", "null"], "slotAt": ["string", "null"], "practitionerId": ["string", "null"]},
    "GraceExpired": {"ticket": ["string"], "graceEndsAt": ["string"], "automatic?": ["boolean"]},
    "LatePatientHeld": {"ticket": ["string"], "turnCameAt": ["string"], "holdUntil": ["string"], "calledEntryId": ["string"]},
    "NoShowReactivated": {"ticket": ["string"], "freshArrival": ["boolean"], "previousNoShowAt": ["string", "null"], "position": ["number"]},
    "PatientCalled": {"ticket": ["string"], "room": ["string", "null"], "practitionerId": ["string", "null"], "outOfOrder": ["boolean"], "reason": ["string", "null"]},
    "PatientCheckedIn": {"ticket": ["string"], "onTime": ["boolean"], "orderKey": ["number"], "position": ["number"], "by?": ["string"]},
    "PatientMarkedAbsent": {"ticket": ["string"], "fromStatus": ["string"], "graceMinutes": ["number"], "graceEndsAt": ["string"], "room": ["string", "null"]},
    "PatientOvertaken": {"ticket": ["string"], "skipCount": ["number"], "overtakenByEntryId": ["string"], "position": ["number"], "reason": ["string"]},
    "PatientPassedOver": {"ticket": ["string"], "skipCount": ["number"], "calledEntryId": ["string"], "lateHoldOver": ["boolean"]},
    "PatientReturned": {"ticket": ["string"], "policy": ["string"], "offset": ["number"], "position": ["number"]},
    "PatientRunningLate": {"ticket": ["string"], "source": ["string"], "minutes?": ["number", "null"]},
    "PatientRunningLateWithdrawn": {"ticket": ["string"], "source": ["string"]},
    "PriorityChanged": {"ticket": ["string"], "from": ["string"], "to": ["string"], "reason": ["string"]},
    "ServiceFinished": {"ticket": ["string"], "practitionerId": ["string", "null"], "fromStatus": ["string"], "serviceMinutes": ["number", "null"], "automatic": ["string", "null"]},
    "ServiceStarted": {"ticket": ["string"], "practitionerId": ["string", "null"], "room": ["string", "null"]},
    "StepUndone": {"ticket": ["string"], "undoes": ["string"], "undoneTypes": ["array"], "fromStatus": ["string"], "toStatus": ["string"], "reason": ["string"]},
    "WalkInAdded": {"ticket": ["string"], "priority": ["string"], "practitionerId": ["string", "null"], "position": ["number"]},
    "DeskPaused": {"practitionerId": ["string"], "reason": ["string", "null"]},
    "DeskResumed": {"practitionerId": ["string"], "reason": ["string", "null"]},
    "IntakeClosed": {"reason": ["string", "null"]},
    "IntakeReopened": {"reason": ["string", "null"]}
  }'::jsonb
$$;

create or replace function private.queue_control_event_types() returns text[]
language sql immutable
set search_path = ''
as $$ select array['DeskPaused', 'DeskResumed', 'IntakeClosed', 'IntakeReopened', 'PatientRunningLateWithdrawn'] $$;

-- running late: the domain's source names (tracking_link), otherwise as 20261203400001
create or replace function public.report_running_late(
  p_entry_id uuid default null, p_tracking_token text default null, p_minutes integer default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  r record;
  v_e public.queue_entries;
begin
  if p_tracking_token is null and not private.is_service() then
    perform private.require_uid();
  end if;
  if p_minutes is not null and (p_minutes < 5 or p_minutes > 180) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_minutes must be between 5 and 180');
  end if;
  select * into r from private.entry_for_actor(
    case when p_tracking_token is null then p_entry_id end, p_tracking_token);
  if (r.e).status not in ('scheduled', 'waiting', 'called') then
    perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'the visit can no longer be late');
  end if;
  update public.queue_entries
     set running_late_at = private.now(), running_late_minutes = p_minutes
   where id = (r.e).id
  returning * into v_e;
  perform private.log_event((r.e).queue_id, (r.e).clinic_id, (r.e).id, 'PatientRunningLate',
    jsonb_build_object('minutes', p_minutes,
                       'source', case when p_tracking_token is not null then 'tracking_link'
                                      when r.is_staff then 'staff' else 'app' end));
  return jsonb_build_object('entry_id', (r.e).id, 'late', true, 'minutes', p_minutes,
                            'note', private.running_late_note(v_e),
                            'queue_version', private.bump_version((r.e).queue_id));
end
$function$;

create or replace function public.withdraw_running_late(p_entry_id uuid default null, p_tracking_token text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  r record;
begin
  if p_tracking_token is null and not private.is_service() then
    perform private.require_uid();
  end if;
  select * into r from private.entry_for_actor(
    case when p_tracking_token is null then p_entry_id end, p_tracking_token);
  if (r.e).running_late_at is null then
    -- nothing to undo: the same answer (a double tap, or a second screen, is not an error)
    return jsonb_build_object('entry_id', (r.e).id, 'late', false, 'queue_version', null);
  end if;
  update public.queue_entries set running_late_at = null, running_late_minutes = null where id = (r.e).id;
  perform private.log_event((r.e).queue_id, (r.e).clinic_id, (r.e).id, 'PatientRunningLateWithdrawn',
    jsonb_build_object('source', case when p_tracking_token is not null then 'tracking_link'
                                      when r.is_staff then 'staff' else 'app' end));
  return jsonb_build_object('entry_id', (r.e).id, 'late', false,
                            'queue_version', private.bump_version((r.e).queue_id));
end
$function$;

