-- Issue 13: set_team judges the team's FINAL state, not each row in the order given.
-- Before: the changes were applied one UPDATE at a time in the caller's order, and both the last-owner trigger
-- and the clinic_members RLS policy looked at the half-applied team: "step down, then promote B" was refused
-- (409: for a moment nobody was owner) while "promote B, then step down" was accepted; an owner who listed
-- their own step-down before another owner row lost the right to touch it mid-call (403).
-- Now, in one transaction:
--   1. the format of every change is checked (422 VALIDATION.FAILED with index/id/problem, as before);
--   2. the authority is judged ONCE against the team as it was when the call began: only an owner (or the
--      service role) touches an owner row or makes someone owner — else 403 AUTH.FORBIDDEN, nothing changed
--      (before: an admin naming a new owner hit the RLS check and got a raw 42501, not a coded error);
--   3. the final team (every member with the changes laid over) must keep an active owner — else
--      409 VALIDATION.FAILED 'a clinic needs at least one owner', the trigger's own code and message;
--   4. the changes are applied in an order that can't trip the per-row guards, which stay in force as a
--      safety net: whoever ends up an active owner first, then the other members, the caller's own row last
--      (so the caller is still who they were for every other row). With (3) holding, some final active owner
--      is present at every step, so the last-owner trigger never fires; with (2) holding, RLS never hides a row.
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

  -- (3) the final team keeps an active owner (read as the caller: staff see every colleague)
  if not exists (
    select 1
    from public.clinic_members m
    left join jsonb_array_elements(p_changes) c(v) on (c.v ->> 'member_id')::uuid = m.id
    where m.clinic_id = p_clinic_id
      and case when c.v ? 'role' then c.v ->> 'role' else m.role::text end = 'owner'
      and case when c.v ? 'active' then (c.v ->> 'active')::boolean else m.active end
  ) then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'a clinic needs at least one owner');
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
