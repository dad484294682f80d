-- Session 19 (hours19), issue 17 "Per-doctor hours and leave", part 3: the wait estimator sees each doctor's day.
--
-- get_wait_history answered only the clinic's working intervals of the day, so the estimator (QueueService, the
-- dashboard's and the server's) counted every doctor as working the clinic's hours — also a doctor on leave, or
-- one whose own hours end at noon. It now also answers `practitioner_sessions`: member id → that doctor's sessions
-- of the day, for the doctors whose day differs from the clinic's — own hours (H4: that weekday's ranges; none
-- that weekday = []) or on leave that day (H2: []). A doctor not listed works `sessions` (the clinic's), as before;
-- the client counts a doctor listed with no session as not serving today (QueueService.waitEstimates).
--
-- Public function redefined: get_wait_history — body of 20261212400001_wait_history_any_doctor.sql (its latest
-- definition) plus the one new key. `create or replace` keeps its grants.
create or replace function public.get_wait_history(p_clinic_id uuid, p_days integer default 30, p_day date default null)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_day date;
  v_days integer := coalesce(p_days, 30);
begin
  perform private.require_staff(p_clinic_id);
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if v_days < 1 or v_days > 30 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_days must be between 1 and 30');
  end if;
  v_day := coalesce(p_day, private.clinic_today(v_clinic.time_zone));
  if abs(v_day - private.clinic_today(v_clinic.time_zone)) > 366 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_day must be within a year of today');
  end if;

  return jsonb_build_object(
    'time_zone', v_clinic.time_zone,
    'day', v_day,
    'sessions', coalesce((
      select jsonb_agg(jsonb_build_object(
               'start', (v_day + w.starts_at) at time zone v_clinic.time_zone,
               'end', (v_day + w.ends_at) at time zone v_clinic.time_zone) order by w.starts_at)
        from public.working_hours w
       where w.clinic_id = p_clinic_id and w.weekday = extract(dow from v_day)::integer
         and not exists (select 1 from public.closed_dates c where c.clinic_id = p_clinic_id and c.day = v_day)
    ), '[]'::jsonb),
    -- hours19: the doctors whose day is not the clinic's (own hours, or leave); closed dates close everyone's day
    'practitioner_sessions', coalesce((
      select jsonb_object_agg(m.id, case
               when private.practitioner_on_leave(m.id, v_day)
                 or exists (select 1 from public.closed_dates c where c.clinic_id = p_clinic_id and c.day = v_day)
               then '[]'::jsonb
               else coalesce((
                 select jsonb_agg(jsonb_build_object(
                          'start', (v_day + h.starts_at) at time zone v_clinic.time_zone,
                          'end', (v_day + h.ends_at) at time zone v_clinic.time_zone) order by h.starts_at)
                   from public.practitioner_hours h
                  where h.practitioner_id = m.id and h.weekday = extract(dow from v_day)::integer), '[]'::jsonb)
             end)
        from public.clinic_members m
       where m.clinic_id = p_clinic_id
         and (private.practitioner_on_leave(m.id, v_day)
              or exists (select 1 from public.practitioner_hours h where h.practitioner_id = m.id))
    ), '{}'::jsonb),
    'history', coalesce((
      select jsonb_agg(jsonb_build_object(
               'day', q.day,
               'practitioner_id', coalesce(
                 (select (ev.payload ->> 'practitionerId')
                    from public.queue_events ev
                   where ev.entry_id = e.id and ev.type = 'PatientCalled'
                     and ev.payload ->> 'practitionerId' ~ '^[0-9a-f-]{36}$'
                   order by ev.id desc limit 1),
                 e.practitioner_id::text),
               'appointment_type_id', e.appointment_type_id,
               'kind', e.kind,
               'slot_start', e.slot_start,
               'checked_in_at', e.checked_in_at,
               'called_at', e.called_at,
               'finished_at', e.finished_at,
               'no_show', e.status = 'no_show',
               'absences', (select count(*) from public.queue_events ev
                             where ev.entry_id = e.id and ev.type = 'PatientMarkedAbsent'),
               'returned', (select count(*) from public.queue_events ev
                             where ev.entry_id = e.id and ev.type = 'PatientReturned'),
               'any_doctor', e.practitioner_id is null)
             order by q.day, e.called_at nulls last, e.ticket_number)
        from public.queues q
        join public.queue_entries e on e.queue_id = q.id
       where q.clinic_id = p_clinic_id
         and q.day >= v_day - v_days and q.day < v_day
         and (e.status = 'no_show' or (e.status = 'completed' and e.called_at is not null
                                         and e.finished_at is not null))
    ), '[]'::jsonb));
end
$$;
