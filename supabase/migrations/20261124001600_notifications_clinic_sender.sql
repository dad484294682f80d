-- A clinic's own SMS sender (issue 7, "the clinic's sender"): an E.164 number, an alphanumeric sender id
-- (1-11 letters/digits/spaces, at least one letter) or a Twilio messaging service (MG…). It must exist on the
-- Twilio account; Twilio refuses an unknown one (the message is then `failed` with Twilio's reason). Null →
-- the platform's sender (TWILIO_FROM / TWILIO_MESSAGING_SERVICE_SID). Owners/admins set it like the other
-- clinic columns; notification_recipient hands it to send-sms.
alter table public.clinics add column sms_sender text
  constraint clinics_sms_sender_valid check (
    sms_sender is null
    or sms_sender ~ '^\+[1-9][0-9]{6,14}$'
    or sms_sender ~ '^MG[0-9a-fA-F]{32}$'
    or (sms_sender ~ '^[A-Za-z0-9 ]{1,11}$' and sms_sender ~ '[A-Za-z]' and btrim(sms_sender) = sms_sender));
grant update (sms_sender) on public.clinics to authenticated;

-- notification_recipient(…) → { patient_id, phone, sender, language, opted_out } (sender: the clinic's or null)
create or replace function public.notification_recipient(p_clinic_id uuid, p_entry_id uuid default null, p_phone text default null)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_p public.patients;
  v_clinic_lang public.app_language;
  v_sender text;
begin
  perform private.require_staff(p_clinic_id);
  select default_language, sms_sender into v_clinic_lang, v_sender from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if p_phone is not null and not private.is_e164(p_phone) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'the phone must be E.164');
  end if;
  if p_entry_id is not null then
    select p.* into v_p from public.queue_entries e join public.patients p on p.id = e.patient_id
     where e.id = p_entry_id and e.clinic_id = p_clinic_id;
    if not found then
      perform private.raise_error(404, 'NOT_FOUND', 'visit not found in this clinic');
    end if;
    return jsonb_build_object('patient_id', v_p.id, 'phone', v_p.phone, 'sender', v_sender,
                              'language', coalesce(v_p.preferred_language, v_clinic_lang),
                              'opted_out', v_p.sms_opt_out
                                or exists (select 1 from public.patients o where o.clinic_id = p_clinic_id
                                           and o.phone in (v_p.phone, p_phone) and o.sms_opt_out));
  end if;
  if p_phone is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'an entry or an E.164 phone is required');
  end if;
  select * into v_p from public.patients where clinic_id = p_clinic_id and phone = p_phone
   order by sms_opt_out desc, updated_at desc limit 1;
  return jsonb_build_object('patient_id', v_p.id, 'phone', p_phone, 'sender', v_sender,
                            'language', coalesce(v_p.preferred_language, v_clinic_lang),
                            'opted_out', coalesce(v_p.sms_opt_out, false));
end
$$;
