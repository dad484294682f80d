-- Session 19 (team19), issue 17: the last active owner's refusal has its own code, MEMBER.LAST_OWNER (409).
-- Before: set_team (demote or deactivate the last owner, 20261205100001) and the clinic_members_keep_owner trigger
-- (20261201000400) raised 409 VALIDATION.FAILED, shown to the owner as "some information is missing or invalid";
-- remove_member (20261219300001) already says MEMBER.LAST_OWNER. Same rule, same message text, same status: only
-- the code changes, so the screens say what to do ("make someone else owner first").
-- Redefined from their newest bodies: private.clinic_members_keep_owner (20261201000400) and public.set_team
-- (20261205100001).

create or replace function private.clinic_members_keep_owner() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.role = 'owner' and old.active
     and (tg_op = 'DELETE' or new.role <> 'owner' or not new.active)
     and exists (select 1 from public.clinics c where c.id = old.clinic_id)
     and not exists (select 1 from public.clinic_members m
                     where m.clinic_id = old.clinic_id and m.id <> old.id and m.role = 'owner' and m.active) then
    perform private.raise_error(409, 'MEMBER.LAST_OWNER', 'a clinic needs at least one owner');
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end
$$;

create or replace function public.set_team(p_clinic_id uuid, p_changes jsonb)
returns void
language plpgsql
security invoker
set search_path = ''
as $$
declare
  r record;
  v_ids uuid[] := '{}';
  v_owner boolean;
  v_n integer;
begin
  perform private.require_admin(p_clinic_id);
  if p_changes is null or jsonb_typeof(p_changes) <> 'array' or jsonb_array_length(p_changes) > 200 then
    perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"format"}');
  end if;
  for r in select value as v, ordinality - 1 as idx from jsonb_array_elements(p_changes) with ordinality loop
    if jsonb_typeof(r.v) <> 'object'
       or coalesce(r.v ->> 'member_id', '') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
       or (r.v ? 'active' and jsonb_typeof(r.v -> 'active') <> 'boolean') then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'problem', 'format')::text);
    end if;
    if r.v ? 'role' and coalesce(r.v ->> 'role', '') not in ('owner', 'admin', 'practitioner', 'receptionist') then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'id', r.v ->> 'member_id', 'problem', 'role')::text);
    end if;
    if r.v ? 'room' and (jsonb_typeof(r.v -> 'room') not in ('string', 'null')
                         or char_length(btrim(coalesce(r.v ->> 'room', 'x'))) not between 1 and 40) then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'id', r.v ->> 'member_id', 'problem', 'room')::text);
    end if;
    if (r.v ->> 'member_id')::uuid = any (v_ids) then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'id', r.v ->> 'member_id', 'problem', 'duplicate')::text);
    end if;
    if not exists (select 1 from public.clinic_members m
                   where m.id = (r.v ->> 'member_id')::uuid and m.clinic_id = p_clinic_id) then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'id', r.v ->> 'member_id', 'problem', 'unknown')::text);
    end if;
    v_ids := v_ids || (r.v ->> 'member_id')::uuid;
  end loop;

  -- (2) authority, judged on the team as it was when the call began
  v_owner := private.is_service() or private.is_clinic_owner(p_clinic_id);
  if not v_owner and exists (
    select 1
    from jsonb_array_elements(p_changes) c(v)
    join public.clinic_members m on m.id = (c.v ->> 'member_id')::uuid and m.clinic_id = p_clinic_id
    where m.role = 'owner' or c.v ->> 'role' = 'owner'
  ) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only an owner changes an owner');
  end if;

  -- (3) the final team keeps an active owner (read as the caller: staff see every colleague); team19: its own code
  if not exists (
    select 1
    from public.clinic_members m
    left join jsonb_array_elements(p_changes) c(v) on (c.v ->> 'member_id')::uuid = m.id
    where m.clinic_id = p_clinic_id
      and case when c.v ? 'role' then c.v ->> 'role' else m.role::text end = 'owner'
      and case when c.v ? 'active' then (c.v ->> 'active')::boolean else m.active end
  ) then
    perform private.raise_error(409, 'MEMBER.LAST_OWNER', 'a clinic needs at least one owner');
  end if;

  -- (4) apply: final active owners first, then the others, the caller's own row last
  for r in
    select c.v
    from jsonb_array_elements(p_changes) with ordinality c(v, idx)
    join public.clinic_members m on m.id = (c.v ->> 'member_id')::uuid and m.clinic_id = p_clinic_id
    order by
      m.user_id is not distinct from auth.uid(),
      not (case when c.v ? 'role' then c.v ->> 'role' else m.role::text end = 'owner'
           and case when c.v ? 'active' then (c.v ->> 'active')::boolean else m.active end),
      c.idx
  loop
    update public.clinic_members m
    set role = case when r.v ? 'role' then (r.v ->> 'role')::public.member_role else m.role end,
        room = case when r.v ? 'room' then nullif(btrim(r.v ->> 'room'), '') else m.room end,
        active = case when r.v ? 'active' then (r.v ->> 'active')::boolean else m.active end
    where m.id = (r.v ->> 'member_id')::uuid and m.clinic_id = p_clinic_id;
    get diagnostics v_n = row_count;
    if v_n = 0 then
      -- unreachable after (2); kept so a row hidden by RLS can never pass silently
      perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only an owner changes an owner');
    end if;
  end loop;
end
$$;

revoke execute on function public.set_team(uuid, jsonb) from public, anon;
grant execute on function public.set_team(uuid, jsonb) to authenticated, service_role;
