-- STOP is honoured for the number a message actually goes to: notification_recipient with both a visit and
-- a phone reports opted_out when the visit's patient opted out OR any record of the clinic with either
-- number did (a caller may pass a phone other than the one on file).
create or replace function public.notification_recipient(p_clinic_id uuid, p_entry_id uuid default null, p_phone text default null)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_p public.patients;
  v_clinic_lang public.app_language;
begin
  perform private.require_staff(p_clinic_id);
  select default_language into v_clinic_lang from public.clinics where id = p_clinic_id;
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
    return jsonb_build_object('patient_id', v_p.id, 'phone', v_p.phone,
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
  return jsonb_build_object('patient_id', v_p.id, 'phone', p_phone,
                            'language', coalesce(v_p.preferred_language, v_clinic_lang),
                            'opted_out', coalesce(v_p.sms_opt_out, false));
end
$$;
