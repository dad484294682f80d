-- Session 19 (lead), from the merged-diff review of hours19 × types19 × team19:
--
-- 1. A visit already under way today (waiting, called, absent…) moved to another doctor is checked against that
--    doctor's leave only, not against their own hours at the visit's BOOKED time: a 09:00 patient still waiting at
--    12:30 could not be transferred to a doctor whose hours start at 12:00, though that doctor was working (types19's
--    rule likewise lets staff move a visit under way). A new visit, or a scheduled booking getting a doctor, is
--    still checked against the doctor's hours at its slot. Body of 20261219500001's trigger function + that one
--    condition.
-- 2. A removed member leaves the visit types' doctor lists (appointment_types.practitioner_ids): a type whose only
--    listed doctor was removed refused every booking naming a doctor (BOOKING.PRACTITIONER_NOT_OFFERED). The id is
--    taken out; a list left empty becomes null — every doctor offers the type again, the default an owner sees in
--    the types tab — rather than a type no one can be booked with.
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
  if new.slot_start is not null and (tg_op = 'INSERT' or new.status = 'scheduled')
     and not private.practitioner_available(new.practitioner_id, new.slot_start, coalesce(new.slot_end, new.slot_start)) then
    perform private.raise_error(409, 'PRACTITIONER.OFF_HOURS', 'this doctor does not work at that time');
  end if;
  return new;
end
$$;
revoke all on function private.queue_entries_practitioner_available() from public, anon, authenticated;

create function private.clinic_members_leave_type_lists() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.appointment_types t
     set practitioner_ids = nullif(array_remove(t.practitioner_ids, old.id), '{}'::uuid[])
   where t.clinic_id = old.clinic_id and old.id = any (t.practitioner_ids);
  return old;
end
$$;
revoke all on function private.clinic_members_leave_type_lists() from public, anon, authenticated;
create trigger clinic_members_leave_type_lists after delete on public.clinic_members
  for each row execute function private.clinic_members_leave_type_lists();
