-- Issue 17: a waitlist offer is taken (or declined) by an SMS reply — "offered it by SMS with a time-limited
-- reply or link; first to accept gets it, exactly once".
--
-- DOMAIN rule (proposed) W6 "waitlist: an offer is answered by SMS reply, exactly once" — a reply 1 / OUI /
-- YES / نعم (2 / NON / NO / لا declines) from the phone of the patient holding a live offer is applied to that
-- offer through the same path as the My visits button (private.waitlist_accept, shared with
-- accept_earlier_slot, under the day queue's lock): the visit moves, the old slot passes on (W1/W2), and the
-- new booking's EntryScheduled owes its booking_confirmed SMS through the outbox (the confirmation). A second
-- reply, a reply after the offer ended, or a reply from a number with no offer changes nothing and is answered
-- with a reason: already_taken (this patient took it), expired (ended, declined or withdrawn), no_offer.
-- A sender with several live offers answers the one told last.
--
-- New: private.waitlist_accept (the body of accept_earlier_slot after its ownership check, + p_via),
-- public.sms_waitlist_reply (service role only: the twilio-inbound function). Redefined from their newest
-- bodies: public.accept_earlier_slot (20261208400002; now calls private.waitlist_accept), the built-in
-- waitlist_offer texts (20261208400002; + "reply 1 / 2"), only where a row still holds the original text.

-- W2 + W6: the offered slot is taken. The caller holds the day queue's lock and has checked whose request it
-- is; refusals (409 WAITLIST.OFFER_EXPIRED, QUEUE.ILLEGAL_TRANSITION, BOOKING.*) roll everything back.
create function private.waitlist_accept(p_request_id uuid, p_via text) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  w public.waitlist_requests;
  e public.queue_entries;
  v_new jsonb;
begin
  select * into w from public.waitlist_requests where id = p_request_id for update;
  if not found or w.status <> 'offered' or w.offer_expires_at <= private.now() then
    perform private.raise_error(409, 'WAITLIST.OFFER_EXPIRED', 'this offer is no longer open');
  end if;
  select * into e from public.queue_entries where id = w.entry_id;
  if e.status <> 'scheduled' or e.kind <> 'booked' then
    perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'only a scheduled booked visit can be moved');
  end if;
  -- the hold ends first (it would count against the slot the patient now books) …
  update public.waitlist_requests set status = 'accepted', updated_at = private.now() where id = w.id;
  -- … the old visit is released (its slot passes to the next request: the trigger) …
  update public.queue_entries
     set status = 'cancelled', cancelled_at = private.now(), cancel_reason = 'rescheduled'
   where id = e.id;
  perform private.log_event(e.queue_id, e.clinic_id, e.id, 'EntryCancelled',
    jsonb_build_object('fromStatus', e.status, 'reason', 'rescheduled', 'by', 'patient', 'via', p_via));
  perform private.bump_version(e.queue_id);
  -- … and the offered slot is booked (its EntryScheduled owes the booking confirmation)
  v_new := private.book(e.clinic_id, e.patient_id, w.offered_slot_start, e.appointment_type_id,
                        e.practitioner_id, false);
  update public.queue_entries set rescheduled_from = e.id where id = (v_new ->> 'entry_id')::uuid;
  update public.waitlist_requests set moved_to = (v_new ->> 'entry_id')::uuid where id = w.id;
  return v_new || jsonb_build_object('rescheduled_from', e.id, 'request_id', w.id);
end
$$;
revoke all on function private.waitlist_accept(uuid, text) from public, anon, authenticated;

-- accept_earlier_slot (newest: 20261208400002): the same checks, then the shared path.
create or replace function public.accept_earlier_slot(p_request_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  w public.waitlist_requests;
begin
  perform private.require_uid();
  if p_request_id is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_request_id is required');
  end if;
  -- the caller's own request (404 otherwise, without locking anything of the clinic)
  select x.* into w from public.waitlist_requests x
    join public.queue_entries y on y.id = x.entry_id
    join public.patients p on p.id = y.patient_id
   where x.id = p_request_id and p.user_id = auth.uid();
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'request not found');
  end if;
  -- one day queue: the visit and the offered slot are on the request's day
  perform private.lock_queue(w.clinic_id, w.day);
  return private.waitlist_accept(w.id, 'waitlist');
end
$$;

