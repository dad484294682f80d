-- fix24a (review of session 24): two rules tightened this session reached further than meant.
--
-- 1. Rows with a phone stored under an older rule stay updatable.
--    Before: the phone CHECK constraints of clinics, profiles, patients and staff_invitations (20261201000000) ask
--    private.is_e164, which 20261224500002 tightened (+212 then 5–8 then 8 digits) and 20261223700002 before it
--    (no +2120…). PostgreSQL re-checks every CHECK of a row on every UPDATE, so a row stored earlier under the old
--    rule (+2121234567, +212612398793123, +2120612345678 — the API, walk-in and booking paths accepted them) could no
--    longer be updated at all: a patient's SMS opt-out, a profile's language, a clinic's settings (23514).
--    Now: the constraints ask the E.164 shape only (private.is_e164_shape: "+", then 7–15 digits, not starting
--    with 0 — what every stored phone already has), and the strict rule is checked where a phone is written or
--    changed, by a trigger on the same four tables (private.phone_strict_check, same SQLSTATE 23514 as the
--    constraint gave, so the REST answer stays VALIDATION.FAILED). The RPCs keep asking private.is_e164 first
--    (422 PHONE.INVALID). The trigger is an invoker one: it runs with the writer's rights, like the constraint did.
-- 2. A room is judged by the clinic-name rule (at most 7 digits, no link / e-mail / phone), not the person-name
--    rule's 5 digits (20261224600001 reached rooms through private.is_clean_person_name): "Bâtiment 12, étage 2,
--    salle 204" is a room. private.room_text_rules: body of 20261221800003, one change (the test it asks), as
--    private.clinics_name_rules does since 20261224600001.
--    Visit-type names are not changed: their trigger (private.appointment_types_checked, latest body
--    20261221800001) asks the character rule only (private.person_name_chars_clean), no digit cap.

create function private.is_e164_shape(p_phone text) returns boolean
language sql immutable parallel safe
set search_path = ''
as $$ select p_phone ~ '^\+[1-9][0-9]{6,14}$' $$;
revoke all on function private.is_e164_shape(text) from public, anon, authenticated;
grant execute on function private.is_e164_shape(text) to authenticated, service_role;

alter table public.clinics drop constraint clinics_phone_check;
alter table public.clinics add constraint clinics_phone_check
  check (phone is null or private.is_e164_shape(phone)) not valid;
alter table public.profiles drop constraint profiles_phone_check;
alter table public.profiles add constraint profiles_phone_check
  check (phone is null or private.is_e164_shape(phone)) not valid;
alter table public.patients drop constraint patients_phone_check;
alter table public.patients add constraint patients_phone_check
  check (phone is null or private.is_e164_shape(phone)) not valid;
alter table public.staff_invitations drop constraint staff_invitations_phone_check;
alter table public.staff_invitations add constraint staff_invitations_phone_check
  check (phone is null or private.is_e164_shape(phone)) not valid;

-- a phone written or changed meets the current rule (a row's other columns may change around an older phone)
create function private.phone_strict_check() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.phone is not null
     and (tg_op = 'INSERT' or new.phone is distinct from old.phone)
     and not coalesce(private.is_e164(new.phone), false) then
    raise exception 'new row for relation "%" violates check constraint "%_phone_check"', tg_table_name, tg_table_name
      using errcode = 'check_violation', table = tg_table_name, column = 'phone';
  end if;
  return new;
end
$$;
revoke all on function private.phone_strict_check() from public, anon, authenticated;
create trigger clinics_phone_strict before insert or update of phone on public.clinics
  for each row execute function private.phone_strict_check();
create trigger profiles_phone_strict before insert or update of phone on public.profiles
  for each row execute function private.phone_strict_check();
create trigger patients_phone_strict before insert or update of phone on public.patients
  for each row execute function private.phone_strict_check();
create trigger staff_invitations_phone_strict before insert or update of phone on public.staff_invitations
  for each row execute function private.phone_strict_check();

create or replace function private.room_text_rules() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.room is not null and (tg_op = 'INSERT' or new.room is distinct from old.room)
     and not (private.person_name_chars_clean(new.room) and private.clinic_name_allowed(new.room)) then
    perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"room"}');
  end if;
  return new;
end
$$;
revoke all on function private.room_text_rules() from public, anon, authenticated;
