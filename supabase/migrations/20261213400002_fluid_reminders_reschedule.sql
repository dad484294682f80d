-- Issue 17 (session 15): a fluid visit's reminder and its reschedule (docs/fluid-queues.md).
--
-- Reminder. A fluid visit has no time, so the reminder outbox (`e.slot_start` within reminder_minutes_before)
-- never listed one. Now a fluid visit owes ONE day-before reminder, kind `fluid_reminder` (its own ar/fr/en
-- texts, no time: "your place in the line tomorrow (DD/MM)"): owed from 18:00 the day before the visit's day in
-- the clinic (private.fluid_reminder_hour) until that day begins, while the visit is still booked
-- (scheduled/waiting), if the clinic sends reminders (reminder_minutes_before not null: the owner's one switch)
-- and the visit was booked before 18:00 (a place taken that evening for tomorrow was just confirmed). Keyed
-- `fluid_reminder:<entry>:<day>`: a sent key is owed no more (exactly once); a cancelled or rescheduled visit
-- (cancelled, its new visit booked after the hour or owing its own key) none.
-- No "N minutes before" reminder for a fluid visit: it has no time to count from; the patient comes at any
-- opening hour, and once checked in the queue messages (almost_turn, your_turn) take over.
--
-- Reschedule. public.reschedule_fluid_place(p_entry_id, p_day): the patient's own scheduled fluid visit moves to
-- another day's line in ONE transaction, as reschedule_appointment moves a slotted one (newest 20261206500001):
-- both day queues locked earlier day first, the old visit cancelled (reason `rescheduled`), a new one booked by
-- private.book_fluid with the notice enforced (F1–F4: DAY_FULL, CLINIC_CLOSED, TOO_SOON, BEYOND_HORIZON,
-- MODE_MISMATCH); any refusal rolls the cancellation back — the old place is released only if the new one is
-- taken. Rules:
--   RS1 only a scheduled booked visit (else 409 QUEUE.ILLEGAL_TRANSITION); a visit with a slot goes through
--       reschedule_appointment (422 BOOKING.MODE_MISMATCH here);
--   RS2 no later than min_cancel_notice_minutes before the visit's day opens (its first opening hour; midnight
--       when it has none) (else 422 BOOKING.RESCHEDULE_TOO_LATE);
--   RS4 another day (else 422 BOOKING.RESCHEDULE_SAME_DAY).
-- Who: the visit's own patient; another patient or another clinic's staff 404, the clinic's staff 403, anon no
-- grant. Deadlock / serialization / lock timeout → 409 CONCURRENCY.RETRY.
--
-- Redefined from their newest bodies: private.outbox_item (20261210500002), private.template_kind_variables
-- (20261211100002), public.reminder_outbox (20261208400002).

create or replace function private.fluid_reminder_hour() returns time
language sql immutable
set search_path = ''
as $$ select time '18:00' $$;

create or replace function private.fluid_reminder_key(p_entry_id uuid, p_day date) returns text
language sql immutable
set search_path = ''
as $$ select 'fluid_reminder:' || p_entry_id::text || ':' || to_char(p_day, 'YYYY-MM-DD') $$;
revoke all on function private.fluid_reminder_key(uuid, date) from public;

create or replace function private.template_kind_variables(p_kind public.notification_kind) returns text[]
language sql immutable
set search_path = ''
as $$
  select array['patient_name', 'clinic_name', 'ticket', 'position', 'eta', 'room', 'grace_minutes', 'tracking_url']
         || case p_kind
              when 'booking_confirmed' then array['appointment_time', 'cancel_url']
              when 'appointment_reminder' then array['appointment_time', 'cancel_url']
              when 'fluid_reminder' then array['appointment_time', 'cancel_url']
              when 'waitlist_offer' then array['appointment_time', 'offer_expires_at', 'offer_url']
              when 'remote_join_confirmed' then array['arrive_by']
              when 'staff_invitation' then array['invitation_url']
              when 'webhook_disabled' then array['webhook_url', 'failures']
              else array[]::text[]
            end
$$;

insert into public.notification_templates (clinic_id, kind, language, body)
values
  (null, 'fluid_reminder', 'ar',
   E'{clinic_name}: {patient_name}، مكانك في الطابور غدًا ({appointment_time}). تعال في أي وقت خلال ساعات العمل. رقم تذكرتك {ticket}. تابع دورك هنا: {tracking_url}\nللإلغاء: {cancel_url}'),
  (null, 'fluid_reminder', 'fr',
   E'{clinic_name} : {patient_name}, votre place dans la file est demain ({appointment_time}). Venez pendant les heures d''ouverture. Ticket {ticket}. Suivez votre tour ici : {tracking_url}\nPour annuler : {cancel_url}'),
  (null, 'fluid_reminder', 'en',
   E'{clinic_name}: {patient_name}, your place in the line is tomorrow ({appointment_time}). Come during opening hours. Ticket {ticket}. Follow your turn here: {tracking_url}\nTo cancel: {cancel_url}');

create or replace function private.outbox_item(
  p_kind public.notification_kind, p_key text, p_event_id bigint, p_e public.queue_entries,
  p_p public.patients, p_c public.clinics, p_values jsonb default '{}'::jsonb)
returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  v_lang public.app_language := coalesce(p_p.preferred_language, p_c.default_language);
  v_route record;
