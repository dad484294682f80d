-- Session 19 (hours19), issue 17 "Per-doctor hours and leave", part 2: a doctor's own weekly hours.
--
-- public.practitioner_hours: optional per doctor. None = the doctor works the clinic's hours (as before). Once a
-- doctor has rows, they ARE the doctor's week: a weekday without a row is a day the doctor does not work. Rules
-- (docs/domain-rules.md H4–H5):
--   H4  The doctor is offered, and booked into, only slots that lie wholly inside one of their own ranges of that
--       weekday (get_free_slots with p_practitioner_id; every insert or change of doctor on a visit with a time:
--       409 PRACTITIONER.OFF_HOURS) — through private.practitioner_available, the one helper the leave uses too.
--   H5  Each range lies within ONE of the clinic's ranges of that weekday (a doctor's 12:00–16:00 across the
--       clinic's 13:00–15:00 break is refused): HOURS.INVALID `{ weekday, index, problem: 'outside' }`, as
--       set_working_hours names format/order/overlap problems. Only the clinic's owner/admin writes them
--       (set_practitioner_hours, the week replaced in one transaction); the clinic's staff read them (RLS).
-- If the clinic later narrows its own hours, slots still come from the clinic's hours first (private.day_slots), so
-- the doctor is never offered a time the clinic is closed.
--
-- No public function is redefined here; private.practitioner_available (20261219500001) is.

create table public.practitioner_hours (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  practitioner_id uuid not null references public.clinic_members (id) on delete cascade,
  weekday smallint not null check (weekday between 0 and 6), -- 0 = Sunday, as extract(dow)
  starts_at time not null,
  ends_at time not null,
  constraint practitioner_hours_interval check (starts_at < ends_at)
);
create index practitioner_hours_doctor_idx on public.practitioner_hours (practitioner_id, weekday, starts_at);
create index practitioner_hours_clinic_idx on public.practitioner_hours (clinic_id);

alter table public.practitioner_hours enable row level security;
create policy practitioner_hours_staff_select on public.practitioner_hours for select to authenticated
  using (private.is_clinic_staff(clinic_id));
revoke all on public.practitioner_hours from public, anon, authenticated;
grant select on public.practitioner_hours to authenticated;
grant all on public.practitioner_hours to service_role;

-- H2 + H4: not on leave that day, and inside the doctor's own hours when they have any.
create or replace function private.practitioner_available(p_practitioner_id uuid, p_start timestamptz, p_end timestamptz)
returns boolean
language sql stable
set search_path = ''
as $$
  select not private.practitioner_on_leave(p_practitioner_id, (p_start at time zone c.time_zone)::date)
     and (not exists (select 1 from public.practitioner_hours h where h.practitioner_id = p_practitioner_id)
          or ((p_end at time zone c.time_zone)::date = (p_start at time zone c.time_zone)::date
              and exists (select 1 from public.practitioner_hours h
                           where h.practitioner_id = p_practitioner_id
                             and h.weekday = extract(dow from (p_start at time zone c.time_zone))
                             and h.starts_at <= (p_start at time zone c.time_zone)::time
                             and (p_end at time zone c.time_zone)::time <= h.ends_at)))
    from public.clinic_members m join public.clinics c on c.id = m.clinic_id
   where m.id = p_practitioner_id
$$;

create function public.set_practitioner_hours(p_clinic_id uuid, p_practitioner_id uuid, p_hours jsonb)
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
  perform 1 from public.clinic_members where id = p_practitioner_id for update;
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

revoke all on function private.practitioner_available(uuid, timestamptz, timestamptz) from public, anon, authenticated;
revoke execute on function public.set_practitioner_hours(uuid, uuid, jsonb) from public, anon, authenticated;
grant execute on function public.set_practitioner_hours(uuid, uuid, jsonb) to authenticated, service_role;
