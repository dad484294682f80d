-- Issue 17, "Join today's queue remotely", continued (session 9): the owners' form, opening hours, and an
-- arrival window.
--
-- * Opening hours: a remote join is open only while the clinic is open by its working hours: now (the DB
--   clock, private.now()) in the clinic's time zone falls inside one of today's intervals (split days:
--   09:00-13:00 and 15:00-19:00 refuse 13:30). Outside → reason 'outside_hours' for the page, and
--   409 QUEUE.REMOTE_JOIN_OUTSIDE_HOURS for a join. A day with no interval is outside hours all day.
-- * Arrival window: clinics.remote_arrival_minutes (5-240; null = none). A remote join then gets
--   queue_entries.arrive_by = join time + the window, which the tracker shows ("please arrive by 10:30").
--   DOMAIN rule "remote join: arrival window": the patient keeps the place they joined at; if their turn comes
--   and they are not there, the desk marks them absent and the usual grace rule applies (grace_period_minutes,
--   then no_show by the sweep) - no second timer, one rule for everyone who is called and not in the room.
-- * get_remote_join_settings(p_clinic_id) → { remote_join_cap, remote_arrival_minutes } for the clinic's
--   staff (the admin rules tab shows it read-only to non-admins); set_remote_join(p_clinic_id, p_cap,
--   p_arrival_minutes) for owners/admins, both values validated (422 VALIDATION.FAILED), one statement.
-- Redefined from their newest definitions: private.remote_join_state, public.join_queue_remotely
-- (20261206500002) and public.get_visit_live (20261202700002, + 'arrive_by').

alter table public.clinics
  add column remote_arrival_minutes integer
    constraint clinics_remote_arrival_minutes_valid
      check (remote_arrival_minutes is null or remote_arrival_minutes between 5 and 240);
comment on column public.clinics.remote_arrival_minutes is
  'Minutes a remote joiner has to reach the clinic (shown on their tracker); null = no window';

alter table public.queue_entries add column arrive_by timestamptz;
comment on column public.queue_entries.arrive_by is
  'Remote join with an arrival window: the patient is asked to be at the clinic by then';

-- Whether the clinic is open now by its working hours (clinic time zone, DB clock, split days respected).
create function private.clinic_open_now(p_clinic public.clinics) returns boolean
language sql stable
set search_path = ''
as $$
  select exists (
    select 1 from public.working_hours w
     where w.clinic_id = p_clinic.id
       and w.weekday = extract(dow from (private.now() at time zone p_clinic.time_zone))::smallint
       and (private.now() at time zone p_clinic.time_zone)::time >= w.starts_at
       and (private.now() at time zone p_clinic.time_zone)::time < w.ends_at)
$$;
revoke execute on function private.clinic_open_now(public.clinics) from public;

create or replace function private.remote_join_state(p_clinic public.clinics, out reason text, out remaining integer)
language plpgsql stable
set search_path = ''
as $$
declare
  v_day date := private.clinic_today(p_clinic.time_zone);
  v_queue public.queues;
  v_used integer := 0;
begin
  select * into v_queue from public.queues where clinic_id = p_clinic.id and day = v_day;
  if v_queue.id is not null then
    select count(*)::integer into v_used from public.queue_entries e
     where e.queue_id = v_queue.id and e.joined_remotely and e.status <> 'cancelled';
  end if;
  remaining := case when p_clinic.remote_join_cap is null then null
                    else greatest(p_clinic.remote_join_cap - v_used, 0) end;
  reason := case
    when p_clinic.remote_join_cap is null then 'off'
    when exists (select 1 from public.closed_dates d where d.clinic_id = p_clinic.id and d.day = v_day)
      then 'closed_day'
    when v_queue.status = 'closed' then 'day_closed'
    when v_queue.intake_closed_at is not null then 'intake_closed'
    when not private.clinic_open_now(p_clinic) then 'outside_hours'
    when remaining = 0 then 'full'
  end;
end
$$;

