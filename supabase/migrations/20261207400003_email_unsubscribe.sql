-- Issue 20: one-click email unsubscribe (RFC 8058). The email-unsubscribe edge function verifies the signed
-- per-patient token of the List-Unsubscribe link, then calls this with the service role.
-- public.email_unsubscribe(p_patient_id) → { already } — sets patients.email_opt_out (private.notification_route
--   then stops routing to that address; SMS remains). Idempotent: again → already true. Service role only
--   (a token is the only proof a patient gives here); no such record → 404 NOT_FOUND. Choosing email again in
--   the patient's own preferences subscribes again (set_my_notification_preferences).
create function public.email_unsubscribe(p_patient_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_already boolean;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  select email_opt_out into v_already from public.patients where id = p_patient_id for update;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'no such patient record');
  end if;
  if not v_already then
    update public.patients set email_opt_out = true where id = p_patient_id;
  end if;
  return jsonb_build_object('already', v_already);
end
$$;
revoke all on function public.email_unsubscribe(uuid) from public, anon, authenticated;
grant execute on function public.email_unsubscribe(uuid) to service_role;
