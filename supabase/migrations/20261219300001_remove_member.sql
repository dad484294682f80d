-- Session 19 (team19), issue 17: removing a team member is one database function with coded refusals.
-- Before: the team screen deleted the row through REST (DELETE /rest/v1/clinic_members?id=eq.<id>). A member who
-- had seen or been assigned patients hit the queue_entries foreign keys (a raw 23503 shown as "invalid input"),
-- a member named in the reports' summaries (private.report_visit_cells, no foreign key) was silently deleted and
-- their rows in the reports lost their name, and the last owner got the trigger's generic VALIDATION.FAILED.
--
-- public.remove_member(p_member_id) → void. SECURITY DEFINER; it checks its own rules, in this order:
--   404 NOT_FOUND          no such member (or a malformed id);
--   403 AUTH.FORBIDDEN     the caller is not an owner/admin of the member's clinic (another clinic's owner, a
--                          patient, a signed-out caller has no EXECUTE), or the member is an owner and the caller
--                          is not one ("only an owner can remove another owner", DOMAIN.md);
--   409 MEMBER.LAST_OWNER  the member is the clinic's last active owner (transfer ownership first);
--   409 MEMBER.HAS_HISTORY the member has visits (assigned or served) or report rows: their name must stay on
--                          that history, so they are deactivated instead (set_team active = false).
-- The clinic's owner rows are locked first, so two owners removing each other at once cannot both succeed.
-- The row goes only through this function: clients lose DELETE on clinic_members (the service role keeps it;
-- deleting a clinic still cascades). The triggers on the row (clinic_members_keep_owner, the inviter's
-- invitations revoked, the member's API keys) stay in force.

create function public.remove_member(p_member_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_member public.clinic_members;
begin
  select * into v_member from public.clinic_members where id = p_member_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'member not found');
  end if;
  perform private.require_admin(v_member.clinic_id);
  if v_member.role = 'owner' and not (private.is_service() or private.is_clinic_owner(v_member.clinic_id)) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only an owner can remove an owner');
  end if;
  -- the owners of the clinic, locked in one order: a concurrent removal or demotion waits, then sees this one
  perform 1 from public.clinic_members m
   where m.clinic_id = v_member.clinic_id and m.role = 'owner'
   order by m.id
   for update;
  select * into v_member from public.clinic_members where id = p_member_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'member not found');
  end if;
  if v_member.role = 'owner' and v_member.active
     and not exists (select 1 from public.clinic_members m
                      where m.clinic_id = v_member.clinic_id and m.id <> v_member.id
                        and m.role = 'owner' and m.active) then
    perform private.raise_error(409, 'MEMBER.LAST_OWNER', 'a clinic needs at least one active owner');
  end if;
  if exists (select 1 from public.queue_entries e
              where e.clinic_id = v_member.clinic_id
                and (e.practitioner_id = v_member.id or e.served_by = v_member.id))
     or exists (select 1 from private.report_visit_cells c
                 where c.clinic_id = v_member.clinic_id and c.practitioner_id = v_member.id) then
    perform private.raise_error(409, 'MEMBER.HAS_HISTORY',
      'this member has visits on record; deactivate them instead');
  end if;
  delete from public.clinic_members where id = v_member.id;
end
$$;

revoke execute on function public.remove_member(uuid) from public, anon;
grant execute on function public.remove_member(uuid) to authenticated, service_role;

-- the one way a client removes a member is remove_member
drop policy clinic_members_delete on public.clinic_members;
revoke delete on public.clinic_members from anon, authenticated;
