-- Issue 20 (session 10's hard bounce, left): a patient whose email address the mail server refused for good gets
-- no email any more (the route passes the address over) and was never told. My visits' contact card (and the
-- booking form) now say so next to the address, so the patient can correct it (a new address clears the bounce).
-- public.get_my_notification_preferences (newest: 20261206800002): + email_bounced.

create or replace function public.get_my_notification_preferences(p_clinic_id uuid)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
  v_p public.patients;
begin
  select * into v_p from public.patients where clinic_id = p_clinic_id and user_id = v_uid;
  return jsonb_build_object('known', v_p.id is not null, 'channel', v_p.preferred_channel, 'email', v_p.email,
                            'email_bounced', v_p.email is not null and v_p.email_bounced_at is not null);
end
$$;
