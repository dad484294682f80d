-- Attack review of session 16: a removed admin came back through an invitation they had sent before
-- their removal (they invited a second address of their own, were removed, then accepted it).
--
-- 1. accept_staff_invitation (newest body: 20261202100001_private_now_everywhere.sql) also requires that the
--    invitation's sender is STILL an active owner/admin of the clinic (an owner for an owner's invitation);
--    invitations the service role made (invited_by null) are unaffected.
-- 2. A trigger revokes a member's pending invitations when they stop being allowed to send them: the row is
--    deleted, deactivated, or demoted below admin (an owner demoted to admin loses only their pending OWNER invitations).
--    Deleting an account revokes its pending invitations first (before invited_by is set null).
-- 3. Pending invitations of members already removed, deactivated or demoted are revoked now.

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
  v_member_id uuid;
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
  insert into public.clinic_members (clinic_id, user_id, role, display_name, room)
  values (v_inv.clinic_id, v_uid, v_inv.role, v_inv.display_name, v_inv.room)
  on conflict (clinic_id, user_id) do update
    set role = excluded.role, display_name = excluded.display_name, room = excluded.room, active = true
  returning id into v_member_id;
  update public.staff_invitations set accepted_at = private.now(), accepted_by = v_uid where id = v_inv.id;
  return jsonb_build_object('clinic_id', v_inv.clinic_id, 'member_id', v_member_id, 'role', v_inv.role);
end
$function$;


-- ── revoke with the inviter ─────────────────────────────────────────────────────────────────────────
create function private.staff_invitations_revoke_with_inviter() returns trigger
language plpgsql
security definer
set search_path = ''
as $function$
begin
  if old.role not in ('owner', 'admin') or not old.active then
    return null;
  end if;
  if tg_op = 'DELETE' or not new.active or new.role not in ('owner', 'admin')
     or new.clinic_id <> old.clinic_id or new.user_id <> old.user_id then
    update public.staff_invitations i set revoked_at = private.now()
     where i.clinic_id = old.clinic_id and i.invited_by = old.user_id
       and i.accepted_at is null and i.revoked_at is null;
  elsif old.role = 'owner' and new.role = 'admin' then
    update public.staff_invitations i set revoked_at = private.now()
     where i.clinic_id = old.clinic_id and i.invited_by = old.user_id and i.role = 'owner'
       and i.accepted_at is null and i.revoked_at is null;
  end if;
  return null;
end
$function$;
revoke all on function private.staff_invitations_revoke_with_inviter() from public;

create trigger staff_invitations_revoke_with_inviter after update or delete on public.clinic_members
  for each row execute function private.staff_invitations_revoke_with_inviter();

-- Deleting an account: its clinic_members rows go by cascade, but staff_invitations.invited_by is set null
-- by another cascade that may run first (the invitation would then look like the service role's). So the
-- account's pending invitations are revoked before the account row goes.
create function private.staff_invitations_revoke_with_account() returns trigger
language plpgsql
security definer
set search_path = ''
as $function$
begin
  update public.staff_invitations i set revoked_at = private.now()
   where i.invited_by = old.id and i.accepted_at is null and i.revoked_at is null;
  return old;
end
$function$;
revoke all on function private.staff_invitations_revoke_with_account() from public;

create trigger staff_invitations_revoke_with_account before delete on auth.users
  for each row execute function private.staff_invitations_revoke_with_account();

-- the invitations already left behind by members who lost the right to send them
update public.staff_invitations i set revoked_at = private.now()
 where i.accepted_at is null and i.revoked_at is null and i.invited_by is not null
   and not exists (
     select 1 from public.clinic_members m
      where m.clinic_id = i.clinic_id and m.user_id = i.invited_by and m.active
        and (m.role = 'owner' or (m.role = 'admin' and i.role <> 'owner')));
