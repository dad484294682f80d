-- Session 18 (fix18), attack review finding 2 (MEDIUM): an admin's API keys kept working after that admin left.
-- Ada created create_api_key {p_scopes:['admin']}; the owner deleted her clinic_members row; her own token got
-- PT403 but her key still answered /v1/clinics/<id>/webhooks, /messages, /queue with 200 (a key acts through its
-- own member, not its creator's), and list_api_keys did not say who made a key. Rules now:
--
--   K1 "a key lives no longer than its creator's right to make it": creating a key needs an active owner/admin of
--      the clinic (require_human_admin), so when the creator's membership of that clinic is deleted, deactivated or
--      demoted below admin (or moved to another clinic/user), a trigger on clinic_members revokes every key that
--      person created there, the way revoke_api_key does (revoked_at, the key's member deactivated).
--      api_key_authenticate also answers null for a key whose creator is no longer an active owner/admin of the
--      key's clinic (an account deleted outright leaves created_by null): the gateway answers 401 at once, even
--      for a path that escaped the trigger.
--   K2 keys made by someone who already left are revoked by this migration.
--   K3 list_api_keys names the creator (created_by, created_by_name — the member's display name in that clinic,
--      null when the account is gone) so the Admin API keys tab shows it.
--
-- Redefined from their newest bodies: public.list_api_keys, public.api_key_authenticate (20261201007001).

-- an active owner/admin of the clinic (the right create_api_key asks for)
create function private.may_hold_api_keys(p_clinic uuid, p_user uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select p_user is not null and exists (
    select 1 from public.clinic_members m
     where m.clinic_id = p_clinic and m.user_id = p_user and m.active and m.role in ('owner', 'admin'))
$$;
revoke all on function private.may_hold_api_keys(uuid, uuid) from public;

create function private.revoke_api_keys_of(p_clinic uuid, p_user uuid) returns void
language plpgsql
security definer
set search_path = ''
as $function$
begin
  with gone as (
    update public.api_keys k set revoked_at = private.now()
     where k.clinic_id = p_clinic and k.created_by = p_user and k.revoked_at is null
    returning k.member_id)
  update public.clinic_members m set active = false
    from gone where m.id = gone.member_id and m.active;
end
$function$;
revoke all on function private.revoke_api_keys_of(uuid, uuid) from public;

create function private.api_keys_revoke_with_creator() returns trigger
language plpgsql
security definer
set search_path = ''
as $function$
begin
  if tg_op = 'DELETE' or old.active <> new.active or old.role <> new.role
     or new.clinic_id <> old.clinic_id or new.user_id <> old.user_id then
    if not private.may_hold_api_keys(old.clinic_id, old.user_id) then
      perform private.revoke_api_keys_of(old.clinic_id, old.user_id);
    end if;
  end if;
  return null;
end
$function$;
revoke all on function private.api_keys_revoke_with_creator() from public;

create trigger api_keys_revoke_with_creator after update or delete on public.clinic_members
  for each row execute function private.api_keys_revoke_with_creator();

-- K2: keys whose creator already left (or whose account is gone)
with gone as (
  update public.api_keys k set revoked_at = private.now()
   where k.revoked_at is null and not private.may_hold_api_keys(k.clinic_id, k.created_by)
  returning k.member_id)
update public.clinic_members m set active = false from gone where m.id = gone.member_id and m.active;

-- K3
create or replace function public.list_api_keys(p_clinic_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_human_admin(p_clinic_id);
  return coalesce((
    select jsonb_agg(jsonb_build_object(
      'id', k.id, 'name', k.name, 'key_prefix', k.key_prefix, 'scopes', to_jsonb(k.scopes),
      'rate_limit_per_minute', k.rate_limit_per_minute, 'expires_at', k.expires_at,
      'revoked_at', k.revoked_at, 'last_used_at', k.last_used_at, 'created_at', k.created_at,
      'created_by', k.created_by,
      'created_by_name', (select m.display_name from public.clinic_members m
                           where m.clinic_id = k.clinic_id and m.user_id = k.created_by))
      order by k.created_at desc, k.id)
    from public.api_keys k where k.clinic_id = p_clinic_id), '[]'::jsonb);
end
$$;

-- K1 at the gateway: a key whose creator may no longer make it authenticates nothing
create or replace function public.api_key_authenticate(p_key_hash text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.now();
  v_window timestamptz := date_trunc('minute', v_now);
  v_key public.api_keys;
  v_used integer;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  select * into v_key from public.api_keys k
   where k.key_hash = lower(coalesce(p_key_hash, ''))
     and k.revoked_at is null and (k.expires_at is null or k.expires_at > v_now)
     and private.may_hold_api_keys(k.clinic_id, k.created_by);
  if not found then
    return null;
  end if;
  insert into public.api_key_windows as w (key_id, window_start, used)
  values (v_key.id, v_window, 1)
  on conflict (key_id) do update
     set window_start = excluded.window_start,
         used = case when w.window_start = excluded.window_start then w.used + 1 else 1 end
  returning used into v_used;
  update public.api_keys set last_used_at = v_now where id = v_key.id;
  return jsonb_build_object(
    'key_id', v_key.id, 'clinic_id', v_key.clinic_id, 'user_id', v_key.user_id,
    'scopes', to_jsonb(v_key.scopes), 'limit', v_key.rate_limit_per_minute, 'used', v_used,
    'reset_seconds', greatest(1, ceil(extract(epoch from (v_window + interval '1 minute' - v_now)))::integer));
end
$$;
