-- Issue 16 (session 14): get_wait_history says of each visit whether it was for ANY practitioner
-- (`any_doctor`: the entry had no practitioner of its own; `practitioner_id` stays who called it). The
-- estimator's backtest replays such visits in the "any" pool, so a walk-in for any doctor gets ranges
-- calibrated on waits like its own (served by whoever is free first: a narrower spread than one doctor's
-- queue; bench:wait showed 69 % of their waits inside a 20–80 % range). Same body as
-- 20261201005001_wait_estimates.sql (its newest and only definition) plus that one field; the grants
-- stay (create or replace keeps them).

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
