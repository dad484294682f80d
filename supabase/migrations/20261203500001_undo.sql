-- Undo the last step of a desk within 10 seconds (issue 17).
--
-- The undo is an inverse step the browser decides (QueueAggregate.undo, rules U1–U6 in
-- src/services/queue/models/UndoStep.ts) and saves through save_queue_step like any other: each entry it puts
-- back carries a StepUndone event {ticket, undoes (the undone step's correlation id), undoneTypes,
-- fromStatus, toStatus, reason 'undo'}. The database checks (private.verify_undo, called by verify_step):
--   * the step undone exists in this queue, is undoable (a call, an absence, a finish, a move/transfer and
--     their side effects — never an arrival, a check-in, a cancellation, the end of day, an undo), and is
--     the caller's own: 422 QUEUE.UNDO_NOT_UNDOABLE / 409 QUEUE.UNDO_REFUSED;
--   * it is at most 10 seconds old by the database's clock (private.now(), not the browser's):
--     409 QUEUE.UNDO_EXPIRED;
--   * it has not been undone already, and nothing happened to the entry since (no later event on it):
--     409 QUEUE.UNDO_REFUSED / 409 QUEUE.UNDO_ENTRY_CHANGED;
--   * the entry goes back only by an inverse move (called → waiting, absent → waiting|called,
--     completed → in_service|called) or keeps its status, to the status the event names; the skip count may
--     go back down by one; the desk it returns to is free (409 QUEUE.UNDO_DESK_BUSY).
-- Each StepUndone is copied into the audit log (kind 'undo', reason 'undo') with the request's origin.
--
-- Redefined (newest definitions first, named in the issue's report):
--   private.verify_step           from 20261202100002_server_timed_rules.sql (trust5 owns it)
--   private.queue_event_types     from 20261201000200_queue.sql            (+ StepUndone)
--   private.queue_event_payload_schema from 20261202900002_transfer_payload.sql (+ StepUndone)
--   private.queue_entries_guard   from 20261202100001_private_now_everywhere.sql (+ the inverse moves)
--   public.audit_log's kind check (+ 'undo'), from 20261202800002_audit.sql (reports5 owns it)
-- New: private.undo_transition_allowed, private.verify_undo, private.audit_undo_event + its trigger.

create or replace function private.queue_event_types() returns text[]
language sql immutable
set search_path = ''
as $$
  select array['DayEnded', 'EmergencyInserted', 'EntryCancelled', 'EntryMoved', 'EntryScheduled',
               'GraceExpired', 'LatePatientHeld', 'NoShowReactivated', 'PatientCalled', 'PatientCheckedIn',
               'PatientMarkedAbsent', 'PatientOvertaken', 'PatientPassedOver', 'PatientReturned',
               'PatientRunningLate', 'PriorityChanged', 'ServiceFinished', 'ServiceStarted', 'StepUndone',
               'WalkInAdded']
$$;

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
    "StepUndone": {"ticket": ["string"], "undoes": ["string"], "undoneTypes": ["array"], "fromStatus": ["string"], "toStatus": ["string"], "reason": ["string"]},
    "WalkInAdded": {"ticket": ["string"], "priority": ["string"], "practitionerId": ["string", "null"], "position": ["number"]}
  }'::jsonb
$$;


-- The inverse moves an undo may make (the reverse of call, absence, finish); no move at all is allowed too
-- (an undone move/transfer or pass-over keeps the status).
create or replace function private.undo_transition_allowed(p_from text, p_to text) returns boolean
language sql immutable
set search_path = ''
as $$
  select p_from = p_to or (p_from, p_to) in (
    ('called', 'waiting'), ('absent', 'waiting'), ('absent', 'called'),
    ('completed', 'in_service'), ('completed', 'called'))
$$;

-- One StepUndone event of a step being saved (its row is already in queue_events): the step it undoes.
create or replace function private.verify_undo(p_queue_id uuid, p_event jsonb) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_undoes uuid;
  v_entry uuid := (p_event ->> 'entry_id')::uuid;
  v_own uuid := (p_event ->> 'correlation_id')::uuid;
  v_last bigint;
  v_at timestamptz;
  v_types text[];
