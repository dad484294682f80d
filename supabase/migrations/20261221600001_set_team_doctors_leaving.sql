-- Session 21 (feat21b), issue 17 leftovers: DR3 "deactivating a doctor says what is left" meant the doctors who stop
-- being bookable (docs/domain-rules.md DR1: an active practitioner or owner), but set_team's future_visits counted
-- only members whose role WAS practitioner and then changed or were deactivated: a practitioner promoted to owner
-- (still a doctor, still taking bookings) was counted as leaving, and a deactivated co-owner with booked visits was
-- not counted at all. Now: a member is leaving when they are a bookable doctor before this call and not after it.
--
-- Redefined from its newest body: public.set_team (20261220900001_doctor_meaning_l1_l7_leaks.sql).

create or replace function public.set_team(p_clinic_id uuid, p_changes jsonb)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  r record;
  v_ids uuid[] := '{}';
  v_owner boolean;
  v_n integer;
  v_leaving uuid[];
  v_visits integer;
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

  -- DR3 (feat21b): the members this call takes out of service — bookable doctors now (private.is_bookable_doctor's
  -- rule, inlined: that helper is not granted to the invoker) who are not in the final team (deactivated, or moved
  -- to a role that is no doctor's). A practitioner made owner stays a doctor; a deactivated co-owner leaves. Judged
  -- on the rows as they are and the changes asked, before they are applied (as (3) judges the final team).
  select coalesce(array_agg(m.id), '{}') into v_leaving
    from jsonb_array_elements(p_changes) c(v)
    join public.clinic_members m on m.id = (c.v ->> 'member_id')::uuid and m.clinic_id = p_clinic_id
   where m.active and m.role in ('practitioner', 'owner')
     and not (case when c.v ? 'active' then (c.v ->> 'active')::boolean else m.active end
              and case when c.v ? 'role' then c.v ->> 'role' else m.role::text end in ('practitioner', 'owner'));

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
  select count(*)::integer into v_visits
    from public.queue_entries e join public.queues q on q.id = e.queue_id
    join public.clinics c on c.id = e.clinic_id
   where e.clinic_id = p_clinic_id and e.practitioner_id = any (v_leaving)
     and q.day >= private.clinic_today(c.time_zone)
     and e.status in ('scheduled', 'waiting', 'called', 'in_service', 'absent');
  return jsonb_build_object('future_visits', v_visits);
end
$$;

revoke execute on function public.set_team(uuid, jsonb) from public, anon;
grant execute on function public.set_team(uuid, jsonb) to authenticated, service_role;
