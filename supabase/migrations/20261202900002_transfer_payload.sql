-- A transfer (issue 17) is recorded as EntryMoved with `transfer: true` (EntryMovedPayload.transfer, optional);
-- the payload schema verify_step enforces (issue 11, 20261202100002) was written beside it without that key, so
-- every transfer was refused as QUEUE.EVENT_PAYLOAD_INVALID once both landed. Same list, one optional key more.
-- supabase/tests/eventPayloads.test.ts records a transfer in its scripted day.

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
    "GraceExpired": {"ticket": ["string"], "graceEndsAt": ["string"]},
    "LatePatientHeld": {"ticket": ["string"], "turnCameAt": ["string"], "holdUntil": ["string"], "calledEntryId": ["string"]},
    "NoShowReactivated": {"ticket": ["string"], "freshArrival": ["boolean"], "previousNoShowAt": ["string", "null"], "position": ["number"]},
    "PatientCalled": {"ticket": ["string"], "room": ["string", "null"], "practitionerId": ["string", "null"], "outOfOrder": ["boolean"], "reason": ["string", "null"]},
    "PatientCheckedIn": {"ticket": ["string"], "onTime": ["boolean"], "orderKey": ["number"], "position": ["number"]},
    "PatientMarkedAbsent": {"ticket": ["string"], "fromStatus": ["string"], "graceMinutes": ["number"], "graceEndsAt": ["string"], "room": ["string", "null"]},
    "PatientOvertaken": {"ticket": ["string"], "skipCount": ["number"], "overtakenByEntryId": ["string"], "position": ["number"], "reason": ["string"]},
    "PatientPassedOver": {"ticket": ["string"], "skipCount": ["number"], "calledEntryId": ["string"], "lateHoldOver": ["boolean"]},
    "PatientReturned": {"ticket": ["string"], "policy": ["string"], "offset": ["number"], "position": ["number"]},
    "PatientRunningLate": {"ticket": ["string"], "source": ["string"]},
    "PriorityChanged": {"ticket": ["string"], "from": ["string"], "to": ["string"], "reason": ["string"]},
    "ServiceFinished": {"ticket": ["string"], "practitionerId": ["string", "null"], "fromStatus": ["string"], "serviceMinutes": ["number", "null"], "automatic": ["string", "null"]},
    "ServiceStarted": {"ticket": ["string"], "practitionerId": ["string", "null"], "room": ["string", "null"]},
    "WalkInAdded": {"ticket": ["string"], "priority": ["string"], "practitionerId": ["string", "null"], "position": ["number"]}
  }'::jsonb
$$;
