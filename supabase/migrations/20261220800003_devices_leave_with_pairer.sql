-- fix20 (review20 L2): board and kiosk device keys outlived the staff member who paired them. A board key shows
-- live first names and initials, and its link is shown to the person who paired it; after that receptionist was
-- deactivated, their kiosk still checked patients in. As API keys since 20261217800002 ("a key lives no longer
-- than its creator's right to make it"):
--   D1 pairing a device needs an active owner, admin or receptionist of the clinic (pair_kiosk, pair_board,
--      create_kiosk_pairing_code; a code's device is paired_by the code's creator). When that person's membership
--      of the clinic is deleted, deactivated, demoted to practitioner, or moved to another clinic/user, a trigger on
--      clinic_members revokes every live device they paired there (revoked_at, revoked_reason 'pairer_left').
--   D2 private.paired_device — the one lookup of a device key — answers null for a device whose pairer may no
--      longer pair at that clinic (or whose account is gone: paired_by null), even for a path the trigger missed.
--   D3 devices paired by someone who already left are revoked by this migration.
--   D4 kiosk_devices.revoked_reason ('pairer_left'; null with revoked_at set = unpaired by staff through
--      revoke_kiosk / revoke_board) is readable by the clinic's staff, so the admin's device lists say why.
-- Redefined from its newest body: private.paired_device (20261217100001_board_devices.sql).

alter table public.kiosk_devices add column revoked_reason text
  check (revoked_reason is null or revoked_reason = 'pairer_left');
comment on column public.kiosk_devices.revoked_reason is
  'Why the device stopped (fix20): pairer_left = the member who paired it left the clinic, was deactivated or may no longer pair devices; null = unpaired by staff (or live).';
grant select (revoked_reason) on public.kiosk_devices to authenticated;

-- an active owner, admin or receptionist of the clinic (the right pair_kiosk / pair_board ask for)
create function private.may_pair_devices(p_clinic uuid, p_user uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select p_user is not null and exists (
    select 1 from public.clinic_members m
     where m.clinic_id = p_clinic and m.user_id = p_user and m.active
       and m.role in ('owner', 'admin', 'receptionist'))
$$;
revoke all on function private.may_pair_devices(uuid, uuid) from public, anon, authenticated;

-- D1
create function private.devices_revoke_with_pairer() returns trigger
language plpgsql
security definer
set search_path = ''
as $function$
begin
  if tg_op = 'DELETE' or old.active <> new.active or old.role <> new.role
     or new.clinic_id <> old.clinic_id or new.user_id <> old.user_id then
    if not private.may_pair_devices(old.clinic_id, old.user_id) then
      update public.kiosk_devices d set revoked_at = private.now(), revoked_reason = 'pairer_left'
       where d.clinic_id = old.clinic_id and d.paired_by = old.user_id and d.revoked_at is null;
    end if;
  end if;
  return null;
end
$function$;
revoke all on function private.devices_revoke_with_pairer() from public, anon, authenticated;
create trigger devices_revoke_with_pairer after update or delete on public.clinic_members
  for each row execute function private.devices_revoke_with_pairer();

-- D2: the one lookup of a device key
create or replace function private.paired_device(p_token text, p_kind text) returns public.kiosk_devices
language sql stable
set search_path = ''
as $$
  select d.* from public.kiosk_devices d
   where p_token is not null and char_length(p_token) between 32 and 200
     and d.token_hash = private.hash_token(p_token) and d.kind = p_kind and d.revoked_at is null
     and private.may_pair_devices(d.clinic_id, d.paired_by)
$$;
revoke execute on function private.paired_device(text, text) from public;

-- D3
update public.kiosk_devices d set revoked_at = private.now(), revoked_reason = 'pairer_left'
 where d.revoked_at is null and not private.may_pair_devices(d.clinic_id, d.paired_by);
