-- Issue 17: opposite-direction reschedules could deadlock.
--
-- reschedule_appointment (20261205500001) locked the visit's own day queue first (private.entry_for_actor)
-- and then the new slot's day queue (private.lock_queue inside private.book). Two patients moving at the
-- same moment in opposite directions (A: Monday → Tuesday, B: Tuesday → Monday, e.g. each to the other's
-- slot) took the two queue rows in opposite orders: A held Monday and waited for Tuesday, B held Tuesday and
-- waited for Monday, and Postgres killed one with an uncoded 40P01 deadlock_detected.
--
-- Now the two day queues are locked in ONE canonical order before anything else: the earlier day first (both
-- queues are the same clinic's, so the day orders them totally; a same-day move locks one queue). Every other
-- writer locks a single day queue (then its entries), so no cycle can form. The pre-lock is taken only for the
-- visit's own patient (others go on to entry_for_actor's 404/403 without locking anything of the clinic).
--
-- If Postgres still reports a deadlock, a serialization failure or a lock timeout (a writer added later that
-- breaks the order, a lock_timeout set by the platform), the whole call is rolled back and answered with the
-- coded, retryable 409 CONCURRENCY.RETRY (translated in the app; the reschedule service retries it) — never a
-- raw SQLSTATE. The body runs in a block whose handler catches only those three conditions: every coded
-- refusal (PTxyz) passes through unchanged, and the block's rollback releases every lock the call took.
--
-- Everything else is as in 20261205500001 (RS1–RS4, one transaction, rescheduled_from, private.now()).

create or replace function public.reschedule_appointment(p_entry_id uuid, p_slot_start timestamptz)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record;
  v_settings jsonb;
  v_new jsonb;
  v_clinic uuid;
  v_patient uuid;
  v_tz text;
  v_old_day date;
  v_new_day date;
begin
  perform private.require_uid();
  if p_entry_id is null or p_slot_start is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_entry_id and p_slot_start are required');
  end if;
  begin
    -- canonical lock order: both day queues, the earlier day first (a visit's queue and clinic never change:
    -- private.queue_entries_guard, so this unlocked read is stable)
    select e.clinic_id, e.patient_id, q.day, c.time_zone
      into v_clinic, v_patient, v_old_day, v_tz
      from public.queue_entries e
      join public.queues q on q.id = e.queue_id
      join public.clinics c on c.id = e.clinic_id
     where e.id = p_entry_id;
    if v_clinic is not null and private.is_own_patient(v_patient) then
      v_new_day := (p_slot_start at time zone v_tz)::date;
      perform private.lock_queue(v_clinic, least(v_old_day, v_new_day));
      if v_new_day <> v_old_day then
        perform private.lock_queue(v_clinic, greatest(v_old_day, v_new_day));
      end if;
    end if;

    -- 404 unless the caller's own visit or staff of its clinic; (re)locks the visit's day queue
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
  exception
    when deadlock_detected or serialization_failure or lock_not_available then
      perform private.raise_error(409, 'CONCURRENCY.RETRY',
        'another change to these days happened at the same moment; try again');
  end;
  return v_new || jsonb_build_object('rescheduled_from', (r.e).id);
end
$$;
revoke execute on function public.reschedule_appointment(uuid, timestamptz) from public, anon;
grant execute on function public.reschedule_appointment(uuid, timestamptz) to authenticated, service_role;
