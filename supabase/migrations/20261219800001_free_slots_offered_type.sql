-- Session 19 (lead): get_free_slots for a named doctor who does not offer the visit type is refused with
-- BOOKING.PRACTITIONER_NOT_OFFERED (422), as booking that doctor is (types19's queue_entries trigger) — before, the
-- slot list offered times the booking would then refuse. types19 (20261219400002) added the rule and hours19
-- (20261219500001) the p_practitioner_id argument in parallel; this joins them. Body of 20261219500001's
-- get_free_slots plus one line; "any doctor" (null) is never refused.
create or replace function public.get_free_slots(p_clinic_id uuid, p_from date, p_to date DEFAULT NULL::date,
  p_appointment_type_id uuid DEFAULT NULL::uuid, p_practitioner_id uuid DEFAULT NULL::uuid)
returns jsonb
language plpgsql
stable SECURITY DEFINER
set search_path = ''
as $function$
declare
  v_clinic public.clinics;
  v_s jsonb;
  v_to date := coalesce(p_to, p_from);
  v_today date;
  v_duration integer;
  v_result jsonb;
begin
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if p_from is null or v_to < p_from or v_to - p_from > 31 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_from..p_to must span 0-31 days');
  end if;
  if p_practitioner_id is not null then -- hours19: a named doctor is one of this clinic's (H1)
    perform private.require_clinic_practitioner(p_clinic_id, p_practitioner_id);
    -- session 19: and one who offers the type (types19's rule, as the booking trigger applies it)
    perform private.require_practitioner_offers_type(p_appointment_type_id, p_practitioner_id);
  end if;
  v_s := private.effective_settings(v_clinic.settings);
  v_today := private.clinic_today(v_clinic.time_zone);
  v_duration := private.type_duration(p_clinic_id, p_appointment_type_id);
  if private.type_booking_mode(p_clinic_id, p_appointment_type_id) = 'fluid' then
    return '[]'::jsonb; -- F1: a fluid type has no times (get_fluid_days answers its days)
  end if;
  -- the day's fluid places are judged once per day (a materialized list of the open days), each slot's
  -- bookings once per slot (not once in the answer and again in the filter)
  with days as materialized (
    select d::date as day
      from generate_series(greatest(p_from, v_today),
                           least(v_to, v_today + (v_s ->> 'booking_horizon_days')::integer), interval '1 day') d
     where not private.fluid_day_taken(p_clinic_id, d::date, v_duration)
  )
  select coalesce(jsonb_agg(jsonb_build_object('start', s.slot_start, 'end', s.slot_end,
           'remaining', (v_s ->> 'slot_capacity')::integer - b.n)
           order by s.slot_start), '[]'::jsonb)
    into v_result
    from days
    cross join lateral private.day_slots(p_clinic_id, days.day, v_duration) s
    cross join lateral (select private.booked_overlapping(p_clinic_id, s.slot_start, s.slot_end) as n offset 0) b
   where s.slot_start >= private.now() + make_interval(mins => (v_s ->> 'min_booking_notice_minutes')::integer)
     and b.n < (v_s ->> 'slot_capacity')::integer
     -- hours19 (H2): a named doctor's slots skip their leave and lie in their own hours
     and (p_practitioner_id is null or private.practitioner_available(p_practitioner_id, s.slot_start, s.slot_end));
  return v_result;
end
$function$;

revoke execute on function public.get_free_slots(uuid, date, date, uuid, uuid) from public;
grant execute on function public.get_free_slots(uuid, date, date, uuid, uuid) to anon, authenticated, service_role;