begin
  select * into v_route from private.notification_route(p_p);
  return jsonb_build_object(
    'event_id', p_event_id, 'clinic_id', p_c.id, 'entry_id', p_e.id, 'kind', p_kind,
    'idempotency_key', p_key,
    'channel', v_route.channel,
    -- email and WhatsApp list no phone: the sender routes the visit itself (notification_recipient)
    'phone', case when v_route.channel in ('email', 'whatsapp') then null
                  when v_route.channel = 'sms' then v_route.address
                  else p_p.phone end,
    'email', case when v_route.channel = 'email' then v_route.address end,
    'language', v_lang,
    'template', coalesce(
      (select t.body from public.notification_templates t
        where t.clinic_id = p_c.id and t.kind = p_kind and t.language = v_lang),
      (select t.body from public.notification_templates t
        where t.clinic_id is null and t.kind = p_kind and t.language = v_lang)),
    'values', jsonb_build_object(
        'patient_name', p_p.full_name,
        'clinic_name', p_c.name,
        'ticket', private.ticket_label(p_c.ticket_prefix, p_e.ticket_number)) || coalesce(p_values, '{}'::jsonb),
    'tracking_token', case when p_kind in ('booking_confirmed', 'appointment_reminder', 'fluid_reminder',
                                           'almost_turn', 'your_turn', 'remote_join_confirmed')
                           then private.entry_link(p_e) end,
    'skip_reason', v_route.skip_reason);
end
$$;
revoke all on function private.outbox_item(public.notification_kind, text, bigint, public.queue_entries,
  public.patients, public.clinics, jsonb) from public, anon, authenticated;

-- reminder_outbox (newest: 20261208400002): the slotted reminders and W5's offers as before, then the fluid
-- visits' day-before reminders.
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

-- reschedule_fluid_place(p_entry_id, p_day) → the new booking as book_fluid_place returns it
--   ({ entry_id, queue_id, clinic_id, patient_id, day, ticket_number, ticket, slot_start: null, slot_end: null,
--   fluid: true, status, tracking_token, queue_version }) + rescheduled_from (the old entry id).
create or replace function public.reschedule_fluid_place(p_entry_id uuid, p_day date)
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
  v_opens timestamptz;
begin
  perform private.require_uid();
  if p_entry_id is null or p_day is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_entry_id and p_day are required');
  end if;
  begin
    -- canonical lock order (as reschedule_appointment): both day queues, the earlier day first; only for the
    -- visit's own patient (others go on to entry_for_actor's 404/403 without locking anything of the clinic)
    select e.clinic_id, e.patient_id, q.day, c.time_zone
      into v_clinic, v_patient, v_old_day, v_tz
      from public.queue_entries e
      join public.queues q on q.id = e.queue_id
      join public.clinics c on c.id = e.clinic_id
     where e.id = p_entry_id;
    if v_clinic is not null and private.is_own_patient(v_patient) then
      perform private.lock_queue(v_clinic, least(v_old_day, p_day));
      if p_day <> v_old_day then
        perform private.lock_queue(v_clinic, greatest(v_old_day, p_day));
      end if;
    end if;

    -- 404 unless the caller's own visit or staff of its clinic
    select * into r from private.entry_for_actor(p_entry_id, null);
    if not private.is_own_patient((r.e).patient_id) then
      perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only the patient can reschedule their visit');
    end if;
    -- RS1
    if (r.e).status <> 'scheduled' or (r.e).kind <> 'booked' then
      perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'only a scheduled booked visit can be moved');
    end if;
    if not (r.e).fluid then
      perform private.raise_error(422, 'BOOKING.MODE_MISMATCH', 'this visit has a time: move it to another slot');
    end if;
    -- RS2: the cancel notice, before the visit's day opens
    select private.effective_settings(c.settings) into v_settings from public.clinics c where c.id = (r.e).clinic_id;
    select coalesce(min((v_old_day + w.starts_at) at time zone v_tz), (v_old_day + time '00:00') at time zone v_tz)
      into v_opens
      from public.working_hours w
     where w.clinic_id = (r.e).clinic_id and w.weekday = extract(dow from v_old_day);
    if v_opens < private.now() + make_interval(mins => (v_settings ->> 'min_cancel_notice_minutes')::integer) then
      perform private.raise_error(422, 'BOOKING.RESCHEDULE_TOO_LATE', 'too late to move the visit; call the clinic');
    end if;
    -- RS4
    if p_day = v_old_day then
      perform private.raise_error(422, 'BOOKING.RESCHEDULE_SAME_DAY', 'the visit is already in that day''s line');
    end if;

    -- release the old place first …
    update public.queue_entries
       set status = 'cancelled', cancelled_at = private.now(), cancel_reason = 'rescheduled'
     where id = (r.e).id;
    perform private.log_event((r.e).queue_id, (r.e).clinic_id, (r.e).id, 'EntryCancelled',
      jsonb_build_object('fromStatus', (r.e).status, 'reason', 'rescheduled', 'by', 'patient',
                         'via', 'reschedule'));
    perform private.bump_version((r.e).queue_id);
    -- … and take the new one (F1–F4 with the notice); any refusal raises and rolls the cancellation back
    v_new := private.book_fluid((r.e).clinic_id, (r.e).patient_id, p_day, (r.e).appointment_type_id,
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
revoke execute on function public.reschedule_fluid_place(uuid, date) from public, anon;
grant execute on function public.reschedule_fluid_place(uuid, date) to authenticated, service_role;
