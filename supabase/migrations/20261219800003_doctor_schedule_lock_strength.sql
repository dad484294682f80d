-- Session 19 (lead), from the merged-diff review: saving a doctor's leave or own hours locked the doctor's
-- clinic_members row FOR UPDATE, which conflicts with the FOR KEY SHARE lock every foreign-key check on
-- queue_entries.practitioner_id takes — bookings and queue steps naming that doctor waited behind an admin's save.
-- FOR NO KEY UPDATE still serializes two saves for one doctor (the overlap check needs that) and lets those
-- foreign-key checks through. Bodies of 20261219500001 / 20261219500002 with only the lock strength changed.

create or replace function public.set_practitioner_leave(
  p_clinic_id uuid, p_practitioner_id uuid, p_from_day date, p_to_day date, p_reason text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_reason text := nullif(btrim(coalesce(p_reason, '')), '');
  v_id uuid;
  v_visits integer;
begin
  perform private.require_admin(p_clinic_id);
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  perform private.require_clinic_practitioner(p_clinic_id, p_practitioner_id);
  if p_from_day is null or p_to_day is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_from_day and p_to_day are required');
  end if;
  if p_to_day < p_from_day then
    perform private.raise_error(422, 'LEAVE.INVALID_RANGE', '{"problem":"order"}');
  end if;
  if p_to_day < private.clinic_today(v_clinic.time_zone) then
    perform private.raise_error(422, 'LEAVE.INVALID_RANGE', '{"problem":"past"}');
  end if;
  if p_to_day - p_from_day > 365 then
    perform private.raise_error(422, 'LEAVE.INVALID_RANGE', '{"problem":"length"}');
  end if;
  if v_reason is not null and (char_length(v_reason) > 200 or v_reason ~ '[[:cntrl:]]') then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a reason is at most 200 characters on one line');
  end if;
  -- one doctor's leave is judged one write at a time (two admins adding overlapping ranges at once)
  perform 1 from public.clinic_members where id = p_practitioner_id for no key update;
  if exists (select 1 from public.practitioner_leave l
              where l.practitioner_id = p_practitioner_id
                and l.from_day <= p_to_day and p_from_day <= l.to_day) then
    perform private.raise_error(409, 'LEAVE.OVERLAP', 'this doctor already has leave on some of these days');
  end if;
  insert into public.practitioner_leave (clinic_id, practitioner_id, from_day, to_day, reason, created_by)
  values (p_clinic_id, p_practitioner_id, p_from_day, p_to_day, v_reason, auth.uid())
  returning id into v_id;
  -- the visits already booked with this doctor on those days stay; the admin is told how many to move
  select count(*)::integer into v_visits from public.queue_entries e join public.queues q on q.id = e.queue_id
   where e.practitioner_id = p_practitioner_id and q.day between p_from_day and p_to_day
     and e.status in ('scheduled', 'waiting', 'called', 'in_service', 'absent');
  return jsonb_build_object('id', v_id, 'practitioner_id', p_practitioner_id, 'from_day', p_from_day,
                            'to_day', p_to_day, 'reason', v_reason, 'visits', v_visits);
end
$$;

create or replace function public.set_practitioner_hours(p_clinic_id uuid, p_practitioner_id uuid, p_hours jsonb)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record;
  v_start time;
  v_end time;
  v_day integer;
  v_rows jsonb := '[]'::jsonb;
begin
  perform private.require_admin(p_clinic_id);
  perform private.require_clinic_practitioner(p_clinic_id, p_practitioner_id);
  if p_hours is null or jsonb_typeof(p_hours) <> 'array' or jsonb_array_length(p_hours) > 70 then
    perform private.raise_error(422, 'HOURS.INVALID', '{"problem":"format"}');
  end if;
  -- one doctor's week is replaced one write at a time
  perform 1 from public.clinic_members where id = p_practitioner_id for no key update;
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
    v_day := (r.v ->> 'weekday')::int;
    v_start := (r.v ->> 'starts_at')::time;
    v_end := (r.v ->> 'ends_at')::time;
    if v_end <= v_start then
      perform private.raise_error(422, 'HOURS.INVALID', json_build_object(
        'weekday', v_day, 'index', r.idx, 'problem', 'order')::text);
    end if;
    if exists (
      select 1 from jsonb_array_elements(v_rows) o
      where (o ->> 'weekday')::int = v_day
        and (o ->> 'starts_at')::time < v_end and v_start < (o ->> 'ends_at')::time) then
      perform private.raise_error(422, 'HOURS.INVALID', json_build_object(
        'weekday', v_day, 'index', r.idx, 'problem', 'overlap')::text);
    end if;
    if not exists (select 1 from public.working_hours w
                    where w.clinic_id = p_clinic_id and w.weekday = v_day
                      and w.starts_at <= v_start and v_end <= w.ends_at) then
      perform private.raise_error(422, 'HOURS.INVALID', json_build_object(
        'weekday', v_day, 'index', r.idx, 'problem', 'outside')::text);
    end if;
    v_rows := v_rows || jsonb_build_array(jsonb_build_object(
      'weekday', v_day, 'starts_at', v_start::text, 'ends_at', v_end::text));
  end loop;

  delete from public.practitioner_hours where practitioner_id = p_practitioner_id;
  insert into public.practitioner_hours (clinic_id, practitioner_id, weekday, starts_at, ends_at)
  select p_clinic_id, p_practitioner_id, (o ->> 'weekday')::smallint, (o ->> 'starts_at')::time,
         (o ->> 'ends_at')::time
    from jsonb_array_elements(v_rows) o;
end
$$;
