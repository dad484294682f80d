-- Issue 12, session 18: profiles' names get the one normal form patients' names have (20261216500003).
--
-- Before: private.normalize_person_name (Unicode NFC, inner white space collapsed, trimmed) ran on every patient
-- name, but public.profiles.full_name — the name a signed-in user (patient or staff member) keeps on their
-- account, written by PATCH /rest/v1/profiles (authenticated holds UPDATE on the column) — was stored as typed:
-- "René" with a combining acute and with the precomposed é, or an Arabic alef with a combining hamza and the
-- precomposed أ, were two names, with stray double spaces. A patient's first booking copies that name into their
-- patient record (find_or_create_patient normalises it there), so the account and the record disagreed.
-- Sign-up already stored a normal form (handle_new_user, 20261216900002: private.strip_person_name normalises).
-- Now:
--   * profiles_name_normalised: BEFORE INSERT OR UPDATE OF full_name on public.profiles, the same helper on every
--     writer. A name of white space only becomes null (no name), as sign-up treats an empty one.
--   * A name holding characters private.is_clean_person_name refuses is left AS TYPED, so the constraint
--     profiles_full_name_clean refuses it exactly as before (23514): normalising first would turn "a\nb" into
--     "a b" and accept it, and which characters \s folds differs between Postgres builds (PGlite also folds
--     U+0085 and U+2028) — the refusal must not.
--   * Existing names are rewritten once to their normal form (white space only → null).
-- Columns covered: public.profiles.full_name. Not here: clinic_members.display_name and
-- staff_invitations.display_name (a clean-name trigger of their own, session 18's secmisc18); patients.full_name
-- (20261216500003). The copies of staff names (audit actor_name, visit-note author_name) are snapshots of
-- clinic_members.display_name and follow it.

-- security definer, as the patients' trigger: the writer (authenticated) has no right on the private helpers
create function private.normalise_profile_name() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.full_name is not null and private.is_clean_person_name(new.full_name) then
    new.full_name := nullif(private.normalize_person_name(new.full_name), '');
  end if;
  return new;
end
$$;
revoke all on function private.normalise_profile_name() from public, anon, authenticated;

create trigger profiles_name_normalised before insert or update of full_name on public.profiles
  for each row execute function private.normalise_profile_name();

update public.profiles p set full_name = nullif(left(private.normalize_person_name(p.full_name), 200), '')
 where p.full_name is not null and private.is_clean_person_name(p.full_name)
   and p.full_name is distinct from nullif(left(private.normalize_person_name(p.full_name), 200), '');
