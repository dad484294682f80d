-- fix20 (review20 L3): appointment_types' rules held only inside set_appointment_types. An admin's direct
-- `PATCH /rest/v1/appointment_types` (the table's RLS lets a clinic's admins write their rows, which the invoker
-- RPC itself relies on) stored another clinic's member id and a random id as a type's doctors —
-- get_public_clinic then published them and bookings naming a real doctor were refused — and names (the RPC too:
-- length check only) took control and bidi characters ("Consultation\u0007\u202E", a names.ar with U+202E and a
-- newline, "Consultation" beside "Consultation"+U+200B). One trigger now holds the rules on every write path:
--   T1 practitioner_ids: every id a write adds (all of them on insert or a move to another clinic) is one of this
--      clinic's ACTIVE practitioners (the RPC's rule). Ids already on the list are not re-judged: a doctor
--      deactivated later, or remove_member's trigger taking one id out (20261219800002), must not block the write.
--   T2 name and each of names' values (ar, fr, en; when written) follow the clean-name rule of person names,
--      private.is_clean_person_name: no control, format, bidi-override or invisible characters.
-- A refusal is 422 VALIDATION.FAILED with {"problem": "practitioners" | "name" | "names"} — the problems the RPC
-- already reports — so the admin screen, which saves through set_appointment_types, shows its usual message.
-- Rows already stored are left as they are until next written (the RPC rewrites every listed type on save).
-- The rules bind the API's callers (a request as anon or authenticated: the RPC, a direct PATCH); the server's own
-- writes (service_role, migrations, the operator's SQL) are trusted as everywhere else.
create function private.appointment_types_checked() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if coalesce(auth.role(), '') not in ('anon', 'authenticated') then
    return new;
  end if;
  if tg_op = 'INSERT' or new.name is distinct from old.name then
    if not private.is_clean_person_name(new.name) then
      perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"name"}');
    end if;
  end if;
  if (tg_op = 'INSERT' or new.names is distinct from old.names) and new.names is not null then
    -- the shape (an object of ar/fr/en strings) is the table's own check (appointment_types_names, 23514)
    if jsonb_typeof(new.names) = 'object' and exists (
         select 1 from jsonb_each(new.names) e
          where jsonb_typeof(e.value) = 'string' and not private.is_clean_person_name(e.value #>> '{}')) then
      perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"names"}');
    end if;
  end if;
  if (tg_op = 'INSERT' or new.practitioner_ids is distinct from old.practitioner_ids
      or new.clinic_id is distinct from old.clinic_id) and new.practitioner_ids is not null then
    if exists (select 1 from unnest(new.practitioner_ids) p
                where (tg_op = 'INSERT' or new.clinic_id is distinct from old.clinic_id
                       or not (p = any (coalesce(old.practitioner_ids, '{}'::uuid[]))))
                  and not exists (select 1 from public.clinic_members m
                                   where m.id = p and m.clinic_id = new.clinic_id
                                     and m.active and m.role = 'practitioner')) then
      perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"practitioners"}');
    end if;
  end if;
  return new;
end
$$;
revoke all on function private.appointment_types_checked() from public, anon, authenticated;
create trigger appointment_types_checked before insert or update on public.appointment_types
  for each row execute function private.appointment_types_checked();
