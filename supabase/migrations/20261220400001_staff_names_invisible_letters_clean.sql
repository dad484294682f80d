-- sec20 (item 1): the names rule of 20261219700002 (no invisible letters, no stacks of marks) left staff names behind.
-- That migration cleaned patients' and profiles' names the rule now refuses, but not clinic_members.display_name
-- nor staff_invitations.display_name, which the same rule guards through the trigger private.normalise_display_name
-- (20261217300003). So:
--   * a pending invitation whose name the rule now refuses could not be accepted: accept_staff_invitation copies the
--     invitation's name into clinic_members, the trigger refused it and the invitee got 422 VALIDATION.FAILED —
--     they could never join;
--   * a member whose stored name the rule now refuses could not be saved with that name again (set_team and any
--     other writer of display_name met the same 422), and the board and SMS still showed the hidden characters.
--
-- Decision: both. Stored names are cleaned once here with the same normal form (private.strip_person_name, as
-- 20261219700002 did for patients), AND acceptance cleans the invitation's name itself when the rule refuses it,
-- so a future tightening of the rule can never again leave an invitee unable to join. A name that has nothing
-- visible left becomes '?' (the patients' choice in 20261219700002; the length check forbids an empty one); the
-- clinic's owner renames the member in the team screen.
--
-- private.clean_display_name(text): the stored form of a staff name under today's rule — the name unchanged when the
-- rule accepts it (the trigger normalises it anyway), else strip_person_name's result when that is clean and not
-- empty, else '?'. Immutable, private (revoked from public/anon/authenticated).
-- public.accept_staff_invitation: body from 20261216900001_invitation_no_readmit.sql (its newest), the two writes of
-- display_name now take private.clean_display_name(v_inv.display_name). Nothing else changes.

create function private.clean_display_name(p_name text) returns text
language sql immutable strict parallel safe set search_path = '' as $$
  select case
           when private.is_clean_person_name(p_name) then p_name
           when private.is_clean_person_name(private.strip_person_name(p_name))
                and btrim(private.strip_person_name(p_name)) <> ''
             then private.strip_person_name(p_name)
           else '?'
         end
$$;
revoke all on function private.clean_display_name(text) from public, anon, authenticated;

update public.clinic_members
   set display_name = left(private.clean_display_name(display_name), 120)
 where not private.is_clean_person_name(display_name);

update public.staff_invitations
   set display_name = left(private.clean_display_name(display_name), 120)
 where not private.is_clean_person_name(display_name);

create or replace function public.accept_staff_invitation(p_token text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_uid uuid := private.require_uid();
  v_inv public.staff_invitations;
  v_user auth.users;
  v_member public.clinic_members;
  v_member_id uuid;
  v_role public.member_role;
  v_by_email boolean;
  v_by_phone boolean;
begin
  if p_token is null or char_length(p_token) > 200 then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation not found');
  end if;
  select * into v_inv from public.staff_invitations where token_hash = private.hash_token(p_token) for update;
  if not found or v_inv.revoked_at is not null then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation not found');
  end if;
  if v_inv.accepted_at is not null then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation already used');
  end if;
  if v_inv.expires_at <= private.now() then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation expired');
  end if;
  -- The inviter must still be allowed to invite: an active owner/admin of this clinic (an owner for an
  -- owner's invitation). invited_by is null only for invitations the service role created (a deleted
  -- account's invitations are revoked by staff_invitations_revoke_with_account before it goes).
  if v_inv.invited_by is not null and not exists (
       select 1 from public.clinic_members m
        where m.clinic_id = v_inv.clinic_id and m.user_id = v_inv.invited_by and m.active
          and (m.role = 'owner' or (m.role = 'admin' and v_inv.role <> 'owner'))) then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation withdrawn: its sender no longer administers the clinic');
  end if;
  select * into v_user from auth.users where id = v_uid;
  v_by_email := v_inv.email is not null and v_user.email_confirmed_at is not null
    and lower(v_user.email) = v_inv.email and private.jwt_email() = v_inv.email;
  v_by_phone := v_inv.phone is not null and v_user.phone_confirmed_at is not null
    and regexp_replace(coalesce(v_user.phone, ''), '\D', '', 'g') = ltrim(v_inv.phone, '+')
    and private.jwt_phone_digits() = ltrim(v_inv.phone, '+');
  if not (v_by_email or v_by_phone) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'this invitation was sent to someone else');
  end if;
  -- Removed or deactivated after this invitation was sent: the invitation does not bring them back.
  if exists (select 1 from private.member_departures d
              where d.clinic_id = v_inv.clinic_id and d.user_id = v_uid and d.departed_at >= v_inv.created_at) then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation withdrawn: you left the clinic after it was sent');
  end if;
  select * into v_member from public.clinic_members
   where clinic_id = v_inv.clinic_id and user_id = v_uid for update;
  if not found then
    insert into public.clinic_members (clinic_id, user_id, role, display_name, room)
    values (v_inv.clinic_id, v_uid, v_inv.role, private.clean_display_name(v_inv.display_name), v_inv.room)
    returning id, role into v_member_id, v_role;
  elsif not v_member.active then
    -- a re-invitation sent after the member left: back with the invitation's role, name and room
    update public.clinic_members
       set role = v_inv.role, display_name = private.clean_display_name(v_inv.display_name), room = v_inv.room,
           active = true
     where id = v_member.id
    returning id, role into v_member_id, v_role;
  elsif private.member_rank(v_inv.role) > private.member_rank(v_member.role) then
    -- an active member is only ever promoted by an invitation, never demoted or moved sideways
    update public.clinic_members set role = v_inv.role where id = v_member.id
    returning id, role into v_member_id, v_role;
  else
    v_member_id := v_member.id;
    v_role := v_member.role;
  end if;
  update public.staff_invitations set accepted_at = private.now(), accepted_by = v_uid where id = v_inv.id;
  -- one person, one pending invitation at most: the clinic's other invitations to this address or account go
  update public.staff_invitations i set revoked_at = private.now()
   where i.clinic_id = v_inv.clinic_id and i.id <> v_inv.id and i.accepted_at is null and i.revoked_at is null
     and ((v_inv.email is not null and i.email = v_inv.email) or (v_inv.phone is not null and i.phone = v_inv.phone));
  perform private.revoke_invitations_to(v_inv.clinic_id, v_uid, v_inv.id);
  return jsonb_build_object('clinic_id', v_inv.clinic_id, 'member_id', v_member_id, 'role', v_role);
end
$function$;
