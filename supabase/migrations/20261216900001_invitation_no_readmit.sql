-- Attack review of session 17: invitations re-admitted removed staff and demoted owners.
--   a) The owner sent X a receptionist AND an admin invitation; X accepted the first; the owner deactivated X;
--      X accepted the leftover one and was active again, as admin.
--   b) An admin invited an owner's email as receptionist; the owner accepted and was a receptionist
--      (set_team refuses that: only an owner changes an owner).
-- accept_staff_invitation's `on conflict … do update set role = …, active = true` did both.
--
-- The rules now (docs/security.md, "Staff invitations"):
-- 1. Deactivating or removing a member revokes the clinic's pending invitations addressed to that member's
--    email or phone (trigger staff_invitations_revoke_with_member).
-- 2. Accepting an invitation revokes the clinic's other pending invitations to the same person (the
--    invitation's address, and the accepting account's email/phone).
-- 3. Accept never re-admits a member who was deactivated or removed AFTER the invitation was sent
--    (private.member_departures remembers when; 404 NOT_FOUND, nothing changes). An invitation sent after
--    the removal is a deliberate re-invitation and re-admits with the invitation's role.
-- 4. For someone who is already an active member, accept only ever raises the role (owner > admin >
--    practitioner/receptionist); it never lowers or moves it sideways and never edits their name or room —
--    role changes of existing members go through set_team and its rules. An owner stays an owner.
--    (An owner invitation needs an owner sender already, 20261214700001.)
--
-- accept_staff_invitation's body starts from its newest one (20261214700001_invitation_sender_still_admin.sql).

create table private.member_departures (
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  departed_at timestamptz not null,
  primary key (clinic_id, user_id)
);
revoke all on private.member_departures from public;

create function private.member_rank(p_role public.member_role) returns int
language sql
immutable
set search_path = ''
as $function$
  select case p_role when 'owner' then 3 when 'admin' then 2 else 1 end
$function$;
revoke all on function private.member_rank(public.member_role) from public;

-- Revokes `p_clinic`'s pending invitations addressed to the account `p_user` (its email, or its phone digits).
create function private.revoke_invitations_to(p_clinic uuid, p_user uuid, p_except uuid default null)
returns void
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_email text;
  v_phone text;
begin
  select lower(u.email), nullif(regexp_replace(coalesce(u.phone, ''), '\D', '', 'g'), '')
    into v_email, v_phone
    from auth.users u where u.id = p_user;
  update public.staff_invitations i set revoked_at = private.now()
   where i.clinic_id = p_clinic and i.accepted_at is null and i.revoked_at is null
     and (p_except is null or i.id <> p_except)
     and ((v_email is not null and i.email = v_email)
          or (v_phone is not null and ltrim(i.phone, '+') = v_phone));
end
$function$;
revoke all on function private.revoke_invitations_to(uuid, uuid, uuid) from public;

create function private.staff_invitations_revoke_with_member() returns trigger
language plpgsql
security definer
set search_path = ''
as $function$
begin
  if tg_op = 'DELETE' or (old.active and not new.active)
     or new.clinic_id <> old.clinic_id or new.user_id <> old.user_id then
    insert into private.member_departures (clinic_id, user_id, departed_at)
    select old.clinic_id, old.user_id, private.now()
     where exists (select 1 from public.clinics c where c.id = old.clinic_id)
       and exists (select 1 from auth.users u where u.id = old.user_id)
    on conflict (clinic_id, user_id) do update set departed_at = excluded.departed_at;
    perform private.revoke_invitations_to(old.clinic_id, old.user_id);
  end if;
  return null;
end
$function$;
revoke all on function private.staff_invitations_revoke_with_member() from public;

create trigger staff_invitations_revoke_with_member after update or delete on public.clinic_members
  for each row execute function private.staff_invitations_revoke_with_member();

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
    values (v_inv.clinic_id, v_uid, v_inv.role, v_inv.display_name, v_inv.room)
    returning id, role into v_member_id, v_role;
  elsif not v_member.active then
    -- a re-invitation sent after the member left: back with the invitation's role, name and room
    update public.clinic_members
       set role = v_inv.role, display_name = v_inv.display_name, room = v_inv.room, active = true
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

-- Pending invitations to people who are already inactive members are revoked now (rule 1, for the past).
update public.staff_invitations i set revoked_at = private.now()
  from public.clinic_members m join auth.users u on u.id = m.user_id
 where i.accepted_at is null and i.revoked_at is null and m.clinic_id = i.clinic_id and not m.active
   and ((i.email is not null and i.email = lower(u.email))
        or (i.phone is not null and ltrim(i.phone, '+') = regexp_replace(coalesce(u.phone, ''), '\D', '', 'g')));
