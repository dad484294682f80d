-- sec25 (item 5): the audit of every CHECK constraint that calls a private rule function.
--   * profiles.full_name: profiles_full_name_clean = check (full_name is null or private.is_clean_person_name(..))
--     (20261216900002). The function grew stricter since: 20261221800001 added the contact rule
--     (private.person_name_no_contact), 20261222800001 / 20261223600001 / 20261224600001 tightened it (P1: links,
--     e-mails, at most 5 digits). A CHECK is re-checked on EVERY update of the row, so a profile whose name was
--     stored under the old rule ("Ahmed 0612345", a sign-up before the contact rule) could no longer be updated at
--     all — a phone change, a language, the patient's sign-in data — the trap fix24a closed for phones. Now: the
--     CHECK is dropped (the name's length keeps its own check, 20261201000000) and a trigger on the WRITTEN name holds
--     the rule, with the same error (23514 naming profiles_full_name_clean) so every caller reads it as before.
--   * Left as they are, judged not stricter than when rows could be written: clinics_settings_valid
--     (private.clinic_settings_valid: its later bodies add keys with defaults), notification_templates_known_variables
--     (private.template_unknown_variables: later bodies add variables per kind, allowing more), webhook_event_types
--     (one body), the phone checks (private.is_e164_shape since fix24a, 20261224700001). See docs/security.md.
alter table public.profiles drop constraint profiles_full_name_clean;

create function private.profiles_full_name_check() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.full_name is not null
     and (tg_op = 'INSERT' or new.full_name is distinct from old.full_name)
     and not coalesce(private.is_clean_person_name(new.full_name), false) then
    raise exception 'new row for relation "profiles" violates check constraint "profiles_full_name_clean"'
      using errcode = 'check_violation', table = 'profiles', column = 'full_name',
            constraint = 'profiles_full_name_clean';
  end if;
  return new;
end
$$;
revoke all on function private.profiles_full_name_check() from public, anon, authenticated;
create trigger profiles_full_name_clean before insert or update of full_name on public.profiles
  for each row execute function private.profiles_full_name_check();
