-- Session 19 (lead), from the merged-diff review: H4 "a weekday without a row of the doctor's own hours is a day the
-- doctor does not work" held only for visits with a time. A walk-in at the desk or a fluid place (no slot) naming
-- the doctor on such a day was accepted, while the estimator leaves that doctor out of the day's pool — the patient
-- waited in a line nobody serves. A new visit without a time (or a scheduled one getting the doctor) is now refused
-- PRACTITIONER.OFF_HOURS on a weekday the doctor does not work; visits under way still move freely (20261219800002).
-- Body of 20261219800002's trigger function + the timeless branch.
create function private.practitioner_works_day(p_practitioner_id uuid, p_day date) returns boolean
language sql stable
set search_path = ''
as $$
  select not exists (select 1 from public.practitioner_hours h where h.practitioner_id = p_practitioner_id)
      or exists (select 1 from public.practitioner_hours h
                  where h.practitioner_id = p_practitioner_id and h.weekday = extract(dow from p_day))
$$;
revoke all on function private.practitioner_works_day(uuid, date) from public, anon, authenticated;

create or replace function private.queue_entries_practitioner_available() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_day date;
begin
  if new.practitioner_id is null or new.status in ('completed', 'cancelled', 'no_show')
     or (tg_op = 'UPDATE' and new.practitioner_id is not distinct from old.practitioner_id) then
    return new;
  end if;
  select q.day into v_day from public.queues q where q.id = new.queue_id;
  if private.practitioner_on_leave(new.practitioner_id, v_day) then
    perform private.raise_error(409, 'PRACTITIONER.ON_LEAVE', 'this doctor is on leave that day');
  end if;
  if tg_op = 'INSERT' or new.status = 'scheduled' then
    if new.slot_start is not null
       and not private.practitioner_available(new.practitioner_id, new.slot_start, coalesce(new.slot_end, new.slot_start)) then
      perform private.raise_error(409, 'PRACTITIONER.OFF_HOURS', 'this doctor does not work at that time');
    end if;
    if new.slot_start is null and not private.practitioner_works_day(new.practitioner_id, v_day) then
      perform private.raise_error(409, 'PRACTITIONER.OFF_HOURS', 'this doctor does not work that day');
    end if;
  end if;
  return new;
end
$$;
revoke all on function private.queue_entries_practitioner_available() from public, anon, authenticated;
