-- Issue 17: a patient reschedules a booked visit from "My visits" — one RPC, one transaction.
--
-- Identity (decided here, documented in docs/reschedule.md): a visit's day queue, ticket and tracking link
-- are its identity (private.queue_entries_guard refuses to change queue_id, ticket_number or
-- tracking_token_hash; the ticket is unique in its day, the link is derived from the entry id). A moved visit
-- can land on another day, so a reschedule is: the old visit is CANCELLED (reason `rescheduled`,
-- EntryCancelled {by: 'patient', via: 'reschedule'} — a patient's own cancellation owes no SMS) and a NEW
-- visit is booked through private.book (the same rules as an online booking: booking notice, horizon,
-- closed dates, the slot grid of the visit's type, capacity under the queue lock, one open visit per day),
-- with the same appointment type and practitioner. The new visit records where it came from in a typed
-- column, queue_entries.rescheduled_from. So the moved visit has a new ticket of its day and a new tracking
-- link (the old link shows "cancelled"); its booking confirmation is owed again (`booking_confirmed:<new
-- entry>`, rendered with the new link) and its reminder key is new (`appointment_reminder:<new entry>:<slot>`);
-- the old visit owes no reminder any more (cancelled).
--
-- Atomicity: everything runs in this one function. If the new slot cannot be taken (409 BOOKING.SLOT_FULL,
-- 422 BOOKING.TOO_SOON / BEYOND_HORIZON / SLOT_UNAVAILABLE / CLINIC_CLOSED …) the error aborts the whole
-- call and the old visit is still booked — the old slot is released only if the new one is taken.
--
-- Rules (the domain's, src/services/appointment/models/Reschedule.ts, tests named after them):
--   RS1 only a scheduled booked visit with a slot can be moved (else 409 QUEUE.ILLEGAL_TRANSITION);
--   RS2 the patient moves it no later than the clinic's min_cancel_notice_minutes before its CURRENT slot —
--       the cancel rule (else 422 BOOKING.RESCHEDULE_TOO_LATE);
--   RS3 the new slot obeys the booking rules (private.book with the notice enforced);
--   RS4 the new slot differs from the current one (else 422 BOOKING.RESCHEDULE_SAME_SLOT).
-- Who: the visit's own patient only. Another patient and staff of another clinic get 404 (they cannot see
-- the visit), staff of the visit's clinic 403 AUTH.FORBIDDEN (the desk books and cancels for a patient),
-- anon has no grant. Every time is private.now() (through private.book and here).
--
-- Also: get_my_visits returns appointment_type_id (the page asks free slots of the visit's own type).
-- Newest definition: 20261203100005_my_visits_ticket.sql.

alter table public.queue_entries
  add column rescheduled_from uuid references public.queue_entries (id) on delete set null;
comment on column public.queue_entries.rescheduled_from is
  'The cancelled visit this booking replaced when the patient rescheduled it (public.reschedule_appointment)';
create index queue_entries_rescheduled_from_idx on public.queue_entries (rescheduled_from)
  where rescheduled_from is not null;

-- reschedule_appointment(p_entry_id, p_slot_start) → the new booking as book_appointment returns it
--   ({ entry_id, queue_id, clinic_id, patient_id, day, ticket_number, ticket, slot_start, slot_end, status,
--   tracking_token, queue_version }) + rescheduled_from (the old entry id).
create function public.reschedule_appointment(p_entry_id uuid, p_slot_start timestamptz)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record;
  v_settings jsonb;
  v_new jsonb;
begin
  perform private.require_uid();
  if p_entry_id is null or p_slot_start is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_entry_id and p_slot_start are required');
  end if;
  -- 404 unless the caller's own visit or staff of its clinic; locks the visit's day queue
  select * into r from private.entry_for_actor(p_entry_id, null);
  if not private.is_own_patient((r.e).patient_id) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only the patient can reschedule their visit');
  end if;
  -- RS1
  if (r.e).status <> 'scheduled' or (r.e).kind <> 'booked' or (r.e).slot_start is null then
    perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'only a scheduled booked visit can be moved');
  end if;
  -- RS2: the cancel rule, on the current slot
  select private.effective_settings(c.settings) into v_settings from public.clinics c where c.id = (r.e).clinic_id;
  if (r.e).slot_start
       < private.now() + make_interval(mins => (v_settings ->> 'min_cancel_notice_minutes')::integer) then
    perform private.raise_error(422, 'BOOKING.RESCHEDULE_TOO_LATE', 'too late to move the visit; call the clinic');
  end if;
  -- RS4
  if (r.e).slot_start = p_slot_start then
    perform private.raise_error(422, 'BOOKING.RESCHEDULE_SAME_SLOT', 'the visit is already at that time');
  end if;

  -- release the old slot first (a same-day move must not collide with the patient's own visit) …
  update public.queue_entries
     set status = 'cancelled', cancelled_at = private.now(), cancel_reason = 'rescheduled'
   where id = (r.e).id;
  perform private.log_event((r.e).queue_id, (r.e).clinic_id, (r.e).id, 'EntryCancelled',
    jsonb_build_object('fromStatus', (r.e).status, 'reason', 'rescheduled', 'by', 'patient',
                       'via', 'reschedule'));
  perform private.bump_version((r.e).queue_id);
  -- … and take the new one (RS3); any refusal raises and rolls the cancellation back with it
  v_new := private.book((r.e).clinic_id, (r.e).patient_id, p_slot_start, (r.e).appointment_type_id,
                        (r.e).practitioner_id, true);
  update public.queue_entries set rescheduled_from = (r.e).id where id = (v_new ->> 'entry_id')::uuid;
  return v_new || jsonb_build_object('rescheduled_from', (r.e).id);
end
$$;
revoke execute on function public.reschedule_appointment(uuid, timestamptz) from public, anon;
grant execute on function public.reschedule_appointment(uuid, timestamptz) to authenticated, service_role;

create or replace function public.get_my_visits() returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
begin
  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'entry_id', e.id, 'clinic_id', e.clinic_id, 'status', e.status, 'ticket_number', e.ticket_number,
             'ticket', private.ticket_label(c.ticket_prefix, e.ticket_number),
             'slot_start', e.slot_start, 'kind', e.kind, 'tracking_token', private.entry_link(e),
             'appointment_type_id', e.appointment_type_id)
           order by e.slot_start nulls last, e.created_at)
      from public.queue_entries e
      join public.patients p on p.id = e.patient_id
      join public.clinics c on c.id = e.clinic_id
     where p.user_id = v_uid), '[]'::jsonb);
end
$$;
