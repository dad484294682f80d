-- Session 25 (lead, found by the clean-clone CI run): sec25's trigger holding the profile-name rule
-- (20261225300003, `profiles_full_name_clean`) fired BEFORE `profiles_name_normalised` — PostgreSQL fires a table's
-- BEFORE triggers in the order of their names, and "profiles_full…" sorts before "profiles_name…". The CHECK it
-- replaced ran after every BEFORE trigger, so (1) a name with a phone or a link got the coded 422
-- PERSON.NAME_NOT_ALLOWED from private.normalise_profile_name first — now it got the bare 23514 (VALIDATION.FAILED:
-- test/security/signup-name.test.ts), and (2) the rule judged the NORMALISED name, now it judged the raw one (extra
-- spaces, a non-NFC form). Renamed so it sorts after the normaliser: the same order and outcome as the CHECK had.
alter trigger profiles_full_name_clean on public.profiles rename to profiles_name_rule_checked;
