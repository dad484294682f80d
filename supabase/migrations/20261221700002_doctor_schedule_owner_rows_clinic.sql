-- sec21 (finding 4): the owner-rows trigger on practitioner_leave / practitioner_hours judges the doctor IN THE
-- ROW'S CLINIC. Its body (20261220900001, the only definition) asked whether the row's member id is an owner in any
-- clinic, and then whether the caller owns the row's clinic — so a row of clinic A naming clinic B's owner (a
-- member id of another clinic) was accepted from A's owner, and would have counted as B's owner's leave wherever
-- leave is looked up by doctor alone; and an UPDATE was judged only on its new row, so moving an owner's leave onto
-- another doctor passed for an admin. The RPCs (set_practitioner_leave/_hours, delete_practitioner_leave) check
-- the doctor belongs to the clinic before they write, so no API call reached this; the trigger is the rule for
-- EVERY writer (L4), and now holds it on its own:
--   * insert/update: the row's doctor must be a member of the row's clinic (404 NOT_FOUND, as require_bookable_doctor);
--     an owner's row only by an owner of that clinic (403 AUTH.FORBIDDEN, unchanged);
--   * update/delete: the row as it was, too — an owner's row of that clinic only by one of its owners. A row whose
--     doctor is gone (the member's delete cascades here) or belongs elsewhere binds nobody on delete.
-- The person's roles in other clinics never count: an owner of clinic A who is an admin of B is an admin in B.
-- Callers without a user (the server's own writes, the service role) stay unchecked, as before.

create or replace function private.doctor_schedule_owner_rows() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_role public.member_role;
begin
  if auth.uid() is null or private.is_service() then
    if tg_op = 'DELETE' then
      return old;
    end if;
    return new;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    if exists (select 1 from public.clinic_members m
                where m.id = old.practitioner_id and m.clinic_id = old.clinic_id and m.role = 'owner')
       and not private.is_clinic_owner(old.clinic_id) then
      perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only an owner changes an owner''s leave or hours');
    end if;
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  select m.role into v_role from public.clinic_members m
   where m.id = new.practitioner_id and m.clinic_id = new.clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'practitioner not found in this clinic');
  end if;
  if v_role = 'owner' and not private.is_clinic_owner(new.clinic_id) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only an owner changes an owner''s leave or hours');
  end if;
  return new;
end
$$;
revoke all on function private.doctor_schedule_owner_rows() from public, anon, authenticated;
