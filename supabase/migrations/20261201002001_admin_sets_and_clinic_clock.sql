-- Issue 13: every multi-row admin change is ONE call in one transaction, and clinic time comes from the
-- server. New functions only (the baseline fold of this session owns the existing ones).
--
-- Like set_working_hours: SECURITY INVOKER (the tables' RLS still decides), private.require_admin first
-- (another clinic's admin, a patient, anon → 403 AUTH.FORBIDDEN), every entry checked BEFORE anything is
-- written; a refusal is 422 VALIDATION.FAILED whose detail is JSON {"index": n, "problem": "…"} (plus the
-- entry's "day"/"id" when it has one), and nothing changes.

-- ── Closed dates: the clinic's whole list replaced at once ───────────────────────────────────────────
-- p_dates: [{"day": "YYYY-MM-DD", "reason": text|null}], at most 400 entries, no day twice.
-- problems: "format" (not an object / not a real date / reason > 200 chars), "duplicate".
create function public.set_closed_dates(p_clinic_id uuid, p_dates jsonb)
returns void
language plpgsql
security invoker
set search_path = ''
as $$
declare
  r record;
  v_day date;
  v_seen date[] := '{}';
begin
  perform private.require_admin(p_clinic_id);
  if p_dates is null or jsonb_typeof(p_dates) <> 'array' or jsonb_array_length(p_dates) > 400 then
    perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"format"}');
  end if;
  for r in select value as v, ordinality - 1 as idx from jsonb_array_elements(p_dates) with ordinality loop
    if jsonb_typeof(r.v) <> 'object'
       or coalesce(r.v ->> 'day', '') !~ '^\d{4}-\d{2}-\d{2}$'
       or (r.v ? 'reason' and jsonb_typeof(r.v -> 'reason') not in ('string', 'null'))
       or char_length(coalesce(r.v ->> 'reason', '')) > 200 then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'problem', 'format')::text);
    end if;
    begin
      v_day := (r.v ->> 'day')::date;
    exception when others then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'day', r.v ->> 'day', 'problem', 'format')::text);
    end;
    if to_char(v_day, 'YYYY-MM-DD') <> r.v ->> 'day' then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'day', r.v ->> 'day', 'problem', 'format')::text);
    end if;
    if v_day = any (v_seen) then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'day', r.v ->> 'day', 'problem', 'duplicate')::text);
    end if;
    v_seen := v_seen || v_day;
  end loop;

  delete from public.closed_dates where clinic_id = p_clinic_id;
  insert into public.closed_dates (clinic_id, day, reason)
  select p_clinic_id, (o ->> 'day')::date, nullif(btrim(o ->> 'reason'), '')
  from jsonb_array_elements(p_dates) o;
end
$$;

-- ── Visit types: the clinic's list saved at once ─────────────────────────────────────────────────────
-- p_types: [{"id": uuid|null, "name": text, "duration_minutes": 5–480, "active": bool}]. An entry with an
-- id updates that type (it must be this clinic's); without one it is created. A type of the clinic that
-- the list leaves out is deactivated, never deleted (visits refer to it). Returns the saved ids in order.
-- problems: "format", "duration", "name", "duplicate" (two entries with one name), "unknown" (an id that
-- is not this clinic's type).
create function public.set_appointment_types(p_clinic_id uuid, p_types jsonb)
returns uuid[]
language plpgsql
security invoker
set search_path = ''
as $$
declare
  r record;
  v_names text[] := '{}';
  v_ids uuid[] := '{}';
  v_id uuid;
  v_out uuid[] := '{}';
begin
  perform private.require_admin(p_clinic_id);
  if p_types is null or jsonb_typeof(p_types) <> 'array' or jsonb_array_length(p_types) > 100 then
    perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"format"}');
  end if;
  for r in select value as v, ordinality - 1 as idx from jsonb_array_elements(p_types) with ordinality loop
    if jsonb_typeof(r.v) <> 'object'
       or (r.v ? 'id' and jsonb_typeof(r.v -> 'id') <> 'null'
           and coalesce(r.v ->> 'id', '') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
       or (r.v ? 'active' and jsonb_typeof(r.v -> 'active') <> 'boolean') then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'problem', 'format')::text);
    end if;
    if jsonb_typeof(r.v -> 'name') <> 'string' or char_length(btrim(r.v ->> 'name')) not between 1 and 120 then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'problem', 'name')::text);
    end if;
    if jsonb_typeof(r.v -> 'duration_minutes') <> 'number'
       or (r.v ->> 'duration_minutes') !~ '^\d{1,3}$'
       or (r.v ->> 'duration_minutes')::int not between 5 and 480 then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'problem', 'duration')::text);
    end if;
    if lower(btrim(r.v ->> 'name')) = any (v_names) then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'problem', 'duplicate')::text);
    end if;
    v_names := v_names || lower(btrim(r.v ->> 'name'));
    if jsonb_typeof(r.v -> 'id') = 'string' then
      if (r.v ->> 'id')::uuid = any (v_ids) or not exists (
        select 1 from public.appointment_types t where t.id = (r.v ->> 'id')::uuid and t.clinic_id = p_clinic_id) then
        perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
          'index', r.idx, 'id', r.v ->> 'id', 'problem', 'unknown')::text);
      end if;
      v_ids := v_ids || (r.v ->> 'id')::uuid;
    end if;
  end loop;

  -- names are unique per clinic: free the names first so two types may swap theirs
  update public.appointment_types t set name = t.id::text
  where t.clinic_id = p_clinic_id and t.id = any (v_ids);
  update public.appointment_types t set active = false
  where t.clinic_id = p_clinic_id and not (t.id = any (v_ids)) and t.active;
  for r in select value as v from jsonb_array_elements(p_types) loop
    if jsonb_typeof(r.v -> 'id') = 'string' then
      update public.appointment_types t
      set name = btrim(r.v ->> 'name'), duration_minutes = (r.v ->> 'duration_minutes')::int,
          active = coalesce((r.v ->> 'active')::boolean, true)
      where t.id = (r.v ->> 'id')::uuid and t.clinic_id = p_clinic_id
      returning t.id into v_id;
    else
      -- a left-out type may hold the name: it was deactivated above, take its row back instead
      update public.appointment_types t
      set duration_minutes = (r.v ->> 'duration_minutes')::int,
          active = coalesce((r.v ->> 'active')::boolean, true)
      where t.clinic_id = p_clinic_id and t.name = btrim(r.v ->> 'name')
      returning t.id into v_id;
      if v_id is null then
        insert into public.appointment_types (clinic_id, name, duration_minutes, active)
        values (p_clinic_id, btrim(r.v ->> 'name'), (r.v ->> 'duration_minutes')::int,
                coalesce((r.v ->> 'active')::boolean, true))
        returning id into v_id;
      end if;
    end if;
    if v_id is null then
      perform private.raise_error(403, 'AUTH.FORBIDDEN', 'owner or admin only');
    end if;
    v_out := v_out || v_id;
    v_id := null;
  end loop;
  return v_out;