-- W6: the reply of the sender's phone to their live offer. Answers
-- { answer, applied, reason, language, clinic_name, ticket, appointment_time, request_id, entry_id }.
create function public.sms_waitlist_reply(p_from text, p_answer text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  w public.waitlist_requests;
  v_clinic public.clinics;
  v_lang public.app_language;
  v_name text;
  v_new jsonb;
  v_reason text;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  if p_from is null or not private.is_e164(p_from) or p_answer is null or p_answer not in ('accept', 'decline') then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'an E.164 sender and an answer (accept, decline) are required');
  end if;
  -- the sender's live offer (the one told last), else their latest offer of the last day that ended
  select x.* into w from public.waitlist_requests x
    join public.queue_entries e on e.id = x.entry_id
    join public.patients p on p.id = e.patient_id
   where p.phone = p_from and x.status = 'offered' and x.offer_expires_at > private.now()
   order by x.offered_at desc, x.id
   limit 1;
  if w.id is null then
    select x.* into w from public.waitlist_requests x
      join public.queue_entries e on e.id = x.entry_id
      join public.patients p on p.id = e.patient_id
     where p.phone = p_from and x.offered_at is not null and x.offered_at > private.now() - interval '1 day'
     order by x.updated_at desc, x.id
     limit 1;
  end if;
  if w.id is null then
    select coalesce(p.preferred_language, c.default_language), c.name into v_lang, v_name
      from public.patients p join public.clinics c on c.id = p.clinic_id
     where p.phone = p_from order by p.updated_at desc limit 1;
    return jsonb_build_object('answer', p_answer, 'applied', false,
                              'reason', case when v_lang is null then 'unknown_sender' else 'no_offer' end,
                              'language', v_lang, 'clinic_name', v_name, 'ticket', null,
                              'appointment_time', null, 'request_id', null, 'entry_id', null);
  end if;

  perform private.lock_queue(w.clinic_id, w.day);
  -- under the lock: a concurrent reply that got here first has answered it
  select * into w from public.waitlist_requests where id = w.id for update;
  select * into v_clinic from public.clinics where id = w.clinic_id;
  select coalesce(p.preferred_language, v_clinic.default_language) into v_lang
    from public.queue_entries e join public.patients p on p.id = e.patient_id where e.id = w.entry_id;
  if w.status <> 'offered' or w.offer_expires_at <= private.now() then
    v_reason := case when w.status = 'accepted' then 'already_taken' else 'expired' end;
    return jsonb_build_object('answer', p_answer, 'applied', false, 'reason', v_reason,
      'language', v_lang, 'clinic_name', v_clinic.name,
      'ticket', (select private.ticket_label(v_clinic.ticket_prefix, m.ticket_number)
                   from public.queue_entries m where m.id = w.moved_to and v_reason = 'already_taken'),
      'appointment_time', (select to_char(m.slot_start at time zone v_clinic.time_zone, 'HH24:MI')
                             from public.queue_entries m where m.id = w.moved_to and v_reason = 'already_taken'),
      'request_id', w.id, 'entry_id', w.moved_to);
  end if;

  if p_answer = 'accept' then
    v_new := private.waitlist_accept(w.id, 'waitlist_sms');
    return jsonb_build_object('answer', p_answer, 'applied', true, 'reason', null,
      'language', v_lang, 'clinic_name', v_clinic.name, 'ticket', v_new ->> 'ticket',
      'appointment_time', to_char((v_new ->> 'slot_start')::timestamptz at time zone v_clinic.time_zone, 'HH24:MI'),
      'request_id', w.id, 'entry_id', v_new ->> 'entry_id');
  end if;
  -- decline (withdraw_earlier_slot's path, W3): the slot passes on at once; the visit stays as booked
  update public.waitlist_requests set status = 'withdrawn', updated_at = private.now() where id = w.id;
  perform private.waitlist_offer_slot(w.clinic_id, w.day, w.offered_slot_start);
  return jsonb_build_object('answer', p_answer, 'applied', true, 'reason', null,
    'language', v_lang, 'clinic_name', v_clinic.name,
    'ticket', (select private.ticket_label(v_clinic.ticket_prefix, e.ticket_number)
                 from public.queue_entries e where e.id = w.entry_id),
    'appointment_time', (select to_char(e.slot_start at time zone v_clinic.time_zone, 'HH24:MI')
                           from public.queue_entries e where e.id = w.entry_id),
    'request_id', w.id, 'entry_id', w.entry_id);
end
$$;
revoke execute on function public.sms_waitlist_reply(text, text) from public, anon, authenticated;
grant execute on function public.sms_waitlist_reply(text, text) to service_role;

-- W6: the offer's message says the patient can reply 1 / 2 (= DefaultTemplates.ts), where unchanged.
update public.notification_templates set body = case language
    when 'ar' then '{clinic_name}: {patient_name}، توفر موعد أبكر: {appointment_time}. هو محجوز لك حتى {offer_expires_at}. أرسل 1 لقبوله أو 2 لرفضه، أو: {offer_url}'
    when 'fr' then '{clinic_name} : {patient_name}, une place plus proche s''est libérée : {appointment_time}. Elle vous est réservée jusqu''à {offer_expires_at}. Répondez 1 pour l''accepter, 2 pour la refuser, ou : {offer_url}'
    else '{clinic_name}: {patient_name}, an earlier slot is free: {appointment_time}. It is held for you until {offer_expires_at}. Reply 1 to take it, 2 to decline, or: {offer_url}'
  end
 where clinic_id is null and kind = 'waitlist_offer'
   and body in (
     '{clinic_name}: {patient_name}، توفر موعد أبكر: {appointment_time}. هو محجوز لك حتى {offer_expires_at}. لقبوله: {offer_url}',
     '{clinic_name} : {patient_name}, une place plus proche s''est libérée : {appointment_time}. Elle vous est réservée jusqu''à {offer_expires_at}. Pour l''accepter : {offer_url}',
     '{clinic_name}: {patient_name}, an earlier slot is free: {appointment_time}. It is held for you until {offer_expires_at}. To take it: {offer_url}');
