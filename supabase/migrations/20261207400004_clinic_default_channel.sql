-- Issue 20: a clinic default channel. Routing order: the patient's choice → the clinic's default → the fallback
-- order SMS, email — the first channel that reaches the patient.
-- clinics.default_channel (null = no default: SMS first, as before).
-- public.set_default_channel(p_clinic_id, p_channel) → { default_channel }: owners/admins.
-- private.notification_route (newest: 20261206800001): + the clinic's default after the patient's choice.
alter table public.clinics add column default_channel public.notification_channel;

create function public.set_default_channel(p_clinic_id uuid, p_channel public.notification_channel)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_admin(p_clinic_id);
  update public.clinics set default_channel = p_channel where id = p_clinic_id;
  return jsonb_build_object('default_channel', p_channel);
end
$$;
revoke all on function public.set_default_channel(uuid, public.notification_channel) from public, anon;
grant execute on function public.set_default_channel(uuid, public.notification_channel) to authenticated, service_role;

create or replace function private.notification_route(p public.patients)
returns table (channel public.notification_channel, address text, skip_reason public.notification_skip_reason)
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_sms_out boolean;
  v_try public.notification_channel;
  v_opted boolean := false;
  v_default public.notification_channel;
begin
  if p.id is null then
    return query select null::public.notification_channel, null::text, 'no_phone'::public.notification_skip_reason;
    return;
  end if;
  -- STOP is honoured for the number (any record of the clinic with that phone), as notification_recipient does
  v_sms_out := p.sms_opt_out or (p.phone is not null and exists (
    select 1 from public.patients o where o.clinic_id = p.clinic_id and o.phone = p.phone and o.sms_opt_out));
  select c.default_channel into v_default from public.clinics c where c.id = p.clinic_id;
  foreach v_try in array array[p.preferred_channel, v_default, 'sms', 'email']::public.notification_channel[] loop
    continue when v_try is null;
    if v_try = 'sms' and p.phone is not null then
      if not v_sms_out then
        return query select 'sms'::public.notification_channel, p.phone, null::public.notification_skip_reason;
        return;
      end if;
      v_opted := true;
    elsif v_try = 'email' and p.email is not null then
      if not p.email_opt_out then
        return query select 'email'::public.notification_channel, p.email, null::public.notification_skip_reason;
        return;
      end if;
      v_opted := true;
    end if;
  end loop;
  return query select null::public.notification_channel, null::text,
    (case when v_opted then 'opted_out' else 'no_phone' end)::public.notification_skip_reason;
end
$$;
revoke all on function private.notification_route(public.patients) from public, anon, authenticated;
