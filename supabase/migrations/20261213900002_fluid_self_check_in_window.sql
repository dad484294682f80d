-- A fluid visit's self check-in opens with the clinic's day (review of session 14; rule F5 in
-- docs/fluid-queues.md).
--
-- public.check_in applied the check-in window only to a visit with a slot. A fluid visit (a place in the day's
-- line, no time) could be checked in by the patient from home at 00:01: it became `waiting` with the check-in
-- time as its order key — first in a line ordered by arrival, ahead of everyone physically there — and was then
-- called while away, marked absent, and became a no-show. Now a patient's own check-in of a fluid visit opens
-- `check_in_window_minutes` before the clinic's first opening hour of that day (working_hours, in the clinic's
-- time zone); earlier → 409 QUEUE.CHECK_IN_TOO_EARLY with the same JSON detail as for a slot (opens_at,
-- window_minutes; no slot_start), which the screens already render in the patient's language. The clinic's
-- staff check a fluid patient in whenever they are at the desk (they see them). A day without hours sets no
-- window (the day was bookable when booked; the desk decides). Everything else is the newest body
-- (20261203200001_check_in_window_data.sql).

create or replace function public.check_in(p_entry_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  r record;
  v_clinic public.clinics;
  v_day date;
  v_key numeric;
  v_window integer;
  v_opens timestamptz;
begin
  if not private.is_service() then
    perform private.require_uid();
  end if;
  -- locks the queue row, then reads the entry: queue before entry, like save_queue_step
  select * into r from private.entry_for_actor(p_entry_id, null);
  select * into v_clinic from public.clinics where id = (r.e).clinic_id;
  select day into v_day from public.queues where id = (r.e).queue_id;
  if v_day <> private.clinic_today(v_clinic.time_zone) then
    perform private.raise_error(409, 'QUEUE.NOT_TODAY', 'check-in opens on the day of the visit');
  end if;
  if (r.e).status <> 'scheduled' then
    perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'only a scheduled visit can check in');
  end if;
  v_window := (private.effective_settings(v_clinic.settings) ->> 'check_in_window_minutes')::integer;
  if (r.e).slot_start is not null and (r.e).slot_start > private.now() + make_interval(mins => v_window) then
    perform private.raise_error(409, 'QUEUE.CHECK_IN_TOO_EARLY',
      jsonb_build_object(
        'opens_at', to_char(((r.e).slot_start - make_interval(mins => v_window)) at time zone 'UTC',
                            'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'window_minutes', v_window,
        'slot_start', to_char((r.e).slot_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text);
  end if;
  -- F5: a fluid visit has no slot; the patient's own check-in opens with the clinic's day
  if (r.e).fluid and (r.e).slot_start is null and not r.is_staff then
    select min((v_day + w.starts_at) at time zone v_clinic.time_zone) into v_opens
      from public.working_hours w
     where w.clinic_id = v_clinic.id and w.weekday = extract(dow from v_day);
    if v_opens is not null and v_opens > private.now() + make_interval(mins => v_window) then
      perform private.raise_error(409, 'QUEUE.CHECK_IN_TOO_EARLY',
        jsonb_build_object(
          'opens_at', to_char((v_opens - make_interval(mins => v_window)) at time zone 'UTC',
                              'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'window_minutes', v_window)::text);
    end if;
  end if;
  v_key := case
    when (r.e).slot_start is not null and private.now() <= (r.e).slot_start + make_interval(
           mins => (private.effective_settings(v_clinic.settings) ->> 'on_time_tolerance_minutes')::integer)
      then extract(epoch from (r.e).slot_start)::numeric
    else extract(epoch from private.now())::numeric end;
  update public.queue_entries set status = 'waiting', checked_in_at = private.now(), order_key = v_key
   where id = (r.e).id;
  perform private.log_event((r.e).queue_id, (r.e).clinic_id, (r.e).id, 'PatientCheckedIn',
    jsonb_build_object('by', case when r.is_staff then 'staff' else 'patient' end));
  return jsonb_build_object('entry_id', (r.e).id, 'status', 'waiting', 'order_key', v_key,
                            'queue_version', private.bump_version((r.e).queue_id));
end
$function$;
