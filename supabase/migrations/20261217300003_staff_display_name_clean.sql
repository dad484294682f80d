-- Session 18 (secmisc18): staff members' and invitations' display names follow the person-name rule.
--
-- Patients' names hold no control, invisible or text-direction characters (private.is_clean_person_name,
-- 20261216900002) and are stored NFC with one space between words (private.normalize_person_name,
-- 20261216500003). A staff member's display name — shown to patients on the waiting-room board, the tracker and
-- in SMS ("Dr … is calling you") — had only a length check: create_clinic(p_display_name => '\u202E…'), an
-- invitation's name, set_team or a direct update stored a reversed or invisible name that could pose as another
-- doctor on the clinic's screens.
--
-- Rule now (one trigger function for both tables, so every writer: create_clinic, the invitation RPC, accepting
-- one (it copies the invitation's name), set_team, a table write any grant allows):
--   * the name as typed is refused with 422 VALIDATION.FAILED when private.require_clean_person_name refuses it;
--   * it is stored normalised (private.normalize_person_name): NFC, inner white space one space, trimmed — the
--     length check then sees what is stored.
-- The trigger function is SECURITY DEFINER like the patients' (private.normalise_patient_name): it runs whatever
-- role writes, and the callers need no rights on schema private.
-- Existing names are cleaned once (the refused characters removed, private.strip_person_name), before the
-- triggers exist; a name that would be left empty keeps its old value (the length check forbids '').

update public.clinic_members
   set display_name = private.strip_person_name(display_name)
 where (not private.is_clean_person_name(display_name)
        or display_name is distinct from private.normalize_person_name(display_name))
   and char_length(coalesce(private.strip_person_name(display_name), '')) between 1 and 120;

update public.staff_invitations
   set display_name = private.strip_person_name(display_name)
 where (not private.is_clean_person_name(display_name)
        or display_name is distinct from private.normalize_person_name(display_name))
   and char_length(coalesce(private.strip_person_name(display_name), '')) between 1 and 120;

create function private.normalise_display_name() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_clean_person_name(new.display_name);
  new.display_name := private.normalize_person_name(new.display_name);
  return new;
end
$$;
revoke all on function private.normalise_display_name() from public, anon, authenticated;

create trigger clinic_members_display_name_clean before insert or update of display_name on public.clinic_members
  for each row execute function private.normalise_display_name();
create trigger staff_invitations_display_name_clean before insert or update of display_name
  on public.staff_invitations
  for each row execute function private.normalise_display_name();
