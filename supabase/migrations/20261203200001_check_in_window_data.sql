-- Issue 12 / issue 15: check_in's "too early" refusal carries its figures as data, not English text.
--
-- QUEUE.CHECK_IN_TOO_EARLY used to say "check-in opens 30 minutes before the slot" in DETAIL, and the screens
-- took the number out of that sentence with a regular expression. Now DETAIL is a JSON object:
--   { "opens_at": "<ISO instant, UTC>", "window_minutes": <integer>, "slot_start": "<ISO instant, UTC>" }
-- which the client's PostgREST error mapper (src/services/shared/repositories/postgrest.ts) reads into the
-- error's details (opensAt, windowMinutes, slotStart), and the screens render in the user's language.
-- Everything else is as in 20261202100001_private_now_everywhere.sql (the newest check_in). The lock order
-- is the one every queue writer follows: the queue row first (private.entry_for_actor), then the entry.

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
