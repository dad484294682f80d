-- Kiosk check-in at the entrance (a tablet signed in as staff): the patient types a ticket code (A-009,
-- a-9) or a phone number; the database finds THAT visit of today's queue and checks it in. Only that one
-- visit comes back — the kiosk used to download every patient phone of the clinic to match in the browser.
--
-- kiosk_check_in(p_clinic_id, p_code) → {found: false} | {found: true, entry_id, ticket, status, position}
--   - a ticket code matches today's entry with that label (any status; a scheduled one is checked in);
--   - a phone (6+ digits) matches the last 9 digits of a patient's phone, for a visit not yet called
--     (scheduled or waiting) of today; a scheduled one is checked in;
--   - position is the domain's (QueueOrder.positions: same pool, in order), null when not waiting.
-- Staff of the clinic only (AUTH.FORBIDDEN otherwise); a code over 40 characters is VALIDATION.FAILED.
create or replace function public.kiosk_check_in(p_clinic_id uuid, p_code text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_queue public.queues;
  v_code text := upper(btrim(coalesce(p_code, '')));
  v_digits text;
  e public.queue_entries;
  v_position integer;
begin
  perform private.require_staff(p_clinic_id);
  if v_code = '' or char_length(v_code) > 40 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a ticket code or a phone number is required');
  end if;
  v_digits := regexp_replace(v_code, '[^0-9]', '', 'g');
  select * into v_clinic from public.clinics where id = p_clinic_id;
  select * into v_queue from public.queues
   where clinic_id = p_clinic_id and day = private.clinic_today(v_clinic.time_zone);
  if not found then
    return jsonb_build_object('found', false);
  end if;

  select * into e from public.queue_entries o
   where o.queue_id = v_queue.id
     and (private.ticket_label(v_clinic.ticket_prefix, o.ticket_number) = v_code
          or (position('-' in v_code) > 0 and v_digits <> '' and char_length(v_digits) <= 6
              and o.ticket_number = v_digits::integer))
   order by o.ticket_number
   limit 1;
  if not found and char_length(v_digits) >= 6 then
    select o.* into e from public.queue_entries o
      join public.patients p on p.id = o.patient_id
     where o.queue_id = v_queue.id and o.status in ('scheduled', 'waiting')
       and p.phone is not null
       and right(regexp_replace(p.phone, '[^0-9]', '', 'g'), 9) = right(v_digits, 9)
     order by o.ticket_number
     limit 1;
  end if;
  if e.id is null then
    return jsonb_build_object('found', false);
  end if;

  if e.status = 'scheduled' then
    perform public.check_in(e.id);
    select * into e from public.queue_entries where id = e.id;
  end if;

  if e.status = 'waiting' then
    with line as (
      select o.id, o.ticket_number,
             array_position(array['emergency', 'urgent', 'normal'], o.priority::text) as rank_priority,
             private.entry_order_key_ms(o.order_key, o.notes) as key_ms,
             private.entry_order_tiebreak(o.ticket_number, o.notes) as tiebreak
        from public.queue_entries o
       where o.queue_id = e.queue_id and o.status = 'waiting'
         and o.practitioner_id is not distinct from e.practitioner_id)
    select 1 + count(*) into v_position
      from line o, line me
     where me.id = e.id and o.id <> e.id
       and (o.rank_priority, o.key_ms, o.tiebreak, o.ticket_number, o.id)
         < (me.rank_priority, me.key_ms, me.tiebreak, me.ticket_number, me.id);
  end if;
  return jsonb_build_object(
    'found', true,
    'entry_id', e.id,
    'ticket', private.ticket_label(v_clinic.ticket_prefix, e.ticket_number),
    'status', e.status,
    'position', v_position);
end
$$;

revoke execute on function public.kiosk_check_in(uuid, text) from public, anon;
grant execute on function public.kiosk_check_in(uuid, text) to authenticated, service_role;
