-- sec24a (security, review24 L2): a Moroccan number has 9 national digits, and only mobiles receive SMS.
--
-- Before: private.is_e164 took any "+" and 7–15 digits (but +2120…), so +2121234567 (too short) and
-- +212612398793123 (too long) were stored by create_staff_invitation, walk-ins and bookings; private.sms_country_allowed
-- allowed every +212 number, so the local auth sent SMS codes to landlines (+2125…) and VoIP/other ranges (+2128…).
-- Now:
--   * private.is_e164: a +212 number is +212, then 5–8, then 8 digits (^\+212[5-8][0-9]{8}$ — the national
--     numbering plan: 5 fixed, 6/7 mobile, 8 other services); other countries keep the E.164 shape. Every check that
--     asks it (the CHECK constraints of patients, profiles, staff_invitations; the RPCs' 422 PHONE.INVALID; the local
--     auth's SMS codes) refuses the rest. Rows stored before are NOT re-checked (a CHECK constraint is not re-validated
--     by a function change); an update that rewrites such a phone must give a valid one.
--   * private.sms_country_allowed (every SMS send path: notification_recipient, the notifications row trigger, the
--     local auth's codes): a +212 number must be a mobile (+2126…, +2127…). A landline is still a valid number to
--     store (private.phone_country_check keeps the country-only test, private.sms_country_listed), it is never texted.
-- phone_country_check: 20261222100001's body; only the helper it asks changes.

create or replace function private.is_e164(p_phone text) returns boolean
language sql immutable
set search_path = ''
as $$
  select p_phone ~ '^\+[1-9][0-9]{6,14}$'
     and (left(p_phone, 4) <> '+212' or p_phone ~ '^\+212[5-8][0-9]{8}$')
$$;

-- the country test alone (where a number is stored: a landline of an allowed country may be kept)
create function private.sms_country_listed(p_e164 text) returns boolean
language sql stable
security definer
set search_path = ''
as $$
  select coalesce(private.is_e164(p_e164), false)
     and exists (select 1 from private.sms_countries c
                  where left(p_e164, char_length(c.calling_code) + 1) = '+' || c.calling_code)
$$;
revoke all on function private.sms_country_listed(text) from public, anon, authenticated;

-- where an SMS may go: a listed country, and in Morocco a mobile
create or replace function private.sms_country_allowed(p_e164 text) returns boolean
language sql stable
security definer
set search_path = ''
as $$
  select private.sms_country_listed(p_e164)
     and (left(p_e164, 4) <> '+212' or p_e164 ~ '^\+212[67]')
$$;
revoke all on function private.sms_country_allowed(text) from public, anon, authenticated;

create or replace function private.phone_country_check() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.phone is not null
     and (tg_op = 'INSERT' or new.phone is distinct from old.phone)
     and private.is_e164(new.phone)            -- a malformed number is the check constraint's (PHONE.INVALID paths)
     and not private.sms_country_listed(new.phone) then
    perform private.raise_error(422, 'PHONE.COUNTRY_NOT_ALLOWED',
      'SMS can only be sent to the countries this deployment allows (private.sms_countries)');
  end if;
  return new;
end
$$;
revoke all on function private.phone_country_check() from public, anon, authenticated;
