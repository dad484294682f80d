-- A slotted visit's N-minutes reminder is not sent for a date the clinic does not open (issue 17, session 16).
--
-- mend15b (20261213900005) stopped the fluid day-before reminder for a day the clinic closed after the place was
-- taken; the slotted "your visit in N minutes" had the same gap: a clinic that closed date D (a closed date, or
-- no more hours on that weekday) after visits were booked still reminded each of them N minutes before their
-- slot. Now such a visit owes no appointment reminder (the desk contacts those patients; the visits are
-- unchanged). reminder_outbox from its newest body (20261213900005) + that condition on the slotted part.

create or replace function public.reminder_outbox(p_limit integer default 50)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.now();
  v_limit integer := least(greatest(coalesce(p_limit, 50), 1), 500);
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  return coalesce((
    select jsonb_agg(x.item order by x.slot_start, x.id)
      from (
        select e.id, e.slot_start,
               private.outbox_item('appointment_reminder', private.reminder_key(e.id, e.slot_start), null, e, p, c,
                 jsonb_build_object(
                   'appointment_time', to_char(e.slot_start at time zone c.time_zone, 'DD/MM HH24:MI'))) as item
          from public.queue_entries e
          join public.clinics c on c.id = e.clinic_id
          join public.patients p on p.id = e.patient_id
         where c.reminder_minutes_before is not null
           and e.kind = 'booked'
           and e.status in ('scheduled', 'waiting')
           and e.slot_start > v_now
           and e.slot_start <= v_now + make_interval(mins => c.reminder_minutes_before)
           -- a date the clinic closed after the visit was booked, or a weekday it no longer opens: no "your
           -- visit in N minutes" to a closed door (as the fluid reminder below, 20261213900005)
           and not exists (select 1 from public.queues q join public.closed_dates d
                                  on d.clinic_id = q.clinic_id and d.day = q.day
                            where q.id = e.queue_id)
           and exists (select 1 from public.queues q join public.working_hours h
                              on h.clinic_id = q.clinic_id and h.weekday = extract(dow from q.day)
                        where q.id = e.queue_id)
           and not exists (select 1 from public.notifications n
                            where n.clinic_id = e.clinic_id
                              and n.idempotency_key = private.reminder_key(e.id, e.slot_start))
         order by e.slot_start, e.id
         limit v_limit
      ) x), '[]'::jsonb)
    || coalesce((
    select jsonb_agg(y.item order by y.offered_at, y.id)
      from (
        select w.id, w.offered_at,
               private.outbox_item('waitlist_offer', private.waitlist_offer_key(w.id), null, e, p, c,
                 jsonb_build_object(
                   'appointment_time', to_char(w.offered_slot_start at time zone c.time_zone, 'DD/MM HH24:MI'),
                   'offer_expires_at', to_char(w.offer_expires_at at time zone c.time_zone, 'HH24:MI'))) as item
          from public.waitlist_requests w
          join public.queue_entries e on e.id = w.entry_id
          join public.clinics c on c.id = w.clinic_id
          join public.patients p on p.id = e.patient_id
         where w.status = 'offered'
           and w.offer_expires_at > v_now
           and not exists (select 1 from public.notifications n
                            where n.clinic_id = w.clinic_id
                              and n.idempotency_key = private.waitlist_offer_key(w.id))
         order by w.offered_at, w.id
         limit v_limit
      ) y), '[]'::jsonb)
    || coalesce((
    select jsonb_agg(z.item order by z.day, z.id)
      from (
        select e.id, q.day,
               private.outbox_item('fluid_reminder', private.fluid_reminder_key(e.id, q.day), null, e, p, c,
                 jsonb_build_object('appointment_time', to_char(q.day, 'DD/MM'))) as item
          from public.queue_entries e
          join public.queues q on q.id = e.queue_id
          join public.clinics c on c.id = e.clinic_id
          join public.patients p on p.id = e.patient_id
         where c.reminder_minutes_before is not null
           and e.fluid
           and e.kind = 'booked'
           and e.status in ('scheduled', 'waiting')
           -- from the reminder hour the day before the visit's day until that day begins, in the clinic
           and v_now >= ((q.day - 1) + private.fluid_reminder_hour()) at time zone c.time_zone
           and v_now < (q.day + time '00:00') at time zone c.time_zone
           and e.created_at < ((q.day - 1) + private.fluid_reminder_hour()) at time zone c.time_zone
           -- a day the clinic closed after the place was taken, or a weekday it no longer opens: no "come tomorrow"
           and not exists (select 1 from public.closed_dates d where d.clinic_id = c.id and d.day = q.day)
           and exists (select 1 from public.working_hours h
                        where h.clinic_id = c.id and h.weekday = extract(dow from q.day))
           and not exists (select 1 from public.notifications n
                            where n.clinic_id = e.clinic_id
                              and n.idempotency_key = private.fluid_reminder_key(e.id, q.day))
         order by q.day, e.id
         limit v_limit
      ) z), '[]'::jsonb);
end
$$;
revoke all on function public.reminder_outbox(integer) from public, anon, authenticated;
grant execute on function public.reminder_outbox(integer) to service_role;
