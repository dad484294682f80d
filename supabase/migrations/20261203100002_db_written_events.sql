-- Events the database writes itself obey the one payload schema (issue 11).
--
-- verify_step holds every event a browser sends to private.queue_event_payload_schema(); the events the
-- database logs on its own did not: expire_grace wrote GraceExpired {graceEndsAt, automatic} (no ticket),
-- report_running_late wrote PatientRunningLate {}, check_in wrote PatientCheckedIn {by}. Now:
--   * private.log_event — the one door of the database's own queue events — completes what the row tells
--     (the ticket of an entry event; PatientCheckedIn's onTime / orderKey (ms) / position, as the domain's
--     checkIn records them) and REFUSES an event whose type is not in the vocabulary (QUEUE.EVENT_MISMATCH)
--     or whose payload breaks the schema (QUEUE.EVENT_PAYLOAD_INVALID) — the codes verify_step gives a
--     browser's step; here it is a bug in a database function, so that function fails its own tests instead
--     of writing a false audit line (the whole call is rolled back);
--   * expire_grace writes {ticket, graceEndsAt, automatic: true}; report_running_late {ticket, source};
--   * the schema gains two optional keys the database writes (GraceExpired.automatic, PatientCheckedIn.by —
--     also optional fields of the TS payloads) and the four control events of the pause RPCs.
-- Control events (DeskPaused, DeskResumed, IntakeClosed, IntakeReopened) are a separate list,
-- private.queue_control_event_types() (TS: QUEUE_CONTROL_EVENT_TYPES): they describe the queue, not an
-- entry, are written only by set_desk_paused / set_queue_intake, and never come through a step, so
-- queue_event_types() — what verify_step accepts from a browser — does not contain them. Their payloads
-- are in the same schema. supabase/tests/dbEvents.test.ts drives every database path that logs an event and
-- validates what it stored, and checks that every event type a function body names is in one of the lists.

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
    "PatientRunningLate": {"ticket": ["string"], "source": ["string"]},
    "PriorityChanged": {"ticket": ["string"], "from": ["string"], "to": ["string"], "reason": ["string"]},
    "ServiceFinished": {"ticket": ["string"], "practitionerId": ["string", "null"], "fromStatus": ["string"], "serviceMinutes": ["number", "null"], "automatic": ["string", "null"]},
    "ServiceStarted": {"ticket": ["string"], "practitionerId": ["string", "null"], "room": ["string", "null"]},
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
as $$ select array['DeskPaused', 'DeskResumed', 'IntakeClosed', 'IntakeReopened'] $$;
revoke all on function private.queue_control_event_types() from public;
grant execute on function private.queue_control_event_types() to anon, authenticated, service_role;

create or replace function private.log_event(
  p_queue_id uuid, p_clinic_id uuid, p_entry_id uuid, p_type text, p_payload jsonb default '{}'::jsonb)
returns bigint
language plpgsql
set search_path = ''
as $$
declare
  v_payload jsonb := coalesce(p_payload, '{}'::jsonb);
  e public.queue_entries;
  v_prefix text;
  v_problem text;
  v_id bigint;
begin
  if p_entry_id is not null then
    select * into e from public.queue_entries where id = p_entry_id;
    select c.ticket_prefix into v_prefix from public.clinics c where c.id = e.clinic_id;
    if found and not v_payload ? 'ticket' then
      v_payload := v_payload || jsonb_build_object('ticket', private.ticket_label(v_prefix, e.ticket_number));
    end if;
    if found and p_type = 'PatientCheckedIn' then
      -- as QueueAggregate.checkIn: on time = kept its slot time as order key; the key in ms; the position
      -- in its pool (QueueOrder: priority, key, tiebreak, ticket, id) among the waiting entries
      v_payload := jsonb_build_object(
          'onTime', e.slot_start is not null and e.order_key = extract(epoch from e.slot_start)::numeric,
          'orderKey', e.order_key * 1000,
          'position', 1 + (
            select count(*) from public.queue_entries a
             where a.queue_id = e.queue_id and a.status = 'waiting' and a.id <> e.id
               and a.practitioner_id is not distinct from e.practitioner_id
               and (array_position(array['emergency', 'urgent', 'normal'], a.priority::text),
                    a.order_key, coalesce(a.order_tiebreak, a.ticket_number), a.ticket_number, a.id)
                 < (array_position(array['emergency', 'urgent', 'normal'], e.priority::text),
                    e.order_key, coalesce(e.order_tiebreak, e.ticket_number), e.ticket_number, e.id)))
        || v_payload;
    end if;
  end if;
  if not (p_type = any (private.queue_event_types()) or p_type = any (private.queue_control_event_types())) then
    perform private.raise_error(422, 'QUEUE.EVENT_MISMATCH', format('unknown event type %s', p_type));
  end if;
  v_problem := private.queue_event_payload_problem(p_type, v_payload);
  if v_problem is not null then
    perform private.raise_error(422, 'QUEUE.EVENT_PAYLOAD_INVALID', format('%s: %s', p_type, v_problem));
  end if;
  insert into public.queue_events (queue_id, clinic_id, entry_id, type, payload, actor_id)
  values (p_queue_id, p_clinic_id, p_entry_id, p_type, v_payload, auth.uid())
  returning id into v_id;
  return v_id;
end
$$;

-- the grace sweep's no-show: the domain's GraceExpired {ticket, graceEndsAt}, automatic (the server did it)
create or replace function private.expire_grace(p_queue_id uuid) returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_count integer := 0;
  r record;
begin
  for r in
    update public.queue_entries
       set status = 'no_show', no_show_at = grace_ends_at
     where queue_id = p_queue_id and status = 'absent' and grace_ends_at <= private.now()
    returning id, clinic_id, ticket_number, grace_ends_at
  loop
    -- the domain's event (GraceExpiredEvent) and no_show_at = the end of grace, as QueueAggregate does
    perform private.log_event(p_queue_id, r.clinic_id, r.id, 'GraceExpired',
      jsonb_build_object('graceEndsAt', to_char(r.grace_ends_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                         'automatic', true));
    v_count := v_count + 1;
  end loop;
  if v_count > 0 then
    perform private.bump_version(p_queue_id);
  end if;
  return v_count;
end
$$;

-- "I'm running late" (tracking link, the patient's app, staff): PatientRunningLate {ticket, source} as the
-- domain's runningLate records it (RUNNING_LATE_SOURCES); it wrote {} before. Otherwise unchanged
-- (newest: 20261202100001_private_now_everywhere.sql).
create or replace function public.report_running_late(p_entry_id uuid DEFAULT NULL::uuid, p_tracking_token text DEFAULT NULL::text)
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
  if (r.e).status not in ('scheduled', 'waiting', 'called') then
    perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'the visit can no longer be late');
  end if;
  update public.queue_entries set running_late_at = private.now() where id = (r.e).id;
  perform private.log_event((r.e).queue_id, (r.e).clinic_id, (r.e).id, 'PatientRunningLate',
    jsonb_build_object('source', case when p_tracking_token is not null then 'tracking_link'
                                      when r.is_staff then 'staff' else 'app' end));
  return jsonb_build_object('entry_id', (r.e).id, 'late', true,
                            'queue_version', private.bump_version((r.e).queue_id));
end
$function$;

