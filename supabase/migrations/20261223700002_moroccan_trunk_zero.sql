-- fix23b (security, review23 L6): a Moroccan number written with its trunk 0 kept (+212 0 6…) is not a number.
--
-- Before: private.is_e164 accepted "+2120612345678" (+ then 7–15 digits), so PUT /auth/v1/user {phone:
-- "+212 (0) 612345678"} stored a pending phone and texted a code to +2120612345678 (which never arrives), and
-- create_staff_invitation / walk-ins / bookings stored it. No Moroccan national number starts with 0 (the 0 is the
-- trunk prefix dialled at home, dropped after +212: libphonenumber refuses +2120…, as the app's phone field does).
-- Now private.is_e164 refuses +2120…: every phone check that asks it (the CHECK constraints of patients, profiles,
-- staff_invitations; the RPCs' 422 PHONE.INVALID; private.sms_country_allowed, hence the local auth's SMS codes and
-- every SMS send path) refuses it. The database never guesses a normalisation: the client sends +2126…
-- (the local auth's parsePhone folds "+212 (0) 6…" to 2126… before it asks).
-- Only +212 (the deployment's default country) is folded here: other countries' numbers may keep a 0 after the
-- calling code (Italy's +39 0…). Rows stored before keep their value (CHECK constraints are not re-validated by a
-- function change); an update that rewrites such a phone must give a valid one.

create or replace function private.is_e164(p_phone text) returns boolean
language sql immutable
set search_path = ''
as $$ select p_phone ~ '^\+[1-9][0-9]{6,14}$' and p_phone !~ '^\+2120' $$;
