-- send-staff-invitation (issue 7): what the function needs to deliver an invitation link, checked here.

-- staff_invitation_delivery(p_invitation_id, p_token) → { invitation_id, clinic_id, clinic_name, language,
--   display_name, email, phone, expires_at, templates: { ar, fr, en } } (the clinic's staff_invitation
--   text in each language, else the built-in one)
-- Owner/admin of the invitation's clinic (or service role). The token (shown once by
-- create_staff_invitation, stored hashed) must be this invitation's, and the invitation still pending
-- (not accepted, revoked or expired) — so the function can only ever send a link that works.
create function public.staff_invitation_delivery(p_invitation_id uuid, p_token text)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_inv public.staff_invitations;
  v_clinic public.clinics;
begin
  select * into v_inv from public.staff_invitations where id = p_invitation_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation not found');
  end if;
  perform private.require_admin(v_inv.clinic_id);
  if p_token is null or v_inv.token_hash <> private.hash_token(p_token) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'this token is not the invitation''s');
  end if;
  if v_inv.accepted_at is not null or v_inv.revoked_at is not null or v_inv.expires_at <= now() then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'the invitation is no longer pending');
  end if;
  select * into v_clinic from public.clinics where id = v_inv.clinic_id;
  return jsonb_build_object('invitation_id', v_inv.id, 'clinic_id', v_inv.clinic_id, 'clinic_name', v_clinic.name,
                            'language', v_clinic.default_language, 'display_name', v_inv.display_name,
                            'email', v_inv.email, 'phone', v_inv.phone, 'expires_at', v_inv.expires_at,
                            'templates', (
                              select jsonb_object_agg(l.lang, coalesce(
                                (select t.body from public.notification_templates t
                                  where t.clinic_id = v_inv.clinic_id and t.kind = 'staff_invitation' and t.language = l.lang),
                                (select t.body from public.notification_templates t
                                  where t.clinic_id is null and t.kind = 'staff_invitation' and t.language = l.lang)))
                              from unnest(array['ar', 'fr', 'en']::public.app_language[]) as l(lang)));
end
$$;

revoke execute on function public.staff_invitation_delivery(uuid, text) from public, anon, authenticated;
grant execute on function public.staff_invitation_delivery(uuid, text) to authenticated, service_role;