-- join_queue_remotely(p_clinic_id, p_full_name?, p_language?) → { entry_id, queue_id, clinic_id, day,
--   ticket_number, ticket, status: 'waiting', tracking_token, queue_version, arrive_by }
create or replace function public.join_queue_remotely(
  p_clinic_id uuid, p_full_name text default null, p_language public.app_language default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_patient_id uuid;
  v_queue public.queues;
  v_entry_id uuid := gen_random_uuid();
  v_token text;
  s record;
  v_position integer;
  v_arrive_by timestamptz;
begin
  perform private.require_uid();
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if p_clinic_id is null or not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if v_clinic.remote_join_cap is null then -- before anything is written (no patient record either)
    perform private.raise_error(409, 'QUEUE.REMOTE_JOIN_OFF', 'the clinic does not take remote joins');
  end if;
  if not private.clinic_open_now(v_clinic) then -- likewise: nothing written outside opening hours
    perform private.raise_error(409, 'QUEUE.REMOTE_JOIN_OUTSIDE_HOURS', 'the clinic is not open now');
  end if;
  v_patient_id := private.caller_patient(p_clinic_id, p_full_name, p_language);
  -- the day's queue, locked: the cap, the ticket and the duplicate rule are judged one join at a time
  v_queue := private.lock_queue(p_clinic_id, private.clinic_today(v_clinic.time_zone));
  v_queue.next_ticket := greatest(v_queue.next_ticket,
    coalesce((select max(x.ticket_number) + 1 from public.queue_entries x where x.queue_id = v_queue.id), 1));
  s := private.remote_join_state(v_clinic);
  case s.reason
    when 'off' then
      perform private.raise_error(409, 'QUEUE.REMOTE_JOIN_OFF', 'the clinic does not take remote joins');
    when 'closed_day' then
      perform private.raise_error(422, 'BOOKING.CLINIC_CLOSED', 'the clinic is closed today');
    when 'day_closed' then
      perform private.raise_error(409, 'QUEUE.CLOSED', 'the day is closed');
    when 'intake_closed' then
      perform private.raise_error(409, 'QUEUE.INTAKE_CLOSED', 'the queue takes no new patients today');
    when 'outside_hours' then
      perform private.raise_error(409, 'QUEUE.REMOTE_JOIN_OUTSIDE_HOURS', 'the clinic is not open now');
    when 'full' then
      perform private.raise_error(409, 'QUEUE.REMOTE_JOIN_FULL', 'no remote places left today');
    else null;
  end case;
  if exists (select 1 from public.queue_entries e
             where e.queue_id = v_queue.id and e.patient_id = v_patient_id
               and e.status not in ('completed', 'cancelled', 'no_show')) then
    perform private.raise_error(409, 'QUEUE.DUPLICATE_ENTRY', 'the patient already has a visit that day');
  end if;

  v_token := private.entry_link_token(v_entry_id);
  v_arrive_by := private.now() + make_interval(mins => v_clinic.remote_arrival_minutes);
  insert into public.queue_entries (
    id, queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key, tracking_token_hash,
    created_by, joined_remotely, arrive_by)
  values (
    v_entry_id, v_queue.id, p_clinic_id, v_patient_id, 'walk_in', 'waiting', v_queue.next_ticket,
    extract(epoch from private.now())::numeric, private.hash_token(v_token), auth.uid(), true, v_arrive_by);
  update public.queues set next_ticket = v_queue.next_ticket + 1 where id = v_queue.id;
  select count(*)::integer into v_position from public.queue_entries e
   where e.queue_id = v_queue.id and e.status = 'waiting';
  perform private.log_event(v_queue.id, p_clinic_id, v_entry_id, 'WalkInAdded',
    jsonb_build_object('ticket', private.ticket_label(v_clinic.ticket_prefix, v_queue.next_ticket),
                       'priority', 'normal', 'practitionerId', null, 'position', v_position));
  return jsonb_build_object(
    'entry_id', v_entry_id,
    'queue_id', v_queue.id,
    'clinic_id', p_clinic_id,
    'day', v_queue.day,
    'ticket_number', v_queue.next_ticket,
    'ticket', private.ticket_label(v_clinic.ticket_prefix, v_queue.next_ticket),
    'status', 'waiting',
    'tracking_token', v_token,
    'arrive_by', v_arrive_by,
    'queue_version', private.bump_version(v_queue.id));
end
$$;

create function public.get_remote_join_settings(p_clinic_id uuid) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
begin
  perform private.require_staff(p_clinic_id);
  select * into v_clinic from public.clinics where id = p_clinic_id;
  return jsonb_build_object('remote_join_cap', v_clinic.remote_join_cap,
                            'remote_arrival_minutes', v_clinic.remote_arrival_minutes);
end
$$;
revoke execute on function public.get_remote_join_settings(uuid) from public, anon;
grant execute on function public.get_remote_join_settings(uuid) to authenticated, service_role;

create function public.set_remote_join(p_clinic_id uuid, p_cap integer, p_arrival_minutes integer)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_admin(p_clinic_id);
  if p_cap is not null and (p_cap < 1 or p_cap > 500) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'remote joins per day: 1 to 500, or none');
  end if;
  if p_arrival_minutes is not null and (p_arrival_minutes < 5 or p_arrival_minutes > 240) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'arrival window: 5 to 240 minutes, or none');
  end if;
  update public.clinics set remote_join_cap = p_cap, remote_arrival_minutes = p_arrival_minutes
   where id = p_clinic_id;
  return jsonb_build_object('remote_join_cap', p_cap, 'remote_arrival_minutes', p_arrival_minutes);
end
$$;
revoke execute on function public.set_remote_join(uuid, integer, integer) from public, anon;
grant execute on function public.set_remote_join(uuid, integer, integer) to authenticated, service_role;

-- The tracker's one read (via get_tracker_view) also says by when a remote joiner should be at the clinic.
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
begin
  v := public.get_visit_status(p_tracking_token);
  select * into v_queue from public.queues where id = (v ->> 'queue_id')::uuid;
  select e.practitioner_id, e.arrive_by into v_practitioner, v_arrive_by
    from public.queue_entries e where e.id = (v ->> 'entry_id')::uuid;
  return v || jsonb_build_object(
    'estimate', case when v ->> 'status' = 'waiting'
                     then private.entry_estimate_json((v ->> 'entry_id')::uuid) end,
    'accuracy_minutes', private.clinic_accuracy_minutes((v -> 'clinic' ->> 'id')::uuid),
    'desk_paused', coalesce(v_practitioner = any (v_queue.paused_practitioner_ids), false),
    'intake_closed', v_queue.intake_closed_at is not null,
    'arrive_by', case when v ->> 'status' = 'waiting' then v_arrive_by end);
end
$$;
