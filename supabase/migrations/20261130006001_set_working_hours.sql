-- Working hours are replaced in ONE call, in one transaction: every range is checked first (HH:mm, ends
-- after it starts, no overlap on its day), and only then are the old rows swapped for the new ones. One
-- invalid range (Saturday 09:00–08:00) used to erase the whole week: the app deleted every row, then its
-- insert failed. Now the refusal is HOURS.INVALID (422) and nothing changes.
--
-- The refusal's detail is JSON naming the range: {"weekday": 0–6 (0 = Sunday), "index": n (0-based, in
-- p_hours), "problem": "format" | "order" | "overlap"}, so the UI can say which day and what is wrong.
-- SECURITY INVOKER: the working_hours policies decide who may (owners/admins of the clinic); a caller who
-- is not is refused explicitly instead of replacing nothing.
create or replace function public.set_working_hours(p_clinic_id uuid, p_hours jsonb)
returns void
language plpgsql
security invoker
set search_path = ''
as $$
declare
  r record;
  v_start time;
  v_end time;
  v_rows jsonb := '[]'::jsonb;
begin
  perform private.require_admin(p_clinic_id);
  if p_hours is null or jsonb_typeof(p_hours) <> 'array' or jsonb_array_length(p_hours) > 70 then
    perform private.raise_error(422, 'HOURS.INVALID', '{"problem":"format"}');
  end if;
  for r in select value as v, ordinality - 1 as idx from jsonb_array_elements(p_hours) with ordinality loop
    if jsonb_typeof(r.v) <> 'object'
       or jsonb_typeof(r.v -> 'weekday') <> 'number'
       or (r.v ->> 'weekday') !~ '^[0-6]$'
       or coalesce(r.v ->> 'starts_at', '') !~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'
       or coalesce(r.v ->> 'ends_at', '') !~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' then
      perform private.raise_error(422, 'HOURS.INVALID', json_build_object(
        'weekday', case when (r.v ->> 'weekday') ~ '^[0-6]$' then (r.v ->> 'weekday')::int end,
        'index', r.idx, 'problem', 'format')::text);
    end if;
    v_start := (r.v ->> 'starts_at')::time;
    v_end := (r.v ->> 'ends_at')::time;
    if v_end <= v_start then
      perform private.raise_error(422, 'HOURS.INVALID', json_build_object(
        'weekday', (r.v ->> 'weekday')::int, 'index', r.idx, 'problem', 'order')::text);
    end if;
    if exists (
      select 1 from jsonb_array_elements(v_rows) o
      where (o ->> 'weekday')::int = (r.v ->> 'weekday')::int
        and (o ->> 'starts_at')::time < v_end and v_start < (o ->> 'ends_at')::time) then
      perform private.raise_error(422, 'HOURS.INVALID', json_build_object(
        'weekday', (r.v ->> 'weekday')::int, 'index', r.idx, 'problem', 'overlap')::text);
    end if;
    v_rows := v_rows || jsonb_build_array(jsonb_build_object(
      'weekday', (r.v ->> 'weekday')::int, 'starts_at', v_start::text, 'ends_at', v_end::text));
  end loop;

  delete from public.working_hours where clinic_id = p_clinic_id;
  insert into public.working_hours (clinic_id, weekday, starts_at, ends_at)
  select p_clinic_id, (o ->> 'weekday')::smallint, (o ->> 'starts_at')::time, (o ->> 'ends_at')::time
  from jsonb_array_elements(v_rows) o;
end
$$;

revoke execute on function public.set_working_hours(uuid, jsonb) from public, anon;
grant execute on function public.set_working_hours(uuid, jsonb) to authenticated, service_role;
