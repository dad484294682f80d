-- Issue 17 (feat21a), rule F7 "fluid: a place with a chosen doctor is in that doctor's line" (docs/domain-rules.md):
-- a patient booking a fluid visit type may choose "any doctor" or one doctor who offers the type, as for a slot.
-- private.book_fluid already took the doctor (DR1/DR2: a bookable doctor; the queue_entries triggers: the doctor
-- offers the type — BOOKING.PRACTITIONER_NOT_OFFERED —, is not on leave that day — PRACTITIONER.ON_LEAVE (H2) — and
-- works that weekday — PRACTITIONER.OFF_HOURS (H4)). What was missing is the day list: get_fluid_days offered every
-- day with places, so a patient who chose a doctor was offered the doctor's leave and days off, and refused only
-- after pressing "take a place". It now takes the doctor, as get_free_slots does:
--   get_fluid_days(p_clinic_id, p_from, p_to?, p_appointment_type_id?, p_practitioner_id?)
--   - a named doctor must be a bookable doctor of the clinic (require_clinic_practitioner: else NOT_FOUND, a
--     deactivated one PRACTITIONER.UNAVAILABLE) who offers the type (BOOKING.PRACTITIONER_NOT_OFFERED);
--   - the days the doctor is on leave or does not work (their own hours have no range that weekday) are left out;
--   - places left stay the clinic's day pool (F2): a place with a doctor holds its duration like any fluid place,
--     as a slot booked with a doctor counts in the slot's capacity — no per-doctor count for either mode.
-- The 4-argument function is dropped (a 5-argument one with a default would make PostgREST's call ambiguous);
-- callers by name or by the first four positions are unchanged. Body: 20261211300001_fluid_queues (the newest).

drop function public.get_fluid_days(uuid, date, date, uuid);

create function public.get_fluid_days(p_clinic_id uuid, p_from date, p_to date default null,
  p_appointment_type_id uuid default null, p_practitioner_id uuid default null)
returns jsonb
language plpgsql
stable security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_to date := coalesce(p_to, p_from);
  v_duration integer;
begin
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if p_from is null or v_to < p_from or v_to - p_from > 31 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_from..p_to must span 0-31 days');
  end if;
  v_duration := private.type_duration(p_clinic_id, p_appointment_type_id);
  if private.type_booking_mode(p_clinic_id, p_appointment_type_id) <> 'fluid' then
    return '[]'::jsonb;
  end if;
  if p_practitioner_id is not null then -- F7: a doctor of this clinic who offers the type (as get_free_slots)
    perform private.require_clinic_practitioner(p_clinic_id, p_practitioner_id);
    perform private.require_practitioner_offers_type(p_appointment_type_id, p_practitioner_id);
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object('day', d.day, 'remaining', d.remaining) order by d.day)
    from (select g::date as day, private.fluid_places_left(p_clinic_id, g::date, v_duration) as remaining
            from generate_series(p_from, v_to, interval '1 day') g
           where private.fluid_day_refusal(v_clinic, g::date, true) is null
             -- F7: not a day of the doctor's leave (H2) nor a weekday they do not work (H4)
             and (p_practitioner_id is null
                  or (not private.practitioner_on_leave(p_practitioner_id, g::date)
                      and private.practitioner_works_day(p_practitioner_id, g::date)))) d
    where d.remaining > 0), '[]'::jsonb);
end
$$;
revoke execute on function public.get_fluid_days(uuid, date, date, uuid, uuid) from public;
grant execute on function public.get_fluid_days(uuid, date, date, uuid, uuid) to anon, authenticated, service_role;
