-- sec21 (finding 2): the checks behind every board and kiosk key lookup are PL/pgSQL, like the 14 hot helpers of
-- 20261220600001 (issue 12). `private.may_pair_devices` is `language sql` + security definer and
-- `private.paired_device` `language sql` + a pinned search_path: neither is ever inlined, so PostgreSQL parsed and
-- planned both bodies again for every statement that called them — each board poll (get_board → paired_device →
-- may_pair_devices) and each kiosk call (kiosk_device → paired_device). A PL/pgSQL body's statements are prepared
-- once per connection and reused.
--
-- Same names, signatures, volatility, security and search_path (every caller, trigger and grant is unchanged;
-- `create or replace` keeps owner and grants — privateSchemaGrants.test); each body is its newest definition's:
--   private.may_pair_devices — 20261220800003_devices_leave_with_pairer.sql (its only definition; 20261220990002
--                              calls it, does not redefine it)
--   private.paired_device    — 20261220800003_devices_leave_with_pairer.sql (newest; first 20261217100001)
-- paired_device's callers (kiosk_device, get_board) read `.id is not null`: a PL/pgSQL row left empty by a miss
-- answers that exactly as the SQL function's null did (supabase/tests/hotChecksPlpgsql.test.ts).

create or replace function private.may_pair_devices(p_clinic uuid, p_user uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return p_user is not null and exists (
    select 1 from public.clinic_members m
     where m.clinic_id = p_clinic and m.user_id = p_user and m.active
       and m.role in ('owner', 'admin', 'receptionist'));
end
$$;
revoke all on function private.may_pair_devices(uuid, uuid) from public, anon, authenticated;

create or replace function private.paired_device(p_token text, p_kind text) returns public.kiosk_devices
language plpgsql stable
set search_path = ''
as $$
declare
  v_device public.kiosk_devices;
begin
  if p_token is null or char_length(p_token) not between 32 and 200 then
    return null;
  end if;
  select d.* into v_device from public.kiosk_devices d
   where d.token_hash = private.hash_token(p_token) and d.kind = p_kind and d.revoked_at is null
     and private.may_pair_devices(d.clinic_id, d.paired_by);
  if not found then
    return null;
  end if;
  return v_device;
end
$$;
revoke execute on function private.paired_device(text, text) from public;