begin
  if coalesce(p_event -> 'payload' ->> 'reason', '') <> 'undo' then
    perform private.raise_error(422, 'QUEUE.REASON_REQUIRED', 'an undo is recorded with the reason undo');
  end if;
  begin
    v_undoes := (p_event -> 'payload' ->> 'undoes')::uuid;
  exception when invalid_text_representation then
    v_undoes := null;
  end;
  if v_undoes is null or v_undoes is not distinct from v_own then
    perform private.raise_error(422, 'QUEUE.UNDO_NOT_UNDOABLE', 'an undo names the step it undoes');
  end if;
  select max(ev.id), max(ev.occurred_at), array_agg(distinct ev.type)
    into v_last, v_at, v_types
    from public.queue_events ev
   where ev.queue_id = p_queue_id and ev.correlation_id = v_undoes;
  if v_last is null then
    perform private.raise_error(422, 'QUEUE.UNDO_NOT_UNDOABLE', 'no such step in this queue');
  end if;
  if not (v_types && array['PatientCalled', 'PatientMarkedAbsent', 'ServiceFinished', 'EntryMoved'])
     or not (v_types <@ array['PatientCalled', 'PatientMarkedAbsent', 'ServiceFinished', 'EntryMoved',
                             'PatientPassedOver', 'PatientOvertaken', 'LatePatientHeld', 'GraceExpired']) then
    perform private.raise_error(422, 'QUEUE.UNDO_NOT_UNDOABLE', 'only a call, an absence, a finish or a move can be undone');
  end if;
  if not exists (select 1 from public.queue_events ev
                  where ev.queue_id = p_queue_id and ev.correlation_id = v_undoes and ev.entry_id = v_entry
                    and ev.type <> 'GraceExpired') then
    perform private.raise_error(422, 'QUEUE.UNDO_NOT_UNDOABLE', 'the step did not change this entry');
  end if;
  if exists (select 1 from public.queue_events ev
              where ev.queue_id = p_queue_id and ev.correlation_id = v_undoes
                and ev.actor_id is distinct from auth.uid()) then
    perform private.raise_error(409, 'QUEUE.UNDO_REFUSED', 'only the desk that made a step can undo it');
  end if;
  -- the window, by the database's clock
  if v_at < private.now() - interval '10 seconds' then
    perform private.raise_error(409, 'QUEUE.UNDO_EXPIRED', 'only the last 10 seconds can be undone');
  end if;
  if exists (select 1 from public.queue_events ev
              where ev.queue_id = p_queue_id and ev.type = 'StepUndone'
                and ev.correlation_id is distinct from v_own and ev.payload ->> 'undoes' = v_undoes::text) then
    perform private.raise_error(409, 'QUEUE.UNDO_REFUSED', 'this step was undone already');
  end if;
  -- the queue moved on for this entry: any later event on it (other than this undo's own)
  if exists (select 1 from public.queue_events ev
              where ev.queue_id = p_queue_id and ev.entry_id = v_entry and ev.id > v_last
                and ev.correlation_id is distinct from v_own) then
    perform private.raise_error(409, 'QUEUE.UNDO_ENTRY_CHANGED', 'the entry changed since the step');
  end if;
end
$$;
revoke all on function private.undo_transition_allowed(text, text) from public;
revoke all on function private.verify_undo(uuid, jsonb) from public;
grant execute on function private.undo_transition_allowed(text, text) to authenticated, service_role;
grant execute on function private.verify_undo(uuid, jsonb) to authenticated, service_role;

-- verify_step: its newest definition (20261202100002_server_timed_rules.sql) + StepUndone.
create or replace function private.verify_step(
  p_queue_id uuid, p_before jsonb, p_entries jsonb, p_events jsonb, p_queue jsonb)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_settings jsonb;
  v_ids uuid[];
  v_day_end boolean;
  ev jsonb;
  r public.queue_entries;
  o jsonb;
  v_types text[];
  t text;
  v_from text;
  v_ok boolean;
  v_caller text;
  v_key text;
  v_sim text;
  v_problem text;
begin
  select private.effective_settings(c.settings) into v_settings
    from public.queues q join public.clinics c on c.id = q.clinic_id where q.id = p_queue_id;
  select coalesce(array_agg((x ->> 'id')::uuid), '{}') into v_ids from jsonb_array_elements(p_entries) x;
  v_day_end := coalesce(p_queue ->> 'status', '') = 'closed'
    and exists (select 1 from jsonb_array_elements(p_events) x where x ->> 'type' = 'DayEnded');

  -- every event: a known type; entry events only for entries this step changes
  for ev in select * from jsonb_array_elements(p_events) loop
    if not (ev ->> 'type' = any (private.queue_event_types())) then
      perform private.raise_error(422, 'QUEUE.EVENT_MISMATCH', format('unknown event type %s', ev ->> 'type'));
    end if;
    if ev ->> 'entry_id' is null then
      if ev ->> 'type' <> 'DayEnded' or not v_day_end then
        perform private.raise_error(422, 'QUEUE.EVENT_MISMATCH',
          format('%s needs an entry (DayEnded only with the day closing)', ev ->> 'type'));
      end if;
    elsif not ((ev ->> 'entry_id')::uuid = any (v_ids)) then
      perform private.raise_error(422, 'QUEUE.EVENT_MISMATCH',
        format('%s for an entry the step does not change', ev ->> 'type'));
    end if;
    if jsonb_typeof(coalesce(ev -> 'payload', '{}'::jsonb)) <> 'object' then
      perform private.raise_error(422, 'QUEUE.EVENT_MISMATCH', 'an event payload is an object');
    end if;
    -- the payload's keys and their JSON types, per event type (private.queue_event_payload_schema)
    v_problem := private.queue_event_payload_problem(ev ->> 'type', coalesce(ev -> 'payload', '{}'::jsonb));
    if v_problem is not null then
      perform private.raise_error(422, 'QUEUE.EVENT_PAYLOAD_INVALID', format('%s: %s', ev ->> 'type', v_problem));
    end if;
    if ev ->> 'type' = 'PatientCalled' and coalesce(ev -> 'payload' ->> 'outOfOrder', 'false') = 'true'
       and coalesce(btrim(ev -> 'payload' ->> 'reason'), '') = '' then
      perform private.raise_error(422, 'QUEUE.REASON_REQUIRED', 'a call out of order needs a reason');
    end if;
    if ev ->> 'type' = 'StepUndone' then
      perform private.verify_undo(p_queue_id, ev);
    end if;
    if ev ->> 'type' in ('EmergencyInserted', 'EntryMoved', 'PriorityChanged')
       and coalesce(btrim(ev -> 'payload' ->> 'reason'), '') = '' then
      perform private.raise_error(422, 'QUEUE.REASON_REQUIRED', format('%s needs a reason', ev ->> 'type'));
    end if;
  end loop;

  for r in select * from public.queue_entries e where e.id = any (v_ids) loop
    o := p_before -> r.id::text;
    select coalesce(array_agg(x ->> 'type'), '{}') into v_types
      from jsonb_array_elements(p_events) x where x ->> 'entry_id' = r.id::text;
    v_from := o ->> 'status';

    -- replay the entry's events in order from its old status (an arrival event first for a new entry):
    -- each must be possible where it happens, and they must end at the row's new status
    v_sim := v_from;
    foreach t in array v_types loop
      v_ok := case
        when t in ('WalkInAdded', 'EmergencyInserted', 'EntryScheduled') then
          o is null and v_sim is null
          and (t <> 'WalkInAdded' or r.kind = 'walk_in')
          and (t <> 'EmergencyInserted' or (r.kind = 'walk_in' and r.priority = 'emergency'))
          and (t <> 'EntryScheduled' or r.kind = 'booked')
        when v_sim is null then false
        when t = 'PatientCheckedIn' then v_sim = 'scheduled'
        when t = 'PatientCalled' then v_sim = 'waiting'
        when t = 'ServiceStarted' then v_sim = 'called'
        when t = 'ServiceFinished' then v_sim in ('called', 'in_service')
        when t = 'PatientMarkedAbsent' then v_sim in ('waiting', 'called')
        when t = 'PatientReturned' then v_sim = 'absent'
        when t = 'GraceExpired' then v_sim = 'absent'
        when t = 'EntryCancelled' then v_sim not in ('completed', 'cancelled', 'no_show')
        when t = 'NoShowReactivated' then v_sim = 'no_show'
        when t in ('PatientPassedOver', 'PatientOvertaken') then
          o is not null and r.skip_count = (o ->> 'skip_count')::integer + 1
        when t = 'PriorityChanged' then o is not null and r.priority::text <> o ->> 'priority'
        when t = 'EntryMoved' then o is not null and (r.order_key <> (o ->> 'order_key')::numeric
                                                      or r.order_tiebreak is distinct from (o ->> 'order_tiebreak')::numeric
                                                      or r.practitioner_id::text is distinct from o ->> 'practitioner_id')
        when t = 'PatientRunningLate' then r.running_late_at is not null
        when t = 'LatePatientHeld' then true
        -- an undo (issue 17) puts the entry back as it was before the step it undoes: only these inverse
        -- moves (or none), and only to the status its payload names; verify_undo checked the rest
        when t = 'StepUndone' then o is not null and r.status::text = (
            select x -> 'payload' ->> 'toStatus' from jsonb_array_elements(p_events) x
             where x ->> 'entry_id' = r.id::text and x ->> 'type' = 'StepUndone' limit 1)
          and private.undo_transition_allowed(v_sim, r.status::text)
        else false end;
      if not coalesce(v_ok, false) then
        perform private.raise_error(422, 'QUEUE.EVENT_MISMATCH',
          format('%s does not match entry %s (%s -> %s)', t, r.id, coalesce(v_from, 'new'), r.status));
      end if;
      v_sim := case t
        when 'WalkInAdded' then 'waiting' when 'EmergencyInserted' then 'waiting'
        when 'EntryScheduled' then 'scheduled' when 'PatientCheckedIn' then 'waiting'
        when 'PatientCalled' then 'called' when 'ServiceStarted' then 'in_service'
        when 'ServiceFinished' then 'completed' when 'PatientMarkedAbsent' then 'absent'
        when 'PatientReturned' then 'waiting' when 'GraceExpired' then 'no_show'
        when 'EntryCancelled' then 'cancelled' when 'NoShowReactivated' then 'waiting'
        when 'StepUndone' then r.status::text
        else v_sim end;
    end loop;
    if v_sim is distinct from r.status::text
       and not (v_day_end and r.status in ('completed', 'no_show') and v_sim is not null) then
      perform private.raise_error(422, 'QUEUE.EVENT_MISMATCH',
        format('entry %s: %s -> %s does not match its events', r.id, coalesce(v_from, 'new'), r.status));
    end if;

    if o is null then
      -- slot capacity for any booked entry, however added
      if r.kind = 'booked' and r.slot_start is not null and r.status not in ('cancelled', 'no_show')
         and private.booked_overlapping(r.clinic_id, r.slot_start,
               coalesce(r.slot_end, r.slot_start + interval '1 minute')) > (v_settings ->> 'slot_capacity')::integer then
        perform private.raise_error(409, 'BOOKING.SLOT_FULL', 'this slot is full');
      end if;
    else
      if r.skip_count <> (o ->> 'skip_count')::integer and not (
           (r.skip_count = (o ->> 'skip_count')::integer + 1
            and v_types && array['PatientPassedOver', 'PatientOvertaken'])
           or (r.skip_count = 0 and v_types && array['PatientCheckedIn', 'NoShowReactivated'])
           or (r.skip_count = (o ->> 'skip_count')::integer - 1 and v_types && array['StepUndone'])) then
        perform private.raise_error(422, 'QUEUE.EVENT_MISMATCH',
          format('skip count of entry %s changed %s -> %s without its event', r.id, o ->> 'skip_count', r.skip_count));
      end if;
      if r.priority::text <> o ->> 'priority' and not (v_types && array['PriorityChanged']) then
        perform private.raise_error(422, 'QUEUE.EVENT_MISMATCH', format('priority of entry %s changed without its event', r.id));
      end if;
      -- check-in window
      if v_from = 'scheduled' and r.status = 'waiting' and r.slot_start is not null
         and r.slot_start > private.now() + make_interval(mins => (v_settings ->> 'check_in_window_minutes')::integer) then
        perform private.raise_error(409, 'QUEUE.CHECK_IN_TOO_EARLY',
          format('check-in opens %s minutes before the slot', v_settings ->> 'check_in_window_minutes'));
      end if;
      -- grace expiry is due by the database's clock, not the browser's: the grace that was running
      -- (before the step) is over by private.now()
      if 'GraceExpired' = any (v_types) and not coalesce((o ->> 'grace_ends_at')::timestamptz <= private.now(), false) then
        perform private.raise_error(422, 'QUEUE.GRACE_MISMATCH',
          format('the grace period of entry %s is not over yet (ends %s)', r.id, coalesce(o ->> 'grace_ends_at', 'never')));
      end if;
    end if;
    -- a grace period that starts in this step lasts grace_period_minutes from the absence (clinic settings)
    if r.status = 'absent' and 'PatientMarkedAbsent' = any (v_types)
       and not coalesce(r.grace_ends_at = r.absent_at + make_interval(mins => (v_settings ->> 'grace_period_minutes')::integer), false) then
      perform private.raise_error(422, 'QUEUE.GRACE_MISMATCH',
        format('the grace period of entry %s is not %s minutes from its absence', r.id, v_settings ->> 'grace_period_minutes'));
    end if;

    if r.status = 'called' and v_from is distinct from 'called' and not ('StepUndone' = any (v_types)) then
      -- no starvation: a non-emergency call while a present entry of the caller's pools reached max_skips
      v_caller := r.served_by::text;
      if r.priority <> 'emergency' and exists (
           select 1 from public.queue_entries s
            where s.queue_id = p_queue_id and s.id <> r.id and s.status = 'waiting'
              and coalesce((p_before -> s.id::text ->> 'skip_count')::integer, s.skip_count)
                  >= (v_settings ->> 'max_skips')::integer
              and (s.practitioner_id is null or s.practitioner_id::text = coalesce(v_caller, r.practitioner_id::text))
              and (v_caller is not null or r.practitioner_id is not null or s.practitioner_id is null)) then
        perform private.raise_error(409, 'QUEUE.SKIP_CAP_REACHED',
          'a patient passed over too often must be called first');
      end if;
    end if;

    if r.status in ('called', 'in_service') and v_from is distinct from r.status::text then
      -- one patient at a time per desk: the practitioner serving, else the room
      v_key := coalesce('p:' || r.served_by::text, 'r:' || coalesce(r.called_room, ''));
      if (select count(*) from public.queue_entries a
           where a.queue_id = p_queue_id and a.status in ('called', 'in_service')
             and coalesce('p:' || a.served_by::text, 'r:' || coalesce(a.called_room, '')) = v_key) > 1 then
        if 'StepUndone' = any (v_types) then
          perform private.raise_error(409, 'QUEUE.UNDO_DESK_BUSY', 'the desk has another patient now');
        end if;
        perform private.raise_error(409, 'QUEUE.PRACTITIONER_BUSY', 'this desk already has a patient');
      end if;
    end if;
  end loop;
end
$$;

-- queue_entries_guard: its newest definition (20261202100001_private_now_everywhere.sql) + inverse moves.
create or replace function private.queue_entries_guard()
returns trigger
language plpgsql
set search_path = ''
as $function$
begin
  if tg_op = 'UPDATE' then
    if new.queue_id <> old.queue_id or new.clinic_id <> old.clinic_id or new.patient_id <> old.patient_id
       or new.kind <> old.kind or new.ticket_number <> old.ticket_number
       or new.tracking_token_hash is distinct from old.tracking_token_hash then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'identity columns of a visit cannot change');
    end if;
    -- the diagram's moves, or the inverse of one by an undo (issue 17): save_queue_step's verify_step lets
    -- an inverse move through only with its StepUndone event, checked by private.verify_undo
    if not (private.entry_transition_allowed(old.status, new.status)
            or private.undo_transition_allowed(old.status::text, new.status::text)) then
      perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION',
        format('%s -> %s is not an allowed move', old.status, new.status));
    end if;
  end if;
  if tg_op = 'INSERT' then
    -- rows added by other paths (booking, patient check-in, seed) tie-break on their ticket, as the domain does
    new.order_tiebreak := coalesce(new.order_tiebreak, new.ticket_number::numeric);
  end if;
  new.updated_at := private.now();
  return new;