end
$$;

-- ── Team: several members' role / room / active changed at once ─────────────────────────────────────
-- p_changes: [{"member_id": uuid, "role"?: owner|admin|practitioner|receptionist, "room"?: text|null,
-- "active"?: bool}] — only the given keys change. problems: "format", "role", "room", "unknown" (not a
-- member of this clinic), "duplicate". Only an owner touches an owner or makes one (RLS: the row is not
-- updated → 403 AUTH.FORBIDDEN, nothing changed); the last active owner stays (409, trigger).
create function public.set_team(p_clinic_id uuid, p_changes jsonb)
returns void
language plpgsql
security invoker
set search_path = ''
as $$
declare
  r record;
  v_ids uuid[] := '{}';
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

  for r in select value as v from jsonb_array_elements(p_changes) loop
    update public.clinic_members m
    set role = case when r.v ? 'role' then (r.v ->> 'role')::public.member_role else m.role end,
        room = case when r.v ? 'room' then nullif(btrim(r.v ->> 'room'), '') else m.room end,
        active = case when r.v ? 'active' then (r.v ->> 'active')::boolean else m.active end
    where m.id = (r.v ->> 'member_id')::uuid and m.clinic_id = p_clinic_id;
    get diagnostics v_n = row_count;
    if v_n = 0 then
      -- RLS hid the row from this caller (an admin touching an owner): refuse the whole change
      perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only an owner changes an owner');
    end if;
  end loop;
end
$$;

-- ── Clinic time, computed by Postgres (whose tz database is right) ──────────────────────────────────
-- {"time_zone": IANA name, "now": the server's instant (private.now(), pinnable in tests), "today": the
--  clinic's local date, "offsets": [{"from": instant, "offset_minutes": n}, …]} where each offset applies
-- from its instant until the next one; the first starts at local midnight of p_from (default: today) and
-- the list covers through the end of p_to (default: p_from). At most 62 days. Transitions are found at a
-- 15-minute resolution (every zone in use changes on a quarter hour).
-- Public (anon too): a clinic's zone is already public on its booking page; nothing else is returned.
create function public.get_clinic_clock(p_clinic_id uuid, p_from date default null, p_to date default null)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_tz text;
  v_now timestamptz := private.now();
  v_today date;
  v_from date;
  v_to date;
  v_start timestamptz;
  v_end timestamptz;
  v_offsets jsonb;
begin
  select c.time_zone into v_tz from public.clinics c where c.id = p_clinic_id;
  if v_tz is null then
    perform private.raise_error(404, 'NOT_FOUND', 'no such clinic');
  end if;
  v_today := (v_now at time zone v_tz)::date;
  v_from := coalesce(p_from, v_today);
  v_to := coalesce(p_to, v_from);
  if v_to < v_from or v_to - v_from > 62 or abs(v_from - v_today) > 3660 then
    perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"range"}');
  end if;
  -- a little before local midnight of p_from (whatever its offset) through a little after p_to's end
  v_start := (v_from::timestamp at time zone 'UTC') - interval '15 hours';
  v_end := ((v_to + 1)::timestamp at time zone 'UTC') + interval '15 hours';
  with samples as (
    select t, extract(epoch from ((t at time zone v_tz) - (t at time zone 'UTC')))::int / 60 as off
    from generate_series(v_start, v_end, interval '15 minutes') t
  ), changes as (
    select t, off, lag(off) over (order by t) as prev from samples
  )
  select jsonb_agg(jsonb_build_object('from', t, 'offset_minutes', off) order by t) into v_offsets
  from changes where prev is null or prev <> off;
  return jsonb_build_object('time_zone', v_tz, 'now', v_now, 'today', v_today, 'offsets', v_offsets);
end
$$;

revoke execute on function public.set_closed_dates(uuid, jsonb) from public, anon;
revoke execute on function public.set_appointment_types(uuid, jsonb) from public, anon;
revoke execute on function public.set_team(uuid, jsonb) from public, anon;
revoke execute on function public.get_clinic_clock(uuid, date, date) from public;
grant execute on function public.set_closed_dates(uuid, jsonb) to authenticated, service_role;
grant execute on function public.set_appointment_types(uuid, jsonb) to authenticated, service_role;
grant execute on function public.set_team(uuid, jsonb) to authenticated, service_role;
grant execute on function public.get_clinic_clock(uuid, date, date) to anon, authenticated, service_role;
