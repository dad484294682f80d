-- Issue 20: what the booking form shows of the patient's own channel choice (so a returning patient's email
-- choice is kept, not overwritten by the form's default).
-- get_my_notification_preferences(p_clinic_id) → { known, channel, email } — the caller's own record in that
-- clinic; known false (and nulls) when they have none yet. Signed-in users only.
create function public.get_my_notification_preferences(p_clinic_id uuid)
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
  return jsonb_build_object('known', v_p.id is not null, 'channel', v_p.preferred_channel, 'email', v_p.email);
end
$$;
revoke all on function public.get_my_notification_preferences(uuid) from public, anon;
grant execute on function public.get_my_notification_preferences(uuid) to authenticated;
