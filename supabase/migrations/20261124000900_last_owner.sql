-- A clinic always keeps at least one active owner: the last one cannot be removed, demoted or
-- deactivated (transfer ownership first). Deleting the clinic itself still cascades.
create function private.clinic_members_keep_owner() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.role = 'owner' and old.active
     and (tg_op = 'DELETE' or new.role <> 'owner' or not new.active)
     and exists (select 1 from public.clinics c where c.id = old.clinic_id)
     and not exists (select 1 from public.clinic_members m
                     where m.clinic_id = old.clinic_id and m.id <> old.id and m.role = 'owner' and m.active) then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'a clinic needs at least one owner');
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end
$$;
create trigger clinic_members_keep_owner before update or delete on public.clinic_members
  for each row execute function private.clinic_members_keep_owner();

revoke all on all functions in schema private from public;
grant execute on all functions in schema private to anon, authenticated, service_role;