end
$function$;

-- ── The audit log records each undo (kind 'undo', reason 'undo') with the request's origin ───────────
alter table public.audit_log drop constraint audit_log_kind_check;
alter table public.audit_log add constraint audit_log_kind_check check (kind in (
  'record_read', 'out_of_order_call', 'priority_change', 'reorder', 'transfer', 'reactivation', 'manual_sms',
  'undo'));

create or replace function private.audit_undo_event() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_member public.clinic_members;
begin
  select * into v_member from public.clinic_members m
  where m.clinic_id = new.clinic_id and m.user_id = new.actor_id;
  insert into public.audit_log (clinic_id, kind, patient_id, entry_id, queue_event_id, actor_id, actor_name,
                                actor_role, reason, client_ip, user_agent, occurred_at)
  select new.clinic_id, 'undo', e.patient_id, new.entry_id, new.id, new.actor_id, v_member.display_name,
         v_member.role, 'undo', private.audit_origin_ip(), private.audit_user_agent(), new.occurred_at
  from (select 1) one left join public.queue_entries e on e.id = new.entry_id;
  return null;
end
$$;
revoke all on function private.audit_undo_event() from public;
create trigger queue_events_audit_undo after insert on public.queue_events
  for each row when (new.type = 'StepUndone') execute function private.audit_undo_event();
