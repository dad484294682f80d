-- mend17 (session 17 review): the kiosk's copy of check_in's rules left out F5; one helper now holds them.
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
-- So that the two cannot drift apart again, the rules live in ONE private helper, private.apply_check_in(entry,
-- by): the day (QUEUE.NOT_TODAY), "only a scheduled visit" (answered as null: each caller says it its own way),
-- the slot's window, F5 for everyone but staff, the order key, the update and the PatientCheckedIn event.
-- The callers keep their own locking (queue row, then entry), their answer and the version bump:
--   * public.check_in — body from 20261213900002_fluid_self_check_in_window.sql (its newest); errors, their order
--     and its answer are unchanged (null → 409 QUEUE.ILLEGAL_TRANSITION, as before, after QUEUE.NOT_TODAY).
--   * private.kiosk_check_in_entry — body from 20261216200001 (its only definition); null → the visit as it is.

create function private.apply_check_in(p_entry public.queue_entries, p_by text)
returns numeric
language plpgsql
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_day date;
  v_key numeric;
  v_window integer;
  v_opens timestamptz;
begin
  select * into v_clinic from public.clinics where id = p_entry.clinic_id;
  select day into v_day from public.queues where id = p_entry.queue_id;
  if v_day <> private.clinic_today(v_clinic.time_zone) then
    perform private.raise_error(409, 'QUEUE.NOT_TODAY', 'check-in opens on the day of the visit');
  end if;
  if p_entry.status <> 'scheduled' then
    return null;
  end if;
  v_window := (private.effective_settings(v_clinic.settings) ->> 'check_in_window_minutes')::integer;
  if p_entry.slot_start is not null and p_entry.slot_start > private.now() + make_interval(mins => v_window) then
    perform private.raise_error(409, 'QUEUE.CHECK_IN_TOO_EARLY',
      jsonb_build_object(
        'opens_at', to_char((p_entry.slot_start - make_interval(mins => v_window)) at time zone 'UTC',
                            'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'window_minutes', v_window,
        'slot_start', to_char(p_entry.slot_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text);
  end if;
  -- F5: a fluid visit has no slot; the patient's own check-in (at home or at the kiosk) opens with the clinic's day
  if p_entry.fluid and p_entry.slot_start is null and p_by <> 'staff' then
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
    when p_entry.slot_start is not null and private.now() <= p_entry.slot_start + make_interval(
           mins => (private.effective_settings(v_clinic.settings) ->> 'on_time_tolerance_minutes')::integer)
      then extract(epoch from p_entry.slot_start)::numeric
    else extract(epoch from private.now())::numeric end;
  update public.queue_entries set status = 'waiting', checked_in_at = private.now(), order_key = v_key
   where id = p_entry.id;
  perform private.log_event(p_entry.queue_id, p_entry.clinic_id, p_entry.id, 'PatientCheckedIn',
    jsonb_build_object('by', p_by));
  return v_key;
end
$$;
comment on function private.apply_check_in(public.queue_entries, text) is
  'check_in''s rules for one visit, by staff | patient | kiosk (F5 for all but staff); null: not scheduled. Callers lock queue then entry.';
revoke all on function private.apply_check_in(public.queue_entries, text) from public, anon, authenticated;

create or replace function public.check_in(p_entry_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  r record;
  v_key numeric;
begin
  if not private.is_service() then
    perform private.require_uid();
  end if;
  -- locks the queue row, then reads the entry: queue before entry, like save_queue_step
  select * into r from private.entry_for_actor(p_entry_id, null);
  v_key := private.apply_check_in(r.e, case when r.is_staff then 'staff' else 'patient' end);
  if v_key is null then
    perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'only a scheduled visit can check in');
  end if;
  return jsonb_build_object('entry_id', (r.e).id, 'status', 'waiting', 'order_key', v_key,
                            'queue_version', private.bump_version((r.e).queue_id));
end
$function$;

create or replace function private.kiosk_check_in_entry(p_entry_id uuid) returns public.queue_entries
language plpgsql
set search_path = ''
as $$
declare
  e public.queue_entries;
begin
  perform 1 from public.queues q
   where q.id = (select o.queue_id from public.queue_entries o where o.id = p_entry_id) for update;
  select * into e from public.queue_entries where id = p_entry_id for update;
  if private.apply_check_in(e, 'kiosk') is null then
    return e;
  end if;
  select * into e from public.queue_entries where id = p_entry_id;
  perform private.bump_version(e.queue_id);
  return e;
end
$$;
revoke all on function private.kiosk_check_in_entry(uuid) from public;
