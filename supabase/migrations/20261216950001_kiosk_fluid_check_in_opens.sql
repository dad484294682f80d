-- mend17 (session 17 review): the kiosk's copy of check_in's rules left out F5.
--
-- kiosk17 (20261216200001_kiosk_devices.sql) copied public.check_in's rules (20261213900002) into
-- private.kiosk_check_in_entry but not F5 "fluid: self check-in opens with the day" (docs/domain-rules.md): a
-- fluid visit (no slot) checked in at the kiosk at any hour and took its place in line by arrival, ahead of every
-- patient whose phone check-in was refused until the window opened. A kiosk check-in is the patient's own (its
-- event says by 'kiosk', no staff member sees the patient, and the kiosk token works wherever it is read), so F5
-- applies: before check_in_window_minutes ahead of the clinic's first opening hour that day the kiosk answers
-- 409 QUEUE.CHECK_IN_TOO_EARLY with when it opens, as check_in does for a patient; the desk still checks the
-- patient in at any time.
--
-- Body: private.kiosk_check_in_entry from 20261216200001 (its only definition); only the F5 block is added, the
-- same SQL as check_in's. check_in itself is not redefined (the two copies remain; see docs/security.md).
create or replace function private.kiosk_check_in_entry(p_entry_id uuid) returns public.queue_entries
language plpgsql
set search_path = ''
as $$
declare
  e public.queue_entries;
  v_clinic public.clinics;
  v_day date;
  v_key numeric;
  v_window integer;
  v_opens timestamptz;
begin
  select q.day into v_day from public.queues q
   where q.id = (select o.queue_id from public.queue_entries o where o.id = p_entry_id) for update;
  select * into e from public.queue_entries where id = p_entry_id for update;
  select * into v_clinic from public.clinics where id = e.clinic_id;
  if v_day <> private.clinic_today(v_clinic.time_zone) then
    perform private.raise_error(409, 'QUEUE.NOT_TODAY', 'check-in opens on the day of the visit');
  end if;
  if e.status <> 'scheduled' then
    return e;
  end if;
  v_window := (private.effective_settings(v_clinic.settings) ->> 'check_in_window_minutes')::integer;
  if e.slot_start is not null and e.slot_start > private.now() + make_interval(mins => v_window) then
    perform private.raise_error(409, 'QUEUE.CHECK_IN_TOO_EARLY',
      jsonb_build_object(
        'opens_at', to_char((e.slot_start - make_interval(mins => v_window)) at time zone 'UTC',
                            'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'window_minutes', v_window,
        'slot_start', to_char(e.slot_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text);
  end if;
  -- F5: a fluid visit has no slot; the patient's own check-in (the kiosk's too) opens with the clinic's day
  if e.fluid and e.slot_start is null then
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
    when e.slot_start is not null and private.now() <= e.slot_start + make_interval(
           mins => (private.effective_settings(v_clinic.settings) ->> 'on_time_tolerance_minutes')::integer)
      then extract(epoch from e.slot_start)::numeric
    else extract(epoch from private.now())::numeric end;
  update public.queue_entries set status = 'waiting', checked_in_at = private.now(), order_key = v_key
   where id = e.id
  returning * into e;
  perform private.log_event(e.queue_id, e.clinic_id, e.id, 'PatientCheckedIn', jsonb_build_object('by', 'kiosk'));
  perform private.bump_version(e.queue_id);
  return e;
end
$$;
revoke all on function private.kiosk_check_in_entry(uuid) from public;
