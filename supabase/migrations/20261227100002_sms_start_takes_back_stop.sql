-- names27 (mreview26 F7): an SMS STOP can be taken back by SMS. PATIENT.OPT_OUT_PATIENT_ONLY told staff that the
-- patient turns texts back on "from their own account" — no screen writes sms_opt_out, and twilio-inbound answered
-- START only for WhatsApp. public.sms_inbound_apply (newest body 20261216800002) gains the intent 'start': it clears
-- sms_opt_out on the records STOP sets (the sender's phone in the candidate clinics of the number written to — a
-- clinic's own number: that clinic; the shared sender: the clinics without an own number), and answers how many.
-- Service role only, as before (the function checks private.is_service(); EXECUTE is granted to service_role alone).
-- Audited by the existing trigger (20261226400001): kind 'sms_opt_in', no actor — as STOP's 'sms_opt_out'.

create or replace function public.sms_inbound_apply(p_from text, p_intent text, p_to text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  r record;
  v_count integer;
  v_lang public.app_language;
  v_clinic text;
  v_clinics uuid[];
  v_visit_clinics integer;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  if p_from is null or not private.is_e164(p_from) or p_intent is null
     or p_intent not in ('late', 'cancel', 'stop', 'start') then
    perform private.raise_error(422, 'VALIDATION.FAILED',
      'an E.164 sender and an intent (late, cancel, stop, start) are required');
  end if;
  if p_to is not null and not private.is_e164(p_to) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'the number written to must be E.164');
  end if;

  -- the clinics this reply may concern: those sending from the number written to, else those on the shared sender
  select coalesce(array_agg(c.id), '{}') into v_clinics
    from public.clinics c where p_to is not null and private.effective_sms_sender(c) = p_to;
  if cardinality(v_clinics) = 0 then
    select coalesce(array_agg(c.id), '{}') into v_clinics
      from public.clinics c
     where p_to is null or coalesce(private.effective_sms_sender(c), '') !~ '^\+[1-9][0-9]{6,14}$';
  end if;

  if p_intent = 'stop' then
    update public.patients set sms_opt_out = true
     where phone = p_from and not sms_opt_out and clinic_id = any (v_clinics);
    get diagnostics v_count = row_count;
    select coalesce(p.preferred_language, c.default_language), c.name into v_lang, v_clinic
      from public.patients p join public.clinics c on c.id = p.clinic_id
     where p.phone = p_from and p.clinic_id = any (v_clinics) order by p.updated_at desc limit 1;
    return jsonb_build_object('intent', p_intent, 'applied', v_lang is not null,
                              'reason', case when v_lang is null then 'unknown_sender' end,
                              'language', v_lang, 'clinic_name', v_clinic, 'ticket', null, 'entry_id', null,
                              'opted_out', v_count);
  end if;

  -- names27 (mreview26 F7): START / UNSTOP / DÉMARRER / ابدأ takes back an SMS STOP — the same records STOP sets (this
  -- phone, the candidate clinics above), nothing else. The audit trigger writes 'sms_opt_in' without an actor, as
  -- STOP's 'sms_opt_out'; the patient-only guard lets it through (a definer function acts for the patient: the
  -- phone's own reply, verified by Twilio's signature, is the patient's consent).
  if p_intent = 'start' then
    update public.patients set sms_opt_out = false
     where phone = p_from and sms_opt_out and clinic_id = any (v_clinics);
    get diagnostics v_count = row_count;
    select coalesce(p.preferred_language, c.default_language), c.name into v_lang, v_clinic
      from public.patients p join public.clinics c on c.id = p.clinic_id
     where p.phone = p_from and p.clinic_id = any (v_clinics) order by p.updated_at desc limit 1;
    return jsonb_build_object('intent', p_intent, 'applied', v_count > 0,
                              'reason', case when v_lang is null then 'unknown_sender' end,
                              'language', v_lang, 'clinic_name', v_clinic, 'ticket', null, 'entry_id', null,
                              'opted_in', v_count);
  end if;

  -- today's live visits of this phone in the candidate clinics: one clinic, or nothing is guessed
  select count(distinct e.clinic_id) into v_visit_clinics
    from public.queue_entries e
    join public.patients p on p.id = e.patient_id
    join public.queues q on q.id = e.queue_id
    join public.clinics c on c.id = e.clinic_id
   where p.phone = p_from and e.clinic_id = any (v_clinics)
     and q.day = private.clinic_today(c.time_zone)
     and e.status in ('scheduled', 'waiting', 'called', 'absent');
  if v_visit_clinics > 1 then
    select coalesce(p.preferred_language, c.default_language) into v_lang
      from public.patients p join public.clinics c on c.id = p.clinic_id
     where p.phone = p_from and p.clinic_id = any (v_clinics) order by p.updated_at desc limit 1;
    return jsonb_build_object('intent', p_intent, 'applied', false, 'reason', 'ambiguous',
                              'language', v_lang, 'clinic_name', null, 'ticket', null, 'entry_id', null);
  end if;

  select e.id, e.queue_id, e.clinic_id, e.status, e.ticket_number, c.name as clinic_name, c.ticket_prefix,
         coalesce(p.preferred_language, c.default_language) as language
    into r
    from public.queue_entries e
    join public.patients p on p.id = e.patient_id
    join public.queues q on q.id = e.queue_id
    join public.clinics c on c.id = e.clinic_id
   where p.phone = p_from and e.clinic_id = any (v_clinics)
     and q.day = private.clinic_today(c.time_zone)
     and e.status in ('scheduled', 'waiting', 'called', 'absent')
   order by (e.status = 'called') desc, e.slot_start nulls last, e.created_at desc
   limit 1;
  if r.id is null then
    select coalesce(p.preferred_language, c.default_language), c.name into v_lang, v_clinic
      from public.patients p join public.clinics c on c.id = p.clinic_id
     where p.phone = p_from and p.clinic_id = any (v_clinics) order by p.updated_at desc limit 1;
    return jsonb_build_object('intent', p_intent, 'applied', false, 'reason', 'no_visit_today',
                              'language', v_lang, 'clinic_name', v_clinic, 'ticket', null, 'entry_id', null);
  end if;

  perform 1 from public.queues where id = r.queue_id for update;
  if p_intent = 'late' then
    if r.status = 'absent' then
      return jsonb_build_object('intent', p_intent, 'applied', false, 'reason', 'already_called',
                                'language', r.language, 'clinic_name', r.clinic_name,
                                'ticket', private.ticket_label(r.ticket_prefix, r.ticket_number), 'entry_id', r.id);
    end if;
    update public.queue_entries set running_late_at = private.now() where id = r.id;
    perform private.log_event(r.queue_id, r.clinic_id, r.id, 'PatientRunningLate',
      jsonb_build_object('ticket', private.ticket_label(r.ticket_prefix, r.ticket_number), 'source', 'sms'));
  else
    update public.queue_entries set status = 'cancelled', cancelled_at = private.now(), cancel_reason = 'SMS'
     where id = r.id;
    perform private.log_event(r.queue_id, r.clinic_id, r.id, 'EntryCancelled',
      jsonb_build_object('ticket', private.ticket_label(r.ticket_prefix, r.ticket_number), 'fromStatus', r.status,
                         'reason', 'SMS', 'by', 'patient', 'via', 'sms'));
  end if;
  perform private.bump_version(r.queue_id);
  return jsonb_build_object('intent', p_intent, 'applied', true, 'reason', null, 'language', r.language,
                            'clinic_name', r.clinic_name,
                            'ticket', private.ticket_label(r.ticket_prefix, r.ticket_number), 'entry_id', r.id);
end
$function$;

revoke all on function public.sms_inbound_apply(text, text, text) from public, anon, authenticated;
grant execute on function public.sms_inbound_apply(text, text, text) to service_role;
